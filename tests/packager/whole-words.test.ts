/**
 * Numbers in 4 B words (packager/whole-words.ts, issue 21): whatever is written reads back
 * exactly, in words while the numbers are whole and near the first one, in floats once one is not.
 */
import { WholeWords } from '../../modules/mycelium/packager/whole-words.js';

const DAY = 86_400_000;

test('whole numbers within 2^31 of the first read back as written, and 0 stays 0', () => {
  const t = new WholeWords(6);
  expect(t.at(2)).toBe(0);
  t.put(0, 1_000_000);
  t.put(1, 1_000_000 + 24 * DAY);
  t.put(2, 1_000_000);
  t.put(3, 0);
  t.put(4, 3); // below the first: a counter, caps bits
  t.put(5, 1_000_000 - 2 ** 31);
  expect([0, 1, 2, 3, 4, 5].map((i) => t.at(i))).toEqual([1_000_000, 1_000_000 + 24 * DAY, 1_000_000, 0, 3, 1_000_000 - 2 ** 31]);
  t.put(2, 0);
  expect(t.at(2)).toBe(0);
});

test.each([
  ['a fraction (the simulator\'s clock, a token count)', 1_000_000.25],
  ['a number whose span with the others passes 2^31', 1_000_000 + 2 ** 31 + 600],
  ['a number more than 2^31 below the first and the others', 1_000_000 - 2 ** 31 - 1],
  ['-0', -0],
  ['Infinity', Infinity],
])('%s moves every number into floats, each still as written', (_name, odd) => {
  const t = new WholeWords(3);
  t.put(0, 1_000_000);
  t.put(1, 1_000_500);
  t.put(2, odd);
  expect([t.at(0), t.at(1), t.at(2)]).toEqual([1_000_000, 1_000_500, odd]);
  expect(Object.is(t.at(2), odd)).toBe(true);
  expect(t.inWords).toBe(false);
  t.put(1, 7.5);
  expect(t.at(1)).toBe(7.5);
});

test('a fraction as the very first number is kept too', () => {
  const t = new WholeWords(2);
  t.put(1, 0.5);
  t.put(0, 3);
  expect([t.at(0), t.at(1)]).toEqual([3, 0.5]);
});

test('a grown column keeps what it held, and its base, in words and in floats', () => {
  const words = new WholeWords(2);
  words.put(0, 10);
  words.put(1, 20);
  const w = words.grown(8);
  expect(w.length).toBe(8);
  expect([w.at(0), w.at(1), w.at(7)]).toEqual([10, 20, 0]);
  w.put(7, 10 + 2 ** 31 - 2); // the same base: the largest that fits
  expect(w.at(7)).toBe(10 + 2 ** 31 - 2);
  expect(w.at(0)).toBe(10);
  const floats = new WholeWords(2);
  floats.put(0, 1.5);
  const f = floats.grown(4);
  f.put(3, 2);
  expect([f.at(0), f.at(3), f.length]).toEqual([1.5, 2, 4]);
});

test('a counter counting down through the first number and 0 keeps every value', () => {
  const t = new WholeWords(1);
  const seen: number[] = [];
  t.put(0, 4);
  for (let k = 0; k < 6; k++) {
    seen.push(t.at(0));
    t.put(0, t.at(0) - 1);
  }
  expect(seen).toEqual([4, 3, 2, 1, 0, -1]);
});

test('a clock going on for months keeps the column in words while the old times are refreshed or cleared', () => {
  const t = new WholeWords(3);
  const counts = new WholeWords(1); // a counter keeps its own column: its span with times would not fit
  let now = 5_000;
  for (let day = 0; day < 120; day++) {
    now += DAY;
    t.put(0, now); // a neighbour heard every day
    t.put(1, now + 480_000); // a route's expiry
    t.put(2, day % 2 ? 0 : now - 3_600_000); // an entry cleared, or an hour old
    counts.put(0, 4 - (day % 5));
    expect([t.at(0), t.at(1), t.at(2), counts.at(0)]).toEqual([now, now + 480_000, day % 2 ? 0 : now - 3_600_000, 4 - (day % 5)]);
  }
  expect(t.inWords && counts.inWords).toBe(true);
  // One time kept 30 days while the clock goes on: the column's span passes 2^31, so floats.
  t.put(2, now);
  now += 30 * DAY;
  t.put(0, now);
  expect([t.at(0), t.at(2)]).toEqual([now, now - 30 * DAY]);
  expect(t.inWords).toBe(false);
});
