/**
 * Times in 4 B words (packager/time-words.ts, issue 21): whatever is written reads back exactly,
 * in words while the times are whole ms near the first one, in floats once one is not.
 */
import { COUNTS, TimeWords } from '../../modules/mycelium/packager/time-words.js';

const DAY = 86_400_000;

test('whole ms from the first time on read back as written, and 0 stays 0', () => {
  const t = new TimeWords(4);
  expect(t.at(2)).toBe(0);
  t.put(0, 1_000_000);
  t.put(1, 1_000_000 + 48 * DAY);
  t.put(2, 1_000_000);
  t.put(3, 0);
  expect([t.at(0), t.at(1), t.at(2), t.at(3)]).toEqual([1_000_000, 1_000_000 + 48 * DAY, 1_000_000, 0]);
  t.put(2, 0);
  expect(t.at(2)).toBe(0);
});

test.each([
  ['a fraction of a ms (the simulator\'s clock)', 1_000_000.25],
  ['a time before the first one (a clock set back)', 999_999],
  ['a time 50 days on', 1_000_000 + 50 * DAY],
  ['a negative time', -5],
])('%s moves every time into floats, each still as written', (_name, odd) => {
  const t = new TimeWords(3);
  t.put(0, 1_000_000);
  t.put(1, 1_000_500);
  t.put(2, odd);
  expect([t.at(0), t.at(1), t.at(2)]).toEqual([1_000_000, 1_000_500, odd]);
  t.put(1, 7.5);
  expect(t.at(1)).toBe(7.5);
});

test('a fraction as the very first time is kept too', () => {
  const t = new TimeWords(2);
  t.put(1, 0.5);
  t.put(0, 3);
  expect([t.at(0), t.at(1)]).toEqual([3, 0.5]);
});

test('a grown column keeps what it held, in words and in floats', () => {
  const words = new TimeWords(2);
  words.put(0, 10);
  words.put(1, 20);
  const w = words.grown(8);
  expect(w.length).toBe(8);
  expect([w.at(0), w.at(1), w.at(7)]).toEqual([10, 20, 0]);
  w.put(7, 30); // the same base: 30 fits
  expect(w.at(7)).toBe(30);
  const floats = new TimeWords(2);
  floats.put(0, 1.5);
  const f = floats.grown(4);
  f.put(3, 2);
  expect([f.at(0), f.at(3), f.length]).toEqual([1.5, 2, 4]);
});

test('counts from a fixed base hold small whole numbers of either sign', () => {
  const t = new TimeWords(3, COUNTS);
  t.put(0, 4);
  t.put(1, -3);
  t.put(2, 2 ** 31 - 2);
  expect([t.at(0), t.at(1), t.at(2)]).toEqual([4, -3, 2 ** 31 - 2]);
  t.put(0, t.at(0) - 1);
  expect(t.at(0)).toBe(3);
});
