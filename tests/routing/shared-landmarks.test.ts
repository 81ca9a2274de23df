/**
 * Neighbours' landmark entries shared (issue 21, session 15): Hello keeps one entry object for
 * equal entries (apps/shared-landmarks.ts). Each entry must read as the one it replaced — the
 * parsed entry with the node's own Address for it where the node holds one (session 12's
 * `sharedLandmark`) — and equal ones must be one object, however many neighbours list them.
 */
import { SharedLandmarks } from '../../modules/mycelium/apps/shared-landmarks.js';
import { Packager } from '../../modules/mycelium/packager/packager.js';
import { Address } from '../../modules/mycelium/wire/address.js';
import type { LandmarkDistance } from '../../modules/mycelium/wire/messages/hello-landmarks.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';
import { nodeIdOf, virtualPlatform } from '../support/mesh.js';
import { VirtualClock } from '../../simulator/engine/virtual-clock.js';
import { rng } from '../support/xorshift.js';

/** An address as parsed off the air: a fresh object each time. */
const parsed = (coords: number[]): Address => unwrap(Address.fromBytes(1, unwrap(Address.fromCoords(1, coords)).bytes));

/** Session 12's sharing, the reference: the node's Address for the landmark, a new entry each time. */
function sharedBefore(p: Packager, l: LandmarkDistance): LandmarkDistance {
  if (l.address.coords.includes(0)) return l;
  const address = p.sharedAddress(l.address);
  return address === l.address ? l : { address, hops: l.hops };
}

test('entries read as before, and equal ones are one object', () => {
  const p = new Packager(virtualPlatform(new VirtualClock(0)), { nodeId: nodeIdOf(1) });
  // The node routes to 30 landmarks; neighbours list those and 30 it does not know.
  for (let i = 1; i <= 30; i++) p.addRoute(nodeIdOf(100 + i), parsed([1, i]));
  const shared = new SharedLandmarks();
  const random = rng(7);
  const kept = new Map<string, LandmarkDistance>();
  for (let n = 0; n < 2000; n++) {
    const l = { address: parsed([1 + Math.floor(random() * 2), 1 + Math.floor(random() * 30)]), hops: 1 + Math.floor(random() * 3) };
    const got = shared.of(p, l);
    const want = sharedBefore(p, l);
    expect(got.address).toBe(want.address); // the node's own object where it holds one
    expect(got.hops).toBe(want.hops);
    if (want === l) {
      expect(got).toBe(l); // nothing to share: the parsed entry itself
      continue;
    }
    // An entry seen among the last few is the same object (48 remembered, oldest out first).
    const key = `${got.address.key}/${got.hops}`;
    const before = kept.get(key);
    if (before && n < 48) expect(got).toBe(before);
    kept.set(key, got);
  }
  // Two neighbours listing one landmark at one hop count hold one entry.
  const a = shared.of(p, { address: parsed([1, 5]), hops: 2 });
  const b = shared.of(p, { address: parsed([1, 5]), hops: 2 });
  const c = shared.of(p, { address: parsed([1, 5]), hops: 3 });
  expect(b).toBe(a);
  expect(c).not.toBe(a);
  expect(c.address).toBe(a.address);
});
