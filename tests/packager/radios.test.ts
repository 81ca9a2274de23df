/** The loopback and the in-memory medium keep the radio contract: copies, later, bounded. */
import { VirtualClock } from '../../simulator/engine/virtual-clock.js';
import { LoopbackRadio } from '../../modules/mycelium/packager/loopback.js';
import { MemoryMedium } from '../../simulator/medium/memory-medium.js';
import { seeded } from '../support/mesh.js';

const mac = (n: number) => Uint8Array.of(2, 0, 0, 0, 0, n);

test('the loopback delivers later, a copy, with no MAC, and holds at most 10 frames', () => {
  const clock = new VirtualClock();
  const loop = new LoopbackRadio(clock);
  const got: [number[], Uint8Array | undefined][] = [];
  loop.onReceive = (f, m) => got.push([[...f], m]);
  const frame = Uint8Array.of(1, 2, 3);
  expect(loop.broadcast(frame)).toBe(true);
  frame[0] = 9;
  expect(got).toEqual([]); // never synchronously
  clock.advance(0);
  expect(got).toEqual([[[1, 2, 3], undefined]]);
  for (let i = 0; i < 12; i++) loop.send(mac(1), Uint8Array.of(i));
  expect(loop.dropped).toBe(2);
  clock.advance(0);
  expect(got).toHaveLength(11);
});

test('the medium delivers after its latency, only over links, one-way links one way', () => {
  const clock = new VirtualClock();
  const medium = new MemoryMedium(clock, { latencyMs: 5 });
  const [a, b, c] = [1, 2, 3].map((n) => medium.radio(mac(n)));
  const inbox: string[] = [];
  for (const [name, r] of [['a', a], ['b', b], ['c', c]] as const) r.onReceive = (f, m) => inbox.push(`${name}<${m?.[5]}:${f[0]}`);
  medium.link(a, b);
  medium.link(a, c, 0, true); // a → c only
  a.broadcast(Uint8Array.of(7));
  c.send(a.mac, Uint8Array.of(8));
  clock.advance(4);
  expect(inbox).toEqual([]);
  clock.advance(1);
  expect(inbox.sort()).toEqual(['b<1:7', 'c<1:7']);
});

test('the medium refuses frames over the MTU and while the radio is off; a sleeping receiver misses frames', () => {
  const clock = new VirtualClock();
  const medium = new MemoryMedium(clock);
  const [a, b] = [1, 2].map((n) => medium.radio(mac(n)));
  medium.link(a, b);
  let received = 0;
  b.onReceive = () => received++;
  expect(a.send(b.mac, new Uint8Array(251))).toBe(false);
  a.sleep();
  expect(a.send(b.mac, new Uint8Array(10))).toBe(false);
  a.wake();
  b.sleep();
  expect(a.send(b.mac, new Uint8Array(10))).toBe(true);
  clock.advance(5);
  expect(received).toBe(0);
  expect(medium.lost).toBe(1);
});

test('loss follows the seeded probability', () => {
  const clock = new VirtualClock();
  const medium = new MemoryMedium(clock, { random: seeded(42) });
  const [a, b] = [1, 2].map((n) => medium.radio(mac(n)));
  medium.link(a, b, 0.3);
  let received = 0;
  b.onReceive = () => received++;
  for (let i = 0; i < 10_000; i++) a.send(b.mac, Uint8Array.of(1));
  clock.advance(5);
  expect(received / 10_000).toBeGreaterThan(0.68);
  expect(received / 10_000).toBeLessThan(0.72);
});

test('the medium log is bounded: beyond its limit the oldest half is dropped', () => {
  const clock = new VirtualClock();
  const medium = new MemoryMedium(clock, { logLimit: 4 });
  const a = medium.radio(mac(1));
  for (let i = 0; i < 5; i++) a.broadcast(Uint8Array.of(i));
  expect(medium.log.map((f) => f.frame[0])).toEqual([2, 3, 4]);
});
