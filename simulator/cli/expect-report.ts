/** Prints the outcome of `--expect`: met ones on one compact stdout line, each unmet one on its own stderr line. */
import { checkExpectations, type Expectation } from './expect.js';

/** True when every expectation holds (also when there are none). */
export function reportExpectations(report: object, list: readonly Expectation[], quiet: boolean): boolean {
  if (list.length === 0) return true;
  const outcomes = checkExpectations(report, list);
  const met = outcomes.filter((o) => o.met);
  const unmet = outcomes.filter((o) => !o.met);
  if (met.length > 0 && !quiet) process.stdout.write(`expect: met ${met.length}/${outcomes.length}: ${met.map((o) => o.line).join(', ')}\n`);
  for (const o of unmet) process.stderr.write(`expect: ${o.line}\n`);
  return unmet.length === 0;
}
