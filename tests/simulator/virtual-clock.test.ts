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
