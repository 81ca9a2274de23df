/**
 * The XS harness (simulator/xs/xsnap.mjs + simulator/xs/bundle.mjs): bundles TypeScript fixtures
 * and runs them inside the real XS engine (xsnap-worker from @agoric/xsnap).
 */
import { fileURLToPath } from 'node:url';
import { bundleForXS } from '../../simulator/xs/bundle.mjs';
import { openXS, runInXS, runInXSWithMeter, xsnapAvailable, xsnapWorkerPath } from '../../simulator/xs/xsnap.mjs';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

const haveXS = xsnapAvailable();
if (!haveXS) {
  console.warn(`Skipping XS harness tests: xsnap-worker not found at ${xsnapWorkerPath()}`);
}
const describeXS = haveXS ? describe : describe.skip;
const xsTitle = haveXS ? 'runInXS (real XS engine)' : `runInXS (SKIPPED: xsnap-worker not found at ${xsnapWorkerPath()})`;

describe('bundleForXS', () => {
  test('bundles a TS entry importing .js-suffixed .ts files into a strict classic script', async () => {
    const code = await bundleForXS(fixture('echo-entry.ts'));
    expect(code.startsWith('"use strict";')).toBe(true);
    expect(code).not.toMatch(/^\s*(import|export)\s/m);
    expect(code).toContain('toUpperCase');
  });

  test('fails the build when the entry imports a Node built-in', async () => {
    await expect(bundleForXS(fixture('node-import-entry.ts'))).rejects.toThrow(/Node module "node:fs" cannot be used/);
  });

  test('globalName publishes the exports on globalThis', async () => {
    const code = await bundleForXS(fixture('echo-helper.ts'), { globalName: 'EchoHelper' });
    const g: Record<string, unknown> = {};
    new Function('globalThis', code)(g);
    expect((g.EchoHelper as { shout(s: string): string }).shout('abc')).toBe('ABC');
  });
});

describe('bundleForXS hoistBuiltins', () => {
  test('reads the hot built-ins once: no Math.max or global Uint8Array read is left in the code, and the results are the same', async () => {
    const plain = await bundleForXS(fixture('hoisted-entry.ts'));
    const hoisted = await bundleForXS(fixture('hoisted-entry.ts'), { hoistBuiltins: true });
    expect(plain).toMatch(/Math\.max\(/);
    const code = hoisted.slice(hoisted.indexOf('hoisted-entry.ts'));
    expect(code).not.toMatch(/Math\.max\(|\bnew Uint8Array\(|String\.fromCharCode\(/);
    const run = (source: string): unknown => {
      const g: { handleInput?: () => string } = {};
      new Function('globalThis', source)(new Proxy(g, { get: (t, k) => (k in t ? t[k as keyof typeof t] : (globalThis as Record<string | symbol, unknown>)[k]) }));
      return JSON.parse((g.handleInput as () => string)());
    };
    expect(run(hoisted)).toEqual(run(plain));
  });
});

describeXS(xsTitle, () => {
  let echo = '';
  beforeAll(async () => {
    echo = await bundleForXS(fixture('echo-entry.ts'));
  });

  test('round-trips a 1.5 MB input (UTF-8, non-ASCII) and runs without Node globals', async () => {
    const unit = 'héllo wörld €uro 😀 mesh-packet ';
    const input = unit.repeat(Math.ceil(1.5e6 / unit.length));
    const started = performance.now();
    const output = await runInXS(echo, input);
    const elapsed = performance.now() - started;
    expect(output.length).toBe(input.length + '|undefined'.length);
    expect(output).toBe(input.toUpperCase() + '|undefined');
    // Report the round-trip time (spawn + evaluate + 1.5 MB each way) for reference.
    console.info(`XS round trip of ${(Buffer.byteLength(input) / 1e6).toFixed(2)} MB: ${elapsed.toFixed(0)} ms`);
  });

  test('a bundle with hoistBuiltins gives in XS what the plain bundle gives', async () => {
    const plain = await runInXS(await bundleForXS(fixture('hoisted-entry.ts')), '');
    expect(await runInXS(await bundleForXS(fixture('hoisted-entry.ts'), { hoistBuiltins: true }), '')).toBe(plain);
    expect(JSON.parse(plain).math).toEqual([5, -2, -2, 3, 2, 2147483645, 7, -2]);
  });

  test('a throwing handleInput rejects with the thrown message', async () => {
    await expect(runInXS(echo, 'THROW:kaboom in XS')).rejects.toThrow(/XS exception in handleInput: Error: kaboom in XS/);
  });

  test('bytes reach a script that sets handleInputBytes as an ArrayBuffer, unchanged', async () => {
    // Bytes that are no valid UTF-8 (0xff, a lone continuation byte): a text decode would change them.
    const script = `globalThis.handleInputBytes = true;
globalThis.handleInput = (input) => Array.from(new Uint8Array(input)).join(',') + (input instanceof ArrayBuffer ? ' buffer' : ' other');`;
    const session = await openXS(script);
    try {
      expect((await session.run(Uint8Array.of(0, 255, 128, 65))).output).toBe('0,255,128,65 buffer');
    } finally {
      await session.close();
    }
  });

  test('a Promise-returning handleInput is awaited', async () => {
    await expect(runInXS(echo, 'ASYNC:later')).resolves.toBe('LATER');
  });

  test('console.log / print output is forwarded to onLog', async () => {
    const lines: string[] = [];
    const out = await runInXS(echo, 'LOG', { onLog: (line: string) => lines.push(line) });
    expect(out).toBe('logged');
    expect(lines).toContain('hello from XS 42');
  });

  test('a script error rejects with the XS exception text', async () => {
    await expect(runInXS('throw new RangeError("bad script");', 'x')).rejects.toThrow(/evaluating the script: RangeError: bad script/);
    await expect(runInXS('globalThis.x = 1;', 'x')).rejects.toThrow(/did not define globalThis\.handleInput/);
    await expect(runInXS('globalThis.handleInput = () => 42;', 'x')).rejects.toThrow(/must return a string/);
  });

  test('a runaway script is stopped by the timeout', async () => {
    await expect(runInXS('globalThis.handleInput = () => { for (;;); };', 'x', { timeoutMs: 1500 })).rejects.toThrow(/timed out after 1500 ms/);
  });

  test('runInXSWithMeter reports the xsnap meter; a session answers several inputs', async () => {
    const { output, meter } = await runInXSWithMeter(echo, 'abc');
    expect(output).toBe('ABC|undefined');
    expect(meter).toEqual(
      expect.objectContaining({ currentHeapCount: expect.any(Number), compute: expect.any(Number), allocate: expect.any(Number) }),
    );
    const session = await openXS(echo);
    try {
      expect((await session.run('one')).output).toBe('ONE|undefined');
      expect((await session.run('two')).output).toBe('TWO|undefined');
      await expect(session.run('THROW:three')).rejects.toThrow(/three/);
      expect((await session.run('four')).output).toBe('FOUR|undefined');
    } finally {
      await session.close();
    }
  });

  test('XS offers the built-ins the protocol core relies on', async () => {
    const probe = JSON.parse(await runInXS(await bundleForXS(fixture('probe-entry.ts')), '')) as Record<string, unknown>;
    for (const name of [
      'strictMode',
      'BigInt',
      'DataViewBigUint64',
      'Uint8ArraySliceSubarraySet',
      'MathImul',
      'padStart',
      'JSON',
      'MapSet',
      'ArrayIncludes',
      'ArrayAt',
      'ObjectHasOwn',
      'TextEncoder',
      'TextDecoder',
      'performanceNow',
      'DateNow',
      'gc',
      'console', // installed by the harness prelude, not by XS
    ]) {
      expect([name, probe[name]]).toEqual([name, true]);
    }
    for (const name of ['Buffer', 'structuredClone', 'Intl', 'setTimeout', 'queueMicrotask', 'btoa', 'toSorted']) {
      expect([name, probe[name]]).toEqual([name, false]);
    }
    expect(probe.performanceNowStepMs).toBeLessThan(0.01);
  });
});
