import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bundleForXS } from '../../simulator/xs/bundle.mjs';
import { runInXS, xsnapAvailable, xsnapWorkerPath } from '../../simulator/xs/xsnap.mjs';
import { runReliability, type ReliabilityOptions } from '../../bench/reliability.js';

const haveXS = xsnapAvailable();
if (!haveXS) console.warn(`Skipping the Packager's XS run: xsnap-worker not found at ${xsnapWorkerPath()}`);
const testXS = haveXS ? test : test.skip;

const cases = JSON.parse(readFileSync('tests/vectors/upstream-vectors.json', 'utf8')).categories.packager.cases;
const trials: ReliabilityOptions[] = [
  { trials: 6, bytes: 10_000, loss: 0.3, hops: 1, seed: 11, windowMs: 60_000 },
  { trials: 6, bytes: 2_000, loss: 0.1, hops: 3, seed: 12, windowMs: 60_000 },
];

testXS(
  'in XS the Packager passes the packager vectors and gives the same reliability figures as on Node',
  async () => {
    const code = await bundleForXS(fileURLToPath(new URL('./xs-entry.ts', import.meta.url)));
    const out = JSON.parse(await runInXS(code, JSON.stringify({ cases, trials }), { timeoutMs: 110_000 }));
    expect(out.vectors.failures).toEqual([]);
    expect(out.vectors.passed).toBe(cases.length);
    expect(out.trials).toEqual(trials.map((t) => runReliability(t)));
    expect(out.trials[0].exactlyOnce).toBe(6);
  },
  120_000,
);
