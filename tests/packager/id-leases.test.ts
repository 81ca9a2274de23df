/**
 * Packet and sequence id leases (packager/id-leases.ts) kept in 4 B words: on a device's whole-ms
 * clock, across a clock that runs on for weeks, and on the simulator's fractional one, every
 * answer is the one a table of floats gives.
 */
import { IdLeases } from '../../modules/mycelium/packager/id-leases.js';

/** The table as it was: one float per id. */
class FloatLeases {
  readonly until = new Float64Array(256);
  free(start: number, now: number): number {
    for (let i = 0; i < 256; i++) if (this.until[(start + i) & 0xff] <= now) return (start + i) & 0xff;
    return -1;
  }
  hold(id: number, untilMs: number): void {
    if (untilMs > this.until[id & 0xff]) this.until[id & 0xff] = untilMs;
  }
}

function replay(times: number[]): void {
  const words = new IdLeases();
  const floats = new FloatLeases();
  let next = 0;
  for (const now of times) {
    const a = words.free(next, now);
    expect(a).toBe(floats.free(next, now));
    if (a < 0) continue;
    words.hold(a, now + 10_000);
    floats.hold(a, now + 10_000);
    next = a + 1;
    expect(words.held(now)).toBe(floats.until.filter((u) => u > now).length);
  }
}

test('whole-ms times, 300 sends a second until every id is held, then weeks later', () => {
  const times: number[] = [];
  for (let i = 0; i < 600; i++) times.push(5_000 + Math.floor(i * 3.3));
  for (let i = 0; i < 300; i++) times.push(30 * 86_400_000 + i * 50); // the clock 30 days on: the words' base moves
  replay(times);
});

test('fractional times (the simulator clock) give the same answers', () => {
  const times: number[] = [];
  for (let i = 0; i < 400; i++) times.push(1_000.25 + i * 37.5);
  replay(times);
});
