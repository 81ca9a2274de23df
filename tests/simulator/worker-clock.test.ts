/**
 * The XS runner's worker clock fires what VirtualClock fires, in the same order: the worker's
 * nodes must do what they do in-process (simulator/xs/worker-clock.ts).
 */
import { VirtualClock } from '../../simulator/engine/virtual-clock.js';
import { SeededRandom } from '../../simulator/engine/random.js';
import { WorkerClock } from '../../simulator/xs/worker-clock.js';
import type { TimerHandle } from '../../modules/mycelium/platform/platform.js';

type Either = VirtualClock | WorkerClock;

/**
 * The same seeded script on `clock`: timers set (ties, zero and negative delays), some cleared
 * (also twice, and after they fired), callbacks that set and clear timers, time moved on. Returns
 * what fired, when, and the next timer after each run.
 */
function script(clock: Either, seed: number): string[] {
  const rnd = new SeededRandom(seed);
  const log: string[] = [];
  const handles: TimerHandle[] = [];
  const set = (name: number, delay: number): void => {
    handles.push(
      clock.setTimeout(() => {
        log.push(`${name}@${clock.now()}`);
        if (rnd.chance(0.3)) set(name * 10 + 1, rnd.int(4) - 1); // due now or soon, ties with what waits
        if (rnd.chance(0.2) && handles.length > 0) clock.clearTimeout(handles[rnd.int(handles.length)]);
      }, delay),
    );
  };
  let name = 0;
  for (let round = 0; round < 40; round++) {
    for (let i = 0; i < 1 + rnd.int(30); i++) set(name++, rnd.int(50) - 5);
    for (let i = 0; i < rnd.int(8); i++) clock.clearTimeout(handles[rnd.int(handles.length)]);
    const until = clock.now() + rnd.int(40);
    while (clock.stepThrough(until, Infinity));
    clock.moveTo(until);
    const next = clock.peekNext();
    log.push(`next ${next ? `${next.due}/${next.id}` : '-'} due ${clock.nextDue ?? '-'} id ${clock.nextTimerId}`);
  }
  return log;
}

test('timers fire as on VirtualClock: order (due, then id), clears, timers set while firing', () => {
  for (let seed = 1; seed <= 30; seed++) {
    const expected = script(new VirtualClock(), seed);
    expect(expected.filter((l) => l.includes('@')).length).toBeGreaterThan(100);
    expect(script(new WorkerClock(), seed)).toEqual(expected);
  }
});

test('stepThrough stops before a timer after (due, id) or past the limit, and ids skip as told', () => {
  const clock = new WorkerClock();
  const fired: string[] = [];
  clock.setTimeout(() => fired.push('a'), 10); // id 1
  clock.skipTimerIds(5);
  clock.setTimeout(() => fired.push('b'), 10); // id 5
  expect(clock.stepThrough(10, 0)).toBe(false);
  expect(clock.stepThrough(10, 1, 9)).toBe(false);
  expect(clock.stepThrough(10, 1)).toBe(true);
  expect(clock.stepThrough(10, 4)).toBe(false);
  expect(clock.stepThrough(10, 5)).toBe(true);
  expect(fired).toEqual(['a', 'b']);
  expect(clock.now()).toBe(10);
  expect(clock.nextTimerId).toBe(6);
  expect(clock.peekNext()).toBeUndefined();
});
