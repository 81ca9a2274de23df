/** The per-neighbour rate limiter behind relay caps (token-buckets.ts). */
import { TokenBuckets } from '../../modules/mycelium/packager/token-buckets.js';

describe('TokenBuckets', () => {
  test('a new neighbour gets its burst, then tokens at the configured rate', () => {
    const b = new TokenBuckets(4);
    const taken = [0, 0, 0, 0].map(() => b.take('a', 0, 1, 1000, 3));
    expect(taken).toEqual([true, true, true, false]);
    expect(b.take('a', 500, 1, 1000, 3)).toBe(false); // half a token
    expect(b.take('a', 1000, 1, 1000, 3)).toBe(true); // one second: one token
    expect(b.take('a', 1000, 1, 1000, 3)).toBe(false);
  });

  test('one neighbour emptying its bucket leaves the others theirs', () => {
    const b = new TokenBuckets(4);
    while (b.take('flooder', 0, 1, 1000, 3));
    expect(b.take('honest', 0, 1, 1000, 3)).toBe(true);
  });

  test('the table is bounded: the least recently used neighbour is forgotten', () => {
    const b = new TokenBuckets(2);
    while (b.take('a', 0, 1, 60_000, 2));
    b.take('b', 0, 1, 60_000, 2);
    b.take('c', 0, 1, 60_000, 2); // evicts 'a', the least recently used
    // 'a' starts over with a full bucket: forgetting costs a returning neighbour nothing.
    expect(b.take('a', 0, 1, 60_000, 2)).toBe(true);
    // 'b' was evicted by 'a' just now, 'c' is still there with one token left.
    expect(b.take('c', 0, 1, 60_000, 2)).toBe(true);
    expect(b.take('c', 0, 1, 60_000, 2)).toBe(false);
  });

  test('a clock that steps back refills nothing', () => {
    const b = new TokenBuckets(1);
    while (b.take('a', 10_000, 1, 1000, 1));
    expect(b.take('a', 0, 1, 1000, 1)).toBe(false);
  });
});
