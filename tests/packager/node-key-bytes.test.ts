/**
 * The key index keeps a node key (64 lower-case hex digits) as its 32 bytes and makes the string
 * when asked; a Packager's peer keeps no key string of its own (issue 21, session 19: the string
 * was 80 B and its field 16 B a peer on XS). Every key must still be answered exactly — through
 * slots freed and taken by other keys, for keys that are not node keys, and for a dropped peer
 * whose slot another node took since.
 */
import { NodeSlots } from '../../modules/mycelium/packager/node-slots.js';
import { SlotPairs } from '../../modules/mycelium/packager/slot-pairs.js';
import { Peer } from '../../modules/mycelium/packager/peer.js';
import { peerColumns } from '../../modules/mycelium/packager/peer-class.js';
import { TestMesh, nodeIdOf } from '../support/mesh.js';
import { toHex } from '../../modules/mycelium/wire/bytes.js';
import { rng } from '../support/xorshift.js';

const keyOf = (n: number) => toHex(Uint8Array.from({ length: 32 }, (_, i) => (n * 37 + i * 11) & 0xff));

test('a Packager’s peers keep no key string, yet answer their key and id', () => {
  const mesh = new TestMesh();
  const [a, b] = mesh.add(2);
  mesh.connect(a, b);
  mesh.run(1000);
  const peer = a.packager.peers.find((p) => p.key === toHex(b.node.nodeId));
  expect(peer).toBeDefined();
  // The old Peer held `key` as a field of its own.
  expect(Object.keys(peer as Peer)).not.toContain('key');
  expect(Object.keys(peer as Peer)).not.toContain('keptKey');
  expect(peer?.key).toBe(toHex(nodeIdOf(2)));
  expect(peer?.id).toEqual(nodeIdOf(2));
  expect(a.packager.peer(nodeIdOf(2))).toBe(peer);
});

test('node keys and other keys are answered exactly through slot reuse (random run)', () => {
  const random = rng(3);
  const slots = new NodeSlots(8);
  const a = new SlotPairs(slots);
  const b = new SlotPairs(slots);
  // Node keys, an upper-case one (not what toHex makes: kept as a string), and short names.
  const keys = [...Array.from({ length: 20 }, (_, i) => keyOf(i)), keyOf(99).toUpperCase(), 'k1', 'k2'];
  // What each table holds, kept here (not asked of the tables, which ask the index).
  const inA = new Set<string>();
  const inB = new Set<string>();
  const wrong: string[] = [];
  for (let step = 0; step < 3000; step++) {
    const key = keys[Math.floor(random() * keys.length)];
    const [table, model] = random() < 0.5 ? [a, inA] : [b, inB];
    if (random() < 0.55) {
      table.put(key, step, step, 100);
      model.add(key);
    } else {
      table.delete(key);
      model.delete(key);
    }
    for (const k of keys) {
      const s = slots.slotOf(k);
      const answered = s === undefined ? undefined : [slots.keyOf(s), slots.heldKey(k)];
      const want = inA.has(k) || inB.has(k) ? [k, k] : undefined;
      if (JSON.stringify(answered) !== JSON.stringify(want)) wrong.push(`step ${step}: ${k} answered ${JSON.stringify(answered)}`);
      // By slot as by key (Beacon asks by a peer's slot: no key made).
      if (s !== undefined && a.secondAt(s) !== a.second(k)) wrong.push(`step ${step}: ${k} by slot ${a.secondAt(s)}, by key ${a.second(k)}`);
    }
  }
  expect(wrong).toEqual([]);
  expect(slots.inBytes(slots.slotOf(keyOf(1)) ?? slots.hold(keyOf(1)))).toBe(true);
  expect(slots.inBytes(slots.hold('k1'))).toBe(false);
  expect(slots.inBytes(slots.hold(keyOf(99).toUpperCase()))).toBe(false);
});

test('a dropped peer keeps its key after another node took its slot', () => {
  const slots = new NodeSlots(4);
  const cols = peerColumns(slots);
  const first = new Peer(keyOf(1), 0, 4, cols);
  first.detach();
  const second = new Peer(keyOf(2), 0, 4, cols); // takes the slot the first let go
  expect(first.slotOn(slots)).toBeUndefined(); // dropped: found by its key, not a slot it let go
  expect(second.slotOn(slots)).toBe(slots.slotOf(keyOf(2)));
  expect(second.slotOn(new NodeSlots(4))).toBeUndefined(); // another index
  expect(first.key).toBe(keyOf(1));
  expect(first.id).toEqual(Uint8Array.from({ length: 32 }, (_, i) => (37 + i * 11) & 0xff));
  expect(second.key).toBe(keyOf(2));
  expect(slots.slotOf(keyOf(1))).toBeUndefined();
  const named = new Peer('somebody', 0, 4, cols); // not a node key: kept by the peer
  expect(named.key).toBe('somebody');
});
