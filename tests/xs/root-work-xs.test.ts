/**
 * What grinding root work (signed/root-work.ts) costs in the real XS engine (xsnap) with the
 * portable SHA-256: printed per attempt, the figure docs/security.md "Proof of work" scales to an
 * ESP32. Asserts only that the work found there is the work Node finds (same nonces, same bits).
 */
import { fileURLToPath } from 'node:url';
import { bundleForXS } from '../../simulator/xs/bundle.mjs';
import { openXS, xsnapAvailable, xsnapWorkerPath } from '../../simulator/xs/xsnap.mjs';
import { grindWork } from '../../modules/mycelium/signed/root-work.js';
import { portableHashes } from '../../modules/mycelium/platform/portable.js';

const haveXS = xsnapAvailable();
if (!haveXS) console.warn(`Skipping XS root-work test: xsnap-worker not found at ${xsnapWorkerPath()}`);
const describeXS = haveXS ? describe : describe.skip;
const ATTEMPTS = 4096;

describeXS('root work in XS', () => {
  test(`grinding ${ATTEMPTS} nonces finds the same work as on Node; time per attempt printed`, async () => {
    const script = await bundleForXS(fileURLToPath(new URL('./fixtures/root-work-entry.ts', import.meta.url)));
    const session = await openXS(script, { timeoutMs: 120_000 });
    try {
      const { output } = (await session.run(`grind ${ATTEMPTS}`)) as { output: string };
      const [bits, ms] = output.split(' ').map(Number);
      expect(bits).toBe(grindWork(portableHashes, new Uint8Array(32).fill(0x5a), ATTEMPTS).bits);
      console.info(`XS portable SHA-256 root work: ${ATTEMPTS} attempts in ${ms} ms (${((ms * 1000) / ATTEMPTS).toFixed(1)} µs per attempt), best ${bits} bits`);
    } finally {
      await session.close();
    }
  }, 120_000);
});
