/**
 * The loop guard's window under modem sleep (loop-guard.ts `window`, session 28). A loop round on
 * awake ESP-NOW takes milliseconds, so 150 ms told a loop (the packet back with a lower ttl) from
 * its origin's resend on a longer path (2 s later). Under modem sleep every hop waits for its
 * neighbour's next window: a round takes hundreds of ms, no return was ever seen, and a packet
 * went round two sleeping relays until its ttl ran out (255 frames, each in the shared window).
 */
import { LoopGuard, type Relayed } from '../../modules/mycelium/packager/loop-guard.js';
import type { PackagerContext } from '../../modules/mycelium/packager/context.js';
import { Address } from '../../modules/mycelium/wire/address.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';

const timings = { loopWindowMs: 150, sendRetryDelayMs: 2_000 };
const hop = unwrap(Address.fromCoords(1, [1, 2]));
const relayed: Relayed = { ttl: 250, error: false, at: 10_000, returns: 0, peerKey: 'p', address: hop };

function guard(periodMs?: number): LoopGuard {
  const ownSleep = periodMs === undefined ? undefined : { schedule: { periodMs } };
  return new LoopGuard({ limits: { recentForwards: 64 }, timings, ownSleep } as unknown as PackagerContext);
}

test('asleep, a packet back with a lower ttl two wake periods after our relay went round a loop', () => {
  const g = guard(200);
  expect(g.window()).toBe(400);
  expect(g.looped(relayed, 248, false, 10_380)).toBe(relayed); // before: not seen (150 ms)
  expect(g.looped(relayed, 248, false, 10_450)).toBeUndefined();
  // The origin's resend (same ttl) after the window is still told apart from a loop.
  expect(g.resent(relayed, 250, 12_000, 8_000)).toBe(relayed);
  expect(g.resent(relayed, 250, 10_300, 8_000)).toBeUndefined();
});

test('awake, the window stays 150 ms; a long wake period is capped below half the resend period', () => {
  expect(guard().window()).toBe(150);
  expect(guard().looped(relayed, 248, false, 10_380)).toBeUndefined();
  expect(guard(5_000).window()).toBe(1_000);
});
