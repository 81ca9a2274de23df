/**
 * A neighbour's held advert of a place it has since left (signed/chain-fetch.ts `superseded`,
 * docs/security.md "Session 13"): dropped once the neighbour's newer advert, or its chain sent
 * in answer to our request, shows it elsewhere. Kept, it was asked for every chain_request_ms
 * until 20 s old, each answer proving the other place again.
 */
import { ChainFetch } from '../../modules/mycelium/signed/chain-fetch.js';
import { TreeOp, serializeTree } from '../../modules/mycelium/wire/messages/tree.js';
import { encodeCoords } from '../../modules/mycelium/wire/address.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';
import { toHex } from '../../modules/mycelium/wire/bytes.js';

/** The 16 address bytes of `coords`. */
function unwrapAddress(coords: number[]): Uint8Array {
  const a = encodeCoords(coords);
  if (!a.ok) throw new Error('address');
  return a.value;
}

test('a held advert of a place its sender has left is dropped, not asked for again and again', () => {
  const fetch = new ChainFetch(() => 4, () => 2_000, () => 20_000);
  const advert = (coords: number[]) => unwrap(serializeTree({ op: TreeOp.SEND, ts: 1n, age: 0, claim: new Uint8Array(32).fill(3), address: unwrapAddress(coords), nodeId: new Uint8Array(32).fill(4) }));
  const place = (coords: number[]) => `${toHex(new Uint8Array(32).fill(3))}/7/${toHex(unwrapAddress(coords))}`;
  fetch.held.set('x', { inner: advert([1, 2]), epoch: 7, accept: () => {}, at: 1_000 });
  expect(fetch.ask('x', 'T/7', 0, true, 1_000)).toBe(true);
  expect(fetch.superseded('x', place([1, 2]), true)).toBe(false); // its chain proves that very place: kept (and accepted)
  // Its answer shows it at 8 now (it moved after the advert): the advert is stale. Kept, it was
  // asked for every 2 s until 20 s old, each answer proving 8 again.
  expect(fetch.superseded('x', place([8]), true)).toBe(true);
  expect(fetch.held.has('x')).toBe(false);
  // An advert held after our request may be newer than the answer (a chain sent before a move
  // can land after the move's SEND): kept, and asked again.
  fetch.held.set('x', { inner: advert([1, 2]), epoch: 7, accept: () => {}, at: 4_000 });
  expect(fetch.superseded('x', place([8]), true)).toBe(false);
  // Its own newer advert of another place supersedes it either way.
  expect(fetch.superseded('x', place([8]), false)).toBe(true);
});
