/**
 * The blocking channel to xsnap-worker (simulator/xs/sync-channel.mjs, openXS `syncIO`): the XS
 * runner's batches and issueCommand round trips go through it on Linux. It must answer exactly as
 * the stream protocol does, and a worker that dies mid-crank must fail the call, not hang it.
 */
import { openXS, xsnapAvailable } from '../../simulator/xs/xsnap.mjs';
import { syncChannelSupported } from '../../simulator/xs/sync-channel.mjs';

const usable = xsnapAvailable() && syncChannelSupported();
const describeSync = usable ? describe : describe.skip;

/** Echoes its input after asking the host, through issueCommand, to double every byte of it (ASCII inputs). */
const SCRIPT = `globalThis.handleInput = (input) => {
  if (input === 'throw') throw new RangeError('asked to');
  const doubled = new Uint8Array(issueCommand(new TextEncoder().encode(input).buffer));
  let sum = 0;
  for (let i = 0; i < doubled.length; i++) sum += doubled[i];
  return input + ':' + doubled.length + ':' + sum;
};`;

describeSync('xsnap-worker over blocking FIFOs (syncIO)', () => {
  test('runSync answers as run does, with issueCommand round trips in the crank', async () => {
    const onCommand = (p: Buffer): Uint8Array => Uint8Array.from(p, (b) => (2 * b) & 255);
    const streams = await openXS(SCRIPT, { onCommand });
    const blocking = await openXS(SCRIPT, { onCommand, syncIO: true });
    try {
      expect(streams.runSync).toBeUndefined();
      const runSync = blocking.runSync as NonNullable<typeof blocking.runSync>;
      for (const input of ['abc', '', 'x'.repeat(100_000)]) {
        const expected = (await streams.run(input)).output;
        expect(runSync(input).output).toBe(expected);
        expect((await blocking.run(input)).output).toBe(expected);
      }
      expect(() => runSync('throw')).toThrow(/RangeError: asked to/);
      expect(runSync('still up').output.startsWith('still up:')).toBe(true);
    } finally {
      await streams.close();
      await blocking.close();
    }
  });

  test('a worker killed in the middle of a crank fails runSync instead of blocking it', async () => {
    const worker = { pid: 0 };
    const session = await openXS(SCRIPT, {
      syncIO: true,
      onLog: () => {},
      onCommand: () => {
        process.kill(worker.pid, 'SIGKILL');
        return new Uint8Array(0);
      },
    });
    worker.pid = session.pid as number;
    try {
      expect(() => (session.runSync as NonNullable<typeof session.runSync>)('abc')).toThrow();
      await expect(session.run('abc')).rejects.toThrow();
    } finally {
      await session.close();
    }
  });
});
