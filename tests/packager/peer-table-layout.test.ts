/**
 * A Packager's peers on its key index (issue 21, session 15): PeerTable (peer-table.ts) must
 * answer exactly as the `Map` it replaced (reference/peer-map-before.ts) — lookups, size, and the
 * order of the walk, which routing's ties and the Beacon's eviction follow — through random adds,
 * removals, re-adds and clears, with other tables holding keys on the same index; and a slot freed
 * with its peer and taken by another key must not answer for the old one.
 */
import { NodeSlots } from '../../modules/mycelium/packager/node-slots.js';
import { PeerTable } from '../../modules/mycelium/packager/peer-table.js';
import { SlotPairs } from '../../modules/mycelium/packager/slot-pairs.js';
import { Packager } from '../../modules/mycelium/packager/packager.js';
import { PeerMapBefore } from './reference/peer-map-before.js';
import { rng } from '../support/xorshift.js';
import { nodeIdOf, virtualPlatform } from '../support/mesh.js';
import { VirtualClock } from '../../simulator/engine/virtual-clock.js';

class Item {
  /** Kept by the item (as a peer keeps a key that is not a node id's): node-slots.ts KeyOwner. */
  readonly keptKey: string;
  constructor(readonly key: string, readonly n: number) {
    this.keptKey = key;
  }
}

test.each([1, 2, 3, 4, 5])('answers as the Map it replaced through random operations (seed %i)', (seed) => {
  const random = rng(seed);
  const slots = new NodeSlots(16);
  const table = new PeerTable<Item>(slots);
  const before = new PeerMapBefore<Item>();
  // Another table on the index (as Beacon's last beacons are): it holds keys before, while and
  // after they are peers, so slots outlive peers and are shared.
  const others = new SlotPairs(slots);
  const keys = Array.from({ length: 40 }, (_, i) => `k${i}`);
  let made = 0;
  for (let step = 0; step < 3000; step++) {
    const key = keys[Math.floor(random() * keys.length)];
    const r = random();
    if (r < 0.4) {
      if (!before.has(key)) {
        const item = new Item(key, made++);
        before.add(item);
        table.add(item);
      }
    } else if (r < 0.7) expect(table.delete(key)).toBe(before.delete(key));
    else if (r < 0.85) others.put(key, step, 0, 12);
    else if (r < 0.95) others.delete(key);
    else if (r < 0.955) {
      before.clear();
      table.clear();
    } else if (r < 0.97) {
      // A walk that removes the peer it stands on, or adds one, as a caller outside could with a
      // Map: both walks go in step and see the same peers.
      const walk = table.values();
      const walkBefore = before.values();
      for (;;) {
        const a = walk.next();
        const b = walkBefore.next();
        expect(a.done).toBe(b.done);
        if (b.done) break;
        expect(a.value).toBe(b.value);
        const p = b.value;
        if (p.n % 3 === 0) {
          table.delete(p.key);
          before.delete(p.key);
        } else if (p.n % 3 === 1) {
          const fresh = keys.find((k) => !before.has(k));
          if (fresh !== undefined) {
            const item = new Item(fresh, made++);
            before.add(item);
            table.add(item);
          }
        }
      }
    }
    expect(table.size).toBe(before.size);
    expect(table.get(key)).toBe(before.get(key));
    expect(table.has(key)).toBe(before.has(key));
    if (step % 50 === 0) for (const k of keys) expect(table.get(k)).toBe(before.get(k));
    expect([...table.values()]).toEqual([...before.values()]);
  }
  // The index holds exactly the keys some table holds.
  for (const k of keys) expect(slots.slotOf(k) !== undefined).toBe(before.has(k) || others.has(k));
});

test('a slot freed with its peer is taken by the next key without the old peer', () => {
  const slots = new NodeSlots(4);
  const table = new PeerTable<Item>(slots);
  table.add(new Item('a', 1));
  table.add(new Item('old', 2));
  table.add(new Item('c', 3));
  const slot = slots.slotOf('old');
  expect(table.delete('old')).toBe(true);
  expect(slots.slotOf('old')).toBeUndefined();
  // Another table takes the freed slot for a new key: no peer is there.
  const others = new SlotPairs(slots);
  others.put('new', 1, 2, 4);
  expect(slots.slotOf('new')).toBe(slot);
  expect([table.get('new'), table.has('new'), table.get('old'), table.size]).toEqual([undefined, false, undefined, 2]);
  expect(table.delete('new')).toBe(false);
  expect(slots.heldKey('new')).toBe('new');
  expect([...table.values()].map((p) => p.n)).toEqual([1, 3]);
  // Then a peer with that key: it comes last, and the slot names it until it goes.
  const fresh = new Item('new', 4);
  table.add(fresh);
  expect(table.get('new')).toBe(fresh);
  expect([...table.values()].map((p) => p.n)).toEqual([1, 3, 4]);
  table.delete('new');
  expect(slots.heldKey('new')).toBe('new'); // still the other table's
  expect(slots.keyOf(slot as number)).toBe('new');
  table.clear();
  others.clear();
  expect(slots.size).toBe(0);
});

test("a Packager's peers come in the order they were added, and the first of equals is evicted", () => {
  const clock = new VirtualClock(0);
  const p = new Packager(virtualPlatform(clock), { nodeId: nodeIdOf(1), limits: { peers: 5 } });
  const id = (n: number) => nodeIdOf(n + 2);
  for (let n = 0; n < 5; n++) p.addPeer(id(n), []);
  p.removePeer(id(1));
  p.removePeer(id(3));
  p.addPeer(id(1), []);
  p.addPeer(id(2), []); // a refresh keeps its place
  p.addPeer(id(5), []);
  const order = () => p.peers.map((x) => x.key);
  expect(order()).toEqual([0, 2, 4, 1, 5].map((n) => p.peer(id(n))?.key));
  expect(p.peer(id(3))).toBeUndefined();
  // Full, all heard at the same time and silent long enough: a newcomer takes the first one's place.
  clock.advance(10 * 60_000);
  expect(p.addPeer(id(7), [])).toBeDefined();
  expect(p.peer(id(0))).toBeUndefined();
  expect(order()).toEqual([2, 4, 1, 5, 7].map((n) => p.peer(id(n))?.key));
});

test('the order holds through more adds than its 2 B insertion numbers count (renumbered at 65,535)', () => {
  const slots = new NodeSlots(16);
  const table = new PeerTable<Item>(slots);
  const before = new PeerMapBefore<Item>();
  const keys = Array.from({ length: 6 }, (_, i) => `k${i}`);
  const random = rng(9);
  let made = 0;
  for (let step = 0; step < 150_000; step++) {
    const key = keys[Math.floor(random() * keys.length)];
    if (before.has(key)) {
      before.delete(key);
      table.delete(key);
    } else {
      const item = new Item(key, made++);
      before.add(item);
      table.add(item);
    }
    if (step % 5000 === 0 || step > 149_990) {
      expect(table.toArray().map((i) => i.n)).toEqual([...before.values()].map((i) => i.n));
      expect([...table.values()].map((i) => i.n)).toEqual([...before.values()].map((i) => i.n));
    }
  }
  expect(made).toBeGreaterThan(70_000);
});
