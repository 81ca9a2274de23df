/**
 * The relay's records that nothing reads after a while go when the next one is made: the loop
 * guard's (read within the loop and resend windows) and the completed sequences' (read until
 * outboundTtlMs). Before, each table kept its last 64 / 128 records for good: the loop guard's,
 * with the Addresses of each hop, was the largest table of a 1,000-node run with traffic.
 */
import { LoopGuard, type Relayed } from '../../modules/mycelium/packager/loop-guard.js';
import { CompletedSequences } from '../../modules/mycelium/packager/inbound-tables.js';
import type { PackagerContext } from '../../modules/mycelium/packager/context.js';
import { Address } from '../../modules/mycelium/wire/address.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';

const ctx = { limits: { recentForwards: 64 }, timings: { loopWindowMs: 150 } } as unknown as PackagerContext;
const hop = unwrap(Address.fromCoords(1, [1, 2]));
const relayed = (at: number, ttl = 10): Relayed => ({ ttl, error: false, at, returns: 0, peerKey: 'p', address: hop });

test('loop guard: records past the windows go at the next relay; recent ones still catch a loop', () => {
  const guard = new LoopGuard(ctx);
  for (let i = 0; i < 64; i++) guard.remember(`old${i}`, relayed(i), 8_000);
  expect(guard.size).toBe(64);
  guard.remember('a', relayed(20_000), 8_000);
  guard.remember('b', relayed(20_050), 8_000);
  expect(guard.size).toBe(2);
  expect(guard.last('old3')).toBeUndefined();
  // Within the loop window the packet back with a lower ttl is a loop, as before.
  expect(guard.looped(guard.last('a'), 8, false, 20_100)).toBe(guard.last('a'));
  // Within the resend window its origin's resend (same ttl) is known.
  expect(guard.resent(guard.last('a'), 10, 24_000, 8_000)).toBe(guard.last('a'));
});

test('completed sequences: expired records go at the next completion; live ones still catch duplicates', () => {
  const done = new CompletedSequences(128);
  const checks = Uint8Array.of(7, 9);
  for (let i = 0; i < 20; i++) done.remember(`s${i}`, 2, checks, 60_000 + i, i);
  expect(done.size).toBe(20);
  done.remember('fresh', 2, checks, 121_000, 61_000);
  expect(done.size).toBe(1);
  expect(done.classify('fresh', 2, 1, 9, 62_000)).toBe('duplicate');
  expect(done.classify('s3', 2, 1, 9, 62_000)).toBe('unknown');
});
