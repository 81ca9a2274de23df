/**
 * Timers past 2^31 − 1 ms (modules/host/long-timers.ts): Moddable's Timer.set reads the delay as a
 * signed 32-bit integer and Node's setTimeout makes it 1 ms, so a host timer that long fired at
 * once, and the Packager's scheduler ran its earliest event before it was due.
 */
import { VirtualClock } from '../../simulator/engine/virtual-clock.js';
import { hostPlatform } from '../../modules/host/platform.js';
import { MAX_TIMER_MS, type TimerApi } from '../../modules/host/long-timers.js';

/** A host timer like Moddable's on ESP32: the delay taken as an int32 (past 2^31 − 1 it is negative: at once). */
function int32Timer(clock: VirtualClock): TimerApi {
  return { set: (cb, ms) => clock.setTimeout(cb, Math.max(0, ms | 0)), clear: (t) => clock.clearTimeout(t as never) };
}

const DAY = 86_400_000;

test('a 30-day timer fires after 30 days, not at once; a cleared one never fires', () => {
  const clock = new VirtualClock(0);
  const platform = hostPlatform({ now: () => clock.now(), timer: int32Timer(clock), write: () => {} });
  const fired: number[] = [];
  platform.setTimeout(() => fired.push(clock.now()), 30 * DAY);
  const cleared = platform.setTimeout(() => fired.push(-1), 60 * DAY);
  platform.setTimeout(() => fired.push(clock.now()), 1_000);
  clock.advance(DAY);
  expect(fired).toEqual([1_000]);
  clock.advance(29 * DAY - 1);
  expect(fired).toEqual([1_000]);
  clock.advance(1);
  expect(fired).toEqual([1_000, 30 * DAY]);
  clock.advance(25 * DAY); // past its first step
  platform.clearTimeout(cleared);
  clock.advance(40 * DAY);
  expect(fired).toEqual([1_000, 30 * DAY]);
});

test('delays the host takes as they are go straight to it', () => {
  const clock = new VirtualClock(0);
  const set: number[] = [];
  const timer: TimerApi = { set: (cb, ms) => (set.push(ms), clock.setTimeout(cb, ms)), clear: (t) => clock.clearTimeout(t as never) };
  const platform = hostPlatform({ now: () => clock.now(), timer, write: () => {} });
  platform.setTimeout(() => {}, -5);
  platform.setTimeout(() => {}, MAX_TIMER_MS);
  expect(set).toEqual([0, MAX_TIMER_MS]);
});
