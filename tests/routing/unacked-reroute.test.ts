/**
 * A unicast that no ack answered (docs/routing.md "Unicasts no ack answered"): the radio says so
 * (ESP-NOW's send callback; here the test medium with `acks`), and the relay sends the packet on
 * by another neighbour at once, instead of losing it and the next ones until the dead
 * neighbour's hellos fall silent (seconds). What a user notices: a ping sent the moment a relay
 * dies still comes back.
 */
import { AppMesh, type AppNode } from '../support/apps-mesh.js';
import { Metric } from '../../modules/mycelium/wire/constants.js';
import type { Address } from '../../modules/mycelium/wire/address.js';

/** S and T joined by two relays: S–R1–T and S–R2–T. */
function diamond(acks: boolean): { mesh: AppMesh; s: AppNode; t: AppNode; r: AppNode[] } {
  const mesh = new AppMesh({ seed: 4, hello: true, acks, tree: { pub_each_round: false } });
  const [s, r1, r2, t] = mesh.addApps(4);
  for (const r of [r1, r2]) {
    mesh.wire(s, r);
    mesh.wire(r, t);
  }
  mesh.startAll();
  mesh.run(60_000);
  return { mesh, s, t, r: [r1, r2] };
}

/** Kill the relay S would send to T by, then ping T from S at once: answered within 2 s? */
function pingAsRelayDies(acks: boolean): { answered: number; counters: Record<string, number> } {
  const { mesh, s, t, r } = diamond(acks);
  expect(mesh.converged()).toBe(true);
  const to = t.packager.address as Address;
  const hop = s.packager.nextHop(to, Metric.dTree);
  const relay = r.find((x) => hop?.peer.key === x.packager.nodeKey) as AppNode;
  expect(relay).toBeDefined();
  relay.radio.on = false; // dies: nothing said, nothing heard from it again
  const before = s.ping.responses().length;
  expect(s.ping.request(to).ok).toBe(true);
  mesh.run(2_000);
  return { answered: s.ping.responses().length - before, counters: { unacked: s.packager.counters.get('unicast_unacked'), rerouted: s.packager.counters.get('rerouted_unacked') } };
}

test('a ping sent as its relay dies goes round by the other relay when the radio reports the unacked unicast', () => {
  const { answered, counters } = pingAsRelayDies(true);
  expect(answered).toBe(1);
  expect(counters.unacked).toBeGreaterThanOrEqual(1);
  expect(counters.rerouted).toBeGreaterThanOrEqual(1);
});

test('without the radio\'s word the same ping is lost (the dead relay is still trusted)', () => {
  expect(pingAsRelayDies(false).answered).toBe(0);
});
