/**
 * `pub_refresh_ms` (docs/sleep.md "Session 21"): with the per-round advert off (`pub_each_round`
 * false), a node that stays put gossips its advert again once this long has passed, so nodes
 * beyond its neighbours keep their route to it past the route lifetime (480 s) and can still send
 * to it by node id. Without it (0, the default) only moves are gossiped.
 */
import { AppMesh } from '../support/apps-mesh.js';

/** a — b — c in a line, subscribed to gossiped adverts; `refreshMs` for every node. */
function line(refreshMs: number) {
  const mesh = new AppMesh({ seed: 4, tree: { sub: true, pub_each_round: false, pub_refresh_ms: refreshMs } });
  const [a, b, c] = mesh.addApps(3);
  mesh.wire(a, b);
  mesh.wire(b, c);
  mesh.startAll();
  return { mesh, a, c };
}

test('an address gossiped again every 4 min keeps far nodes routing to it by node id', () => {
  const { mesh, a, c } = line(240_000);
  mesh.run(700_000); // past the 480-s route lifetime after the address settled
  expect(a.packager.addressesOf(c.node.nodeId).map(String)).toContain(String(c.packager.address));
  expect(a.packager.send(a.app.id, Uint8Array.of(1), { nodeId: c.node.nodeId }).ok).toBe(true);
  mesh.run(5_000);
  expect(c.app.received).toHaveLength(1);
});

test('without the refresh, a far node that stays put is forgotten after the route lifetime', () => {
  const { mesh, a, c } = line(0);
  mesh.run(700_000);
  expect(a.packager.addressesOf(c.node.nodeId)).toEqual([]);
});
