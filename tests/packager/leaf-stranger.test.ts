/**
 * A sleepy leaf that missed its router's id (docs/sleep.md, session 23): its boot listen hears the
 * router only as a stranger (hellos without the sender's id, which rides on one in twelve; their
 * Beacons were lost). It follows the stranger's schedule, both name themselves, and they pair
 * within seconds, the leaf never listening continuously for a router it already heard. Before,
 * the leaf kept its own schedule, met the router's hellos by chance and listened continuously
 * again and again. On the virtual clock.
 */
import { TestMesh } from '../support/mesh.js';
import { Hello } from '../../modules/mycelium/apps/hello.js';
import { nodeHashes } from '../../simulator/platform/node-hashes.js';

test('a leaf that hears a router it cannot name follows its schedule and pairs with it, without a continuous listen', () => {
  const mesh = new TestMesh({ node: { modemSleep: true }, nodeAt: (i) => (i === 1 ? { modemSleep: { leaf: true } } : undefined) });
  const [router, leaf] = mesh.add(2);
  for (const n of [router, leaf]) n.node.addApp(new Hello(nodeHashes));
  router.node.start();
  mesh.clock.advance(10_000); // the router's first hello, the one with its id, is long gone
  leaf.node.start();
  mesh.clock.advance(1_500); // and so is the leaf's
  expect(leaf.packager.peer(router.node.nodeId)).toBeUndefined();
  // Within reach from now, the leaf's boot listen still on: it hears the router's hellos, which
  // do not say who sent them (nor does a Beacon here: these nodes run Hello alone).
  mesh.medium.link(router.radio, leaf.radio);
  let paired = -1;
  let on = 0;
  for (let t = 1; t <= 60_000; t++) {
    mesh.clock.advance(1);
    if (t > 15_000 && leaf.radio.on) on++; // after its boot listen and the pairing
    if (paired < 0 && leaf.packager.peer(router.node.nodeId)?.usable(mesh.clock.now()) && router.packager.peer(leaf.node.nodeId)) paired = t;
  }
  expect(paired).toBeGreaterThan(0);
  expect(paired).toBeLessThan(15_000);
  expect(leaf.packager.counters.get('sleep_leaf_resync')).toBe(0);
  expect(on / 45_000).toBeLessThan(0.05);
});
