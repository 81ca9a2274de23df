/**
 * A peer's addresses in two fields (issue 21, session 15: the newest and the one before, not a
 * two-item array) must read exactly as the layout they replaced (reference/peer-addrs-before.ts)
 * through random addresses set, held anew and dropped, in three tree states.
 */
import { Peer } from '../../modules/mycelium/packager/peer.js';
import { Address } from '../../modules/mycelium/wire/address.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';
import { PeerAddrsBefore } from './reference/peer-addrs-before.js';
import { rng } from '../support/xorshift.js';

test.each([1, 2, 3])('addresses read as before through random changes (seed %i)', (seed) => {
  const random = rng(seed);
  const pick = (n: number) => Math.floor(random() * n);
  // A few addresses per tree state, some equal but distinct objects (as parsed off the air).
  const addr = () => unwrap(Address.fromCoords(1 + pick(3), [1, 1 + pick(3)]));
  const peer = new Peer('ab'.repeat(32), 0, 4);
  const before = new PeerAddrsBefore();
  for (let step = 0; step < 3000; step++) {
    const r = random();
    if (r < 0.45) {
      const a = addr();
      peer.setAddr(a);
      before.setAddr(a);
    } else if (r < 0.8) {
      const a = addr();
      peer.holdsNow(a);
      before.holdsNow(a);
    } else {
      const ts = 1 + pick(3);
      peer.dropAddr(ts);
      before.dropAddr(ts);
    }
    const got = peer.addrs;
    const want = before.addrs;
    expect(got.length).toBe(want.length);
    for (let i = 0; i < want.length; i++) expect(got[i]).toBe(want[i]); // the same objects, in order
  }
});
