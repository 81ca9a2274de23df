import { SeededRandom } from '../../simulator/engine/random.js';
import { nodeHashes } from '../../simulator/platform/node-hashes.js';

test('same seed → same sequence; different seeds and forks differ', () => {
  const a = new SeededRandom(123);
  const b = new SeededRandom(123);
  const xs = Array.from({ length: 100 }, () => a.next());
  expect(Array.from({ length: 100 }, () => b.next())).toEqual(xs);
  const c = new SeededRandom(124);
  expect(Array.from({ length: 100 }, () => c.next())).not.toEqual(xs);
  expect(xs.every((x) => Number.isInteger(x) && x >= 0 && x < 2 ** 32)).toBe(true);
});

test('fork depends on the seed and label only, not on draws made before', () => {
  const a = new SeededRandom(5);
  const b = new SeededRandom(5);
  for (let i = 0; i < 1000; i++) b.next(); // more traffic on b's own stream
  expect(a.fork('node/3').next()).toBe(b.fork('node/3').next());
  expect(a.fork('node/3').next()).not.toBe(a.fork('node/4').next());
  expect(a.fork('x').fork('y').next()).not.toBe(a.fork('y').fork('x').next());
});

test('int(n) is uniform and in range; float in [0, 1)', () => {
  const r = new SeededRandom(77);
  const counts = new Array(6).fill(0);
  for (let i = 0; i < 60_000; i++) counts[r.int(6)]++;
  for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500); // ≈5 σ
  for (let i = 0; i < 10_000; i++) {
    const f = r.float();
    expect(f >= 0 && f < 1).toBe(true);
  }
  expect(() => r.int(0)).toThrow(RangeError);
  expect(() => r.int(2.5)).toThrow(RangeError);
  expect(r.int(1)).toBe(0);
});

test('bytes fills any length deterministically and implements the platform Random', () => {
  const a = new SeededRandom(1).bytes(new Uint8Array(7));
  const b = new SeededRandom(1).randomBytes(new Uint8Array(7));
  expect(Array.from(a)).toEqual(Array.from(b));
  const big = new SeededRandom(2).bytes(new Uint8Array(4096));
  const ones = big.reduce((s, x) => s + x.toString(2).split('1').length - 1, 0);
  expect(Math.abs(ones - 4096 * 4)).toBeLessThan(300);
});

test('a simulated node platform: shared clock, own random stream, logs with simulated time', async () => {
  const { VirtualClock } = await import('../../simulator/engine/virtual-clock.js');
  const { createSimPlatform } = await import('../../simulator/engine/sim-platform.js');
  const clock = new VirtualClock();
  const lines: string[] = [];
  const root = new SeededRandom(1);
  const p = createSimPlatform({ clock, random: root.fork('node/0'), hashes: nodeHashes, name: 'n0', sink: (l) => lines.push(l) });
  const q = createSimPlatform({ clock, random: root.fork('node/0'), hashes: nodeHashes, name: 'n0' });
  expect(Array.from(p.randomBytes(new Uint8Array(8)))).toEqual(Array.from(q.randomBytes(new Uint8Array(8))));
  p.setTimeout(() => p.log('info', 'tick'), 1500);
  p.log('debug', 'hidden');
  clock.advance(2000);
  expect(lines).toEqual(['1500.000 n0 [info] tick']);
  expect(p.crc32(Uint8Array.of(1, 2, 3))).toBe(0x55bc801d);
});
