/**
 * The console on the real XS engine (xsnap-worker): a scripted session over three nodes prints
 * exactly what it prints on Node. Catches anything in modules/console or modules/status that
 * XS lacks or does differently (regular expressions, string and array built-ins, Unicode).
 */
import { fileURLToPath } from 'node:url';
import { bundleForXS } from '../../simulator/xs/bundle.mjs';
import { runInXS, xsnapAvailable, xsnapWorkerPath } from '../../simulator/xs/xsnap.mjs';
import { consoleScript } from './script.js';

const haveXS = xsnapAvailable();
if (!haveXS) console.warn(`Skipping the console's XS run: xsnap-worker not found at ${xsnapWorkerPath()}`);
const testXS = haveXS ? test : test.skip;

test('the scripted session prints what a user expects (on Node)', () => {
  const out = consoleScript();
  expect(out).toContain('Commands:');
  expect(out).toContain('MPNode version: xs-check');
  expect(out).toContain('Battery: 64%');
  expect(out).toContain('Error: channel: channel must be a whole number from 1 to 14');
  expect(out).toContain('channel = 3');
  expect(out).toContain('\tsuccess_rate: 100%');
  expect(out.some((l) => l.startsWith('receive: Packet('))).toBe(true);
  expect(out.some((l) => l.includes('"op":"RESPOND_ROUTES"'))).toBe(true);
  expect(out.filter((l) => l.startsWith('Error: '))).toHaveLength(3); // bad config value, get nonsense, long line (an empty line prints nothing)
});

testXS(
  'in XS the console prints the same lines as on Node',
  async () => {
    const code = await bundleForXS(fileURLToPath(new URL('./xs-entry.ts', import.meta.url)));
    const out = JSON.parse(await runInXS(code, '{}', { timeoutMs: 110_000 })) as string[];
    expect(out).toEqual(consoleScript());
  },
  120_000,
);
