/**
 * The key index without a `Map` (issue 21, session 17): NodeSlots finds a key's slot through an
 * open-addressing hash over its slots. It must answer as the `Map` it replaced did, above all
 * when keys share buckets and are removed from the middle of a run (a removal moves later keys
 * back), and a freed slot taken by another key must answer for that key alone.
 */
import { hashOfKey, NodeSlots } from '../../modules/mycelium/packager/node-slots.js';
import { rng } from '../support/xorshift.js';

/** `n` keys (hex, as node keys are) whose hashes share their low `bits` bits: one run of buckets. */
function colliding(n: number, bits: number, salt: string): string[] {
  const out: string[] = [];
  let want: number | undefined;
  for (let i = 0; out.length < n; i++) {
    const key = (i.toString(16) + salt).padEnd(64, '0');
    const low = hashOfKey(key) & ((1 << bits) - 1);
    if ((want ??= low) === low) out.push(key);
  }
  return out;
}

test('keys sharing a bucket are all found, and removing one from the middle of the run loses none', () => {
  const slots = new NodeSlots(8);
  const keys = colliding(9, 7, 'c'); // 9 keys, one home bucket whatever the buckets' size (≤ 128)
  const held = keys.map((k) => slots.hold(k));
  expect(new Set(held).size).toBe(9);
  keys.forEach((k, i) => expect(slots.slotOf(k)).toBe(held[i]));
  for (const i of [4, 0, 8, 2]) {
    slots.release(held[i]);
    expect(slots.slotOf(keys[i])).toBeUndefined();
  }
  for (const i of [1, 3, 5, 6, 7]) expect(slots.slotOf(keys[i])).toBe(held[i]);
  expect(slots.size).toBe(5);
});

test('a freed slot taken by a new key answers for the new key only', () => {
  const slots = new NodeSlots(4);
  const [old, next] = colliding(2, 7, 'f');
  const slot = slots.hold(old);
  slots.release(slot);
  expect(slots.hold(next)).toBe(slot);
  expect([slots.slotOf(old), slots.heldKey(old), slots.keyOf(slot), slots.heldKey(next)]).toEqual([undefined, undefined, next, next]);
});

test.each([1, 2, 3, 4, 5, 6])('answers as a Map of key to slot and count through random holds and releases (seed %i)', (seed) => {
  const random = rng(seed);
  // Keys that collide in few bits, keys that do not, and keys that are not hex: more than the cap.
  const keys = [...colliding(20, 3, 'a' + seed), ...colliding(20, 6, 'b' + seed), ...Array.from({ length: 40 }, (_, i) => (i % 4 === 0 ? 'k' + i : (i * 7919 + seed).toString(16).padEnd(64, 'e')))];
  const slots = new NodeSlots(Math.floor(random() * 64));
  const ref = new Map<string, { slot: number; count: number }>();
  for (let i = 0; i < 4000; i++) {
    const key = keys[Math.floor(random() * keys.length)];
    const had = ref.get(key);
    if (random() < 0.55 || had === undefined) {
      if (ref.size >= 70 && had === undefined) continue; // the tables on an index are capped
      const slot = slots.hold(key);
      if (had) {
        expect(slot).toBe(had.slot);
        had.count++;
      } else {
        // A new key never takes a slot another key holds.
        for (const v of ref.values()) expect(v.slot).not.toBe(slot);
        ref.set(key, { slot, count: 1 });
      }
    } else {
      slots.release(had.slot);
      if (--had.count === 0) ref.delete(key);
    }
    if (i % 7 === 0 || ref.size < 4) {
      expect(slots.size).toBe(ref.size);
      for (const k of keys) {
        const r = ref.get(k);
        if (slots.slotOf(k) !== r?.slot) expect([k, slots.slotOf(k)]).toEqual([k, r?.slot]);
        if (r && slots.keyOf(r.slot) !== k) expect(slots.keyOf(r.slot)).toBe(k);
      }
    }
  }
});

test('the hash is FNV-1a over the length and the first 8 characters, unrolled or not', () => {
  const reference = (key: string): number => {
    let h = Math.imul(0x811c9dc5 ^ key.length, 0x01000193);
    for (let i = 0; i < Math.min(8, key.length); i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
    return h >>> 0;
  };
  const random = rng(3);
  for (let length = 0; length <= 70; length++) {
    const key = Array.from({ length }, () => Math.floor(random() * 16).toString(16)).join('');
    expect(hashOfKey(key)).toBe(reference(key));
  }
  expect(hashOfKey('0123456789abcdef')).toBe(3896297535); // pinned: bucket order must not change
});
