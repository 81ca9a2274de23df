/**
 * The SpanningTree age byte (wire/messages/tree-age.ts, docs/routing.md "Tree age on LoRa"):
 * whole seconds below 128 as upstream writes them, a float above that reaches LoRa's tree ages,
 * read on the old side. Before, the byte was clamped at 255 s, so a tree older than that was
 * told 255 s old however old it was.
 */
import { encodeTreeAge, treeAgeSeconds, TREE_AGE_MAX_TOLD_S } from '../../modules/mycelium/wire/messages/tree-age.js';
import { TreeOp, parseTree, serializeTree } from '../../modules/mycelium/wire/messages/tree.js';

test('ages below 128 s go as upstream writes them', () => {
  for (let s = 0; s < 128; s++) {
    expect(encodeTreeAge(s)).toBe(s);
    expect(treeAgeSeconds(s)).toBe(s);
  }
  expect(encodeTreeAge(59.9)).toBe(59); // whole seconds, rounded down as upstream's int()
  expect(encodeTreeAge(-3)).toBe(0);
});

test("LoRa's tree ages are told apart, never read younger than they were", () => {
  // 4 and 6 maintenance periods at SF7/BW125 (1,024 / 1,536 s) and at the factory SF9 (3,236 / 4,854 s), 1 %.
  for (const s of [255, 256, 300, 1023, 1024, 1536, 3236, 4854, 20_000, TREE_AGE_MAX_TOLD_S - 1024]) {
    const read = treeAgeSeconds(encodeTreeAge(s));
    expect(read).toBeGreaterThanOrEqual(s);
    expect(read).toBeLessThan(s * 1.07 + 8); // a step is at most 1/16 of the age (8 s from 128 s)
  }
  // The byte goes up with the age: an older tree never sends a younger code.
  let last = 0;
  const backwards: number[] = [];
  for (let s = 0; s <= TREE_AGE_MAX_TOLD_S + 10; s++) {
    const c = encodeTreeAge(s);
    if (c < last || c > 255) backwards.push(s);
    last = c;
  }
  expect(backwards).toEqual([]);
  // Before, 1,024 s and 3,236 s went as 255 and were read as 255 s.
  expect(treeAgeSeconds(encodeTreeAge(1024))).toBeGreaterThanOrEqual(1024);
});

test('code 255 is too old to tell; any byte from upstream or an older build is read at least as old', () => {
  expect(encodeTreeAge(1e9)).toBe(255);
  expect(treeAgeSeconds(255)).toBe(Infinity);
  for (let c = 0; c < 256; c++) expect(treeAgeSeconds(c)).toBeGreaterThanOrEqual(c);
});

test('every code round-trips through a tree message', () => {
  const id = new Uint8Array(32).fill(7);
  for (let c = 0; c < 256; c++) {
    const bytes = serializeTree({ op: TreeOp.SEND, ts: 1n, age: c, claim: id, address: new Uint8Array(16), nodeId: id });
    if (!bytes.ok) throw new Error(bytes.error.message);
    const back = parseTree(bytes.value);
    expect(back.ok && back.value.age).toBe(c);
    expect(encodeTreeAge(treeAgeSeconds(c))).toBe(c); // the last second of a code's range is in it
  }
});
