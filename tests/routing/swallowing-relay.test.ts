/**
 * A neighbour that acks every frame and swallows what it should relay (docs/routing.md "Resends
 * go another way"): a blackhole, which the link layer cannot see. The origin's end-to-end resend
 * reaches the relay before it as the same packet, and goes another way; a neighbour whose relays
 * failed for two targets is tried last. What a user notices: pings through such a neighbour are
 * answered, after one resend at first and at once once it is known.
 */
import { AppMesh, type AppNode } from '../support/apps-mesh.js';
import { Address } from '../../modules/mycelium/wire/address.js';
import { bytesEqual } from '../../modules/mycelium/wire/bytes.js';
import { parsePacket } from '../../modules/mycelium/wire/packet.js';

/** O–R, R to T1 and T2 through either of two relays (R–A–T, R–B–T). */
function mesh(): { mesh: AppMesh; o: AppNode; r: AppNode; relays: AppNode[]; targets: AppNode[] } {
  const m = new AppMesh({ seed: 7, hello: true, acks: true, tree: { pub_each_round: false } });
  const [o, r, a, b, t1, t2] = m.addApps(6);
  m.wire(o, r);
  for (const x of [a, b]) {
    m.wire(r, x);
    for (const t of [t1, t2]) m.wire(x, t);
  }
  m.startAll();
  m.run(60_000);
  return { mesh: m, o, r, relays: [a, b], targets: [t1, t2] };
}

/** From now on `x` drops every routed frame it is asked to relay (acked on the link all the same). */
function swallow(x: AppNode): { swallowed: number } {
  const count = { swallowed: 0 };
  const receive = x.radio.onReceive as (frame: Uint8Array, mac: Uint8Array | undefined) => void;
  x.radio.onReceive = (frame, mac) => {
    const p = parsePacket(frame);
    const own = x.packager.address;
    if (p.ok && p.value.toAddr && own && !bytesEqual(p.value.toAddr, own.bytes)) {
      count.swallowed++;
      return;
    }
    receive(frame, mac);
  };
  return count;
}

/** Ping `to` from `o`; how many answers came within `ms`. */
function ping(m: AppMesh, o: AppNode, to: AppNode, ms: number): number {
  const before = o.ping.responses().length;
  expect(o.ping.request(to.packager.address as Address).ok).toBe(true);
  m.run(ms);
  return o.ping.responses().length - before;
}

/** The relay R sends packets for T1 by, made a blackhole, and its swallowed count. */
function blackholeOnTheWay(s: ReturnType<typeof mesh>): { bad: AppNode; count: { swallowed: number } } {
  expect(s.mesh.converged()).toBe(true);
  const hop = s.r.packager.nextHop(s.targets[0].packager.address as Address);
  const bad = s.relays.find((x) => x.packager.nodeKey === hop?.peer.key) as AppNode;
  expect(bad).toBeDefined();
  return { bad, count: swallow(bad) };
}

test('a ping whose relay swallows it is answered once a resend goes around it', () => {
  const s = mesh();
  const { count } = blackholeOnTheWay(s);
  expect(ping(s.mesh, s.o, s.targets[0], 16_000)).toBe(1);
  expect(count.swallowed).toBeGreaterThanOrEqual(2);
  expect(s.r.packager.counters.get('resend_around')).toBeGreaterThanOrEqual(1);
});

test('every ping through it is answered, each after its own resends: nothing marks the neighbour', () => {
  const s = mesh();
  const { count } = blackholeOnTheWay(s);
  for (let i = 0; i < 3; i++) for (const t of s.targets) expect(ping(s.mesh, s.o, t, 16_000)).toBe(1);
  expect(count.swallowed).toBeGreaterThanOrEqual(12);
});

test('resends to a dead target leave nothing behind: the next ping elsewhere goes the usual way at once', () => {
  const s = mesh();
  expect(s.mesh.converged()).toBe(true);
  const [live, dead] = s.targets;
  const to = live.packager.address as Address;
  const first = s.r.packager.nextHop(to)?.peer.key;
  dead.radio.on = false;
  expect(ping(s.mesh, s.o, dead, 9_000)).toBe(0);
  expect(s.r.packager.counters.get('resend_around')).toBeGreaterThanOrEqual(1);
  expect(s.r.packager.nextHop(to)?.peer.key).toBe(first);
  // Under a resend period (2 s): only the first copy can have been answered.
  expect(ping(s.mesh, s.o, live, 1_500)).toBe(1);
});
