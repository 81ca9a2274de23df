/** The receiver's record of delivered unicasts: retries are caught in the window, lapsed records go. */
import { DeliveredMessages } from '../../modules/mycelium/packager/delivered-messages.js';

/** Message `i`: a packet id and a 32-byte digest. */
const msg = (i: number): [number, Uint8Array] => [i & 0xff, new Uint8Array(32).fill(i)];

test('a retry within the window is caught, and records that lapsed are forgotten at the next delivery', () => {
  const d = new DeliveredMessages(8);
  for (let i = 0; i < 6; i++) expect(d.seen(...msg(i), 'a', 'n1', 0, 1000)).toBe(false);
  expect(d.seen(...msg(3), 'a', 'n1', 500, 1000)).toBe(true); // a retry
  expect(d.size).toBe(6);
  // Past the window: the old records can no longer match, and they no longer take room.
  expect(d.seen(...msg(9), 'a', 'n1', 2000, 1000)).toBe(false);
  expect(d.size).toBe(1);
  expect(d.seen(...msg(0), 'a', 'n1', 2100, 1000)).toBe(false); // the same bytes later: a new message
  expect(d.evictedEarly).toBe(0);
});

test('live records beyond the cap push out the oldest and are counted', () => {
  const d = new DeliveredMessages(4);
  for (let i = 0; i < 6; i++) d.seen(...msg(i), 'a', undefined, i, 1000);
  expect(d.size).toBe(4);
  expect(d.evictedEarly).toBe(2);
  expect(d.seen(...msg(0), 'a', undefined, 10, 1000)).toBe(false); // pushed out: delivered again
  expect(d.seen(...msg(5), 'a', undefined, 10, 1000)).toBe(true);
});

/** The table as it was kept before issue 21's compaction (records as objects): the reference. */
class ObjectRecords {
  private readonly byKey = new Map<string, { origin: string; node: string | undefined; until: number }[]>();
  private count = 0;
  evictedEarly = 0;
  constructor(private readonly limit: number) {}
  get size(): number {
    return this.count;
  }
  seen(key: string, origin: string, node: string | undefined, now: number, windowMs: number): boolean {
    for (const [k, held] of this.byKey) {
      if (held.some((d) => d.until > now)) break;
      this.set(k, []);
    }
    const list = (this.byKey.get(key) ?? []).filter((d) => d.until > now);
    if (list.some((d) => d.origin === origin || d.node === undefined || node === undefined || d.node === node)) {
      this.set(key, list);
      return true;
    }
    if (list.length >= 4) list.shift();
    list.push({ origin, node, until: now + windowMs });
    this.set(key, list);
    while (this.count > this.limit) {
      const [k, held] = this.byKey.entries().next().value as [string, { until: number }[]];
      if (held[0].until > now) this.evictedEarly++;
      this.set(k, (held as never[]).slice(1));
    }
    return false;
  }
  private set(key: string, list: { origin: string; node: string | undefined; until: number }[]): void {
    this.count += list.length - (this.byKey.get(key)?.length ?? 0);
    this.byKey.delete(key);
    if (list.length) this.byKey.set(key, list);
  }
}

test('records kept as numbers answer exactly as records kept as objects did', () => {
  let x = 12345;
  const rnd = (n: number) => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return (x >>> 8) % n;
  };
  for (const limit of [1, 3, 16, 128]) {
    const d = new DeliveredMessages(limit);
    const ref = new ObjectRecords(limit);
    let now = 0;
    for (let i = 0; i < 4000; i++) {
      now += rnd(40);
      // Keys that differ only in the packet id, in one byte, or in length (a short body).
      const packetId = rnd(3);
      const digest = new Uint8Array(32 - rnd(2) * rnd(33)).fill(7);
      if (digest.length) digest[rnd(digest.length)] = rnd(3);
      const key = packetId + '/' + Array.from(digest).join(',');
      const origin = ['a1:00', 'a1:01', 'p' + 'ab'.repeat(32), 'm0102:-', 'a2:00'][rnd(5)];
      const node = rnd(4) === 0 ? undefined : `n${rnd(6)}`;
      const windowMs = 100 + rnd(400);
      expect(d.seen(packetId, digest, origin, node, now, windowMs)).toBe(ref.seen(key, origin, node, now, windowMs));
      expect(d.size).toBe(ref.size);
      expect(d.evictedEarly).toBe(ref.evictedEarly);
    }
  }
});
