import { VirtualClock } from '../../simulator/engine/virtual-clock.js';

test('timers fire in due order, only when time is advanced, and can be cancelled', () => {
  const clock = new VirtualClock(1000);
  const fired: string[] = [];
  clock.setTimeout(() => fired.push(`b@${clock.now()}`), 20);
  const a = clock.setTimeout(() => fired.push('cancelled'), 5);
  clock.setTimeout(() => fired.push(`c@${clock.now()}`), 20);
  clock.setTimeout(() => {
    fired.push(`d@${clock.now()}`);
    clock.setTimeout(() => fired.push(`e@${clock.now()}`), 2); // set from a callback, due within the same advance
  }, 10);
  clock.clearTimeout(a);
  expect(clock.advance(9)).toBe(0);
  expect(fired).toEqual([]);
  expect(clock.advance(11)).toBe(4);
  expect(fired).toEqual(['d@1010', 'e@1012', 'b@1020', 'c@1020']);
  expect(clock.now()).toBe(1020);
  expect(clock.pendingCount).toBe(0);
});

test('a clock mirroring some timers elsewhere keeps the same-time order of one clock', () => {
  // One clock with every timer: the reference order.
  const one = new VirtualClock();
  const order: string[] = [];
  one.setTimeout(() => order.push('host-a'), 10); // id 1
  one.setTimeout(() => order.push('node-x'), 10); // id 2
  one.setTimeout(() => order.push('host-b'), 10); // id 3
  one.setTimeout(() => order.push('node-y'), 5); // id 4
  one.advance(10);
  expect(order).toEqual(['node-y', 'host-a', 'node-x', 'host-b']);

  // The same timers split between a host and a mirror that shares its id sequence.
  const host = new VirtualClock();
  const mirror = new VirtualClock();
  const split: string[] = [];
  host.setTimeout(() => split.push('host-a'), 10);
  mirror.skipTimerIds(host.nextTimerId);
  mirror.setTimeout(() => split.push('node-x'), 10);
  host.skipTimerIds(mirror.nextTimerId);
  host.setTimeout(() => split.push('host-b'), 10);
  mirror.skipTimerIds(host.nextTimerId);
  mirror.setTimeout(() => split.push('node-y'), 5);
  host.skipTimerIds(mirror.nextTimerId);
  expect(host.nextTimerId).toBe(5);
  // The host holds a stand-in for the mirror's next timer, which takes no id of its own.
  const standIn = (): void => {
    const next = mirror.peekNext();
    if (next) host.setTimeoutAt(next.due, next.id, () => {
      mirror.step();
      standIn();
    });
  };
  standIn();
  expect(host.nextTimerId).toBe(5);
  while (host.step(10)) {
    // the stand-ins fire the mirror's timers in their turn
  }
  expect(split).toEqual(order);
  expect(host.stepLimit).toBe(10);

  // Replaying an event at the time it happened leaves the clock where it was.
  let seen = -1;
  host.replayAt(7, () => (seen = host.now()));
  expect([seen, host.now()]).toEqual([7, 10]);
});

test('stepThrough fires the next timer only when it sorts at or before (due, id) and is due by the limit', () => {
  const clock = new VirtualClock();
  const fired: string[] = [];
  clock.setTimeout(() => fired.push('a'), 10); // id 1
  clock.setTimeout(() => fired.push('b'), 10); // id 2
  const c = clock.setTimeout(() => fired.push('c'), 5); // id 3, cancelled: skipped, not counted
  clock.clearTimeout(c);
  clock.setTimeout(() => fired.push('d'), 20); // id 4
  expect(clock.stepThrough(9, 99)).toBe(false); // due 10 sorts after (9, 99)
  expect(clock.stepThrough(10, 0)).toBe(false); // (10, 1) sorts after (10, 0)
  expect(clock.stepThrough(10, 1)).toBe(true);
  expect(fired).toEqual(['a']);
  expect(clock.now()).toBe(10);
  expect(clock.stepThrough(30, 9, 15)).toBe(true); // b: due 10 ≤ limit 15
  expect(clock.stepThrough(30, 9, 15)).toBe(false); // d: due 20 > limit 15, not fired
  expect(clock.stepThrough(30, 9)).toBe(true);
  expect(clock.stepThrough(30, 9)).toBe(false); // none left
  expect(fired).toEqual(['a', 'b', 'd']);
});
