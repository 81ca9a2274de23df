/**
 * Gossip's message cache (issue 21): its byte cap bounds what the entries really cost, not only
 * their messages. A cached message costs ≈ 270 B on XS besides its own bytes (measured by
 * `node scripts/bench-xs-sizes.mjs`): 100 small messages under a cap that counted payload only
 * held about 4× the cap.
 */
import { GOSSIP_ENTRY_OVERHEAD, GossipCache, isLargeMessage } from '../../modules/mycelium/apps/gossip-cache.js';
import { GossipOp, serializeGossip } from '../../modules/mycelium/wire/messages/gossip.js';

/** What one cached entry costs on XS besides its message (bench-xs-sizes, ESP32-equivalent). */
const MEASURED_ENTRY_COST = 269;

function message(topicByte: number, data: Uint8Array): Uint8Array {
  const m = serializeGossip({ op: GossipOp.PUBLISH, topic: new Uint8Array(16).fill(topicByte), data });
  if (!m.ok) throw new Error(m.error.message);
  return m.value;
}

test('many small messages stay within the byte cap counted as the device holds them', () => {
  const cap = 8 * 1024;
  const cache = new GossipCache(100, cap, { now: () => 0 });
  for (let i = 0; i < 100; i++) cache.add(`id${i}`, message(1, Uint8Array.of(i, 2, 3)), 300_000);
  const held = cache.size * (20 + MEASURED_ENTRY_COST);
  console.log(`gossip cache: 100 × 20-byte messages under an 8 KB cap: ${cache.size} held, ≈ ${held} B on XS`);
  expect(held).toBeLessThanOrEqual(cap); // before: 100 held, ≈ 28,900 B
  expect(cache.bytes).toBeLessThanOrEqual(cap);
  expect(cache.size).toBeGreaterThan(20); // the cap still holds what it can
  expect(cache.get('id99')).toBeDefined(); // the newest stay, the oldest went
  expect(cache.get('id0')).toBeUndefined();
});

test('topic, op and size class are read off the held message; expired messages are not served', () => {
  let now = 0;
  const cache = new GossipCache(100, 64 * 1024, { now: () => now });
  const small = message(1, Uint8Array.of(9));
  const large = message(2, new Uint8Array(500).fill(5));
  cache.add('a', small, 1_000);
  cache.add('b', large, 1_000);
  expect(cache.messagesOn(new Uint8Array(16).fill(1))).toEqual([small]);
  expect(cache.keysOn(new Uint8Array(16).fill(2))).toEqual(['b']);
  expect(cache.keysOn(new Uint8Array(15).fill(2))).toEqual([]);
  expect(isLargeMessage(cache.get('a') as Uint8Array)).toBe(false);
  expect(isLargeMessage(cache.get('b') as Uint8Array)).toBe(true);
  expect(cache.fits(64 * 1024 - GOSSIP_ENTRY_OVERHEAD)).toBe(true); // the largest message: alone with its entry
  expect(cache.fits(64 * 1024 - GOSSIP_ENTRY_OVERHEAD + 1)).toBe(false);
  expect(new GossipCache(100, 250, { now: () => 0 }).add('x', small, 1_000)).toBe(false); // with its entry it could never fit
  now = 1_000;
  expect(cache.get('a')).toBeUndefined();
  expect(cache.messagesOn(new Uint8Array(16).fill(2))).toEqual([]);
});

test('an add drops every expired message, whatever the TTLs it was cached with', () => {
  let now = 0;
  const cache = new GossipCache(100, 64 * 1024, { now: () => now });
  const m = message(1, Uint8Array.of(1));
  const bytesOf = (n: number) => n * (m.length + GOSSIP_ENTRY_OVERHEAD);
  cache.add('a', m, 1_000);
  cache.add('b', m, 10_000);
  now = 500;
  cache.add('c', m, 10_000);
  expect([cache.size, cache.bytes]).toEqual([3, bytesOf(3)]);
  now = 1_000;
  cache.add('d', m, 10_000); // 'a' expired now
  expect([cache.size, cache.bytes]).toEqual([3, bytesOf(3)]);
  now = 5_000;
  cache.add('e', m, 100); // expires before every other
  now = 5_100;
  cache.add('f', m, 10_000);
  expect([cache.size, cache.bytes]).toEqual([4, bytesOf(4)]);
  expect(cache.keysOn(new Uint8Array(16).fill(1))).toEqual(['b', 'c', 'd', 'f']);
  cache.clear();
  now = 6_000;
  cache.add('g', m, 10);
  now = 6_010;
  cache.add('h', m, 10);
  expect(cache.keysOn(new Uint8Array(16).fill(1))).toEqual(['h']);
  expect(cache.size).toBe(1);
});
