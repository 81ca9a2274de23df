/**
 * The portable Ed25519 in the real XS engine (xsnap): RFC 8032 vectors, and what one verification
 * costs there in slots and time (printed; the slot budget of issue 20 is asserted).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bundleForXS } from '../../simulator/xs/bundle.mjs';
import { openXS, xsnapAvailable, xsnapWorkerPath } from '../../simulator/xs/xsnap.mjs';

const haveXS = xsnapAvailable();
if (!haveXS) console.warn(`Skipping XS Ed25519 tests: xsnap-worker not found at ${xsnapWorkerPath()}`);
const describeXS = haveXS ? describe : describe.skip;

const { vectors } = JSON.parse(readFileSync(new URL('../platform/fixtures/rfc8032-ed25519.json', import.meta.url), 'utf8')) as {
  vectors: { name: string }[];
};
/** Issue 20's target for one verification by the fallback, in XS slots. */
const VERIFY_SLOT_BUDGET = 2000;

interface Meter { currentHeapCount: number }

describeXS('portable Ed25519 in XS', () => {
  let script = '';
  beforeAll(async () => {
    script = await bundleForXS(fileURLToPath(new URL('./fixtures/ed25519-entry.ts', import.meta.url)));
  });

  test('RFC 8032 vectors: keys, signatures, verification and a tampered signature refused', async () => {
    const session = await openXS(script, { timeoutMs: 120_000 });
    try {
      const { output } = await session.run(`vectors ${JSON.stringify(vectors)}`);
      const lines = (output as string).split('\n');
      expect(lines).toEqual(vectors.map((v) => `${v.name}: key true sig true verify true tampered-refused true`));
    } finally {
      await session.close();
    }
  }, 120_000);

  test(`one verification allocates at most ${VERIFY_SLOT_BUDGET} slots`, async () => {
    const session = await openXS(script, { timeoutMs: 120_000 });
    try {
      const heap = async (input: string): Promise<[string, number]> => {
        const { output, meter } = (await session.run(input)) as { output: string; meter: Meter };
        return [output, meter.currentHeapCount];
      };
      const [, before] = await heap('gc');
      const [, made] = await heap(`make ${JSON.stringify(vectors[3])}`);
      const [, idle] = await heap('noop');
      const [, settled] = await heap('gc');
      const command = idle - made; // what a command costs by itself
      const [first, afterFirst] = await heap('verify');
      const [, settled2] = await heap('gc');
      const [second, afterSecond] = await heap('verify');
      const [, retainedAfter] = await heap('gc');
      const [ok, ms] = first.split(' ');
      expect(ok).toBe('true');
      expect(second.split(' ')[0]).toBe('true');
      const perVerify = Math.max(afterFirst - settled, afterSecond - settled2) - command;
      console.info(
        `XS portable Ed25519: instance ${made - before} slots (work arrays); one verify allocates ${perVerify} slots, ` +
          `retains ${retainedAfter - settled}; ${ms} ms then ${second.split(' ')[1]} ms (xsnap on this machine)`,
      );
      expect(perVerify).toBeLessThanOrEqual(VERIFY_SLOT_BUDGET);
      expect(retainedAfter - settled).toBeLessThanOrEqual(0);
    } finally {
      await session.close();
    }
  }, 120_000);
});
