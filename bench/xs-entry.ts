/**
 * Entry of the benchmark bundle that runs inside XS (xsnap-worker), driven by scripts/bench.mjs.
 * Input: JSON `{ "op": "list" }` or `{ "op": "run", "id": <case id>, "timing": TimingOptions }`;
 * output: JSON. One case per crank, so the host can print progress between cases.
 * Hashes are the portable (plain ECMAScript) ones: xsnap has no native digest.
 */
import { portableHashes } from '../modules/mycelium/platform/portable.js';
import { DEFAULT_TIMING, benchSink, listCases, runCase, type TimingOptions } from './cases.js';

declare global {
  var handleInput: (input: string) => string | Promise<string>;
}

type Request = { op: 'list' } | { op: 'run'; id: string; timing?: TimingOptions };

/** xsnap's performance.now() is wall-clock epoch milliseconds with µs resolution: fine for differences. */
const now = () => performance.now();
const collect = (globalThis as { gc?: () => void }).gc;

globalThis.handleInput = (input: string) => {
  const req = JSON.parse(input) as Request;
  if (req.op === 'list') {
    return JSON.stringify({ cases: listCases(), hasGc: typeof collect === 'function' });
  }
  if (req.op === 'run') {
    if (collect) collect();
    const result = runCase(req.id, portableHashes, now, req.timing ?? DEFAULT_TIMING, collect);
    return JSON.stringify({ result, sink: benchSink() });
  }
  throw new TypeError(`bench: unknown request ${input.slice(0, 80)}`);
};
