/**
 * Issue 19, class 9 (tree replay): tree messages captured from a node's parent and replayed from
 * that parent's MAC after the root died must not keep the dead root's tree alive. A tree message
 * older than what we already heard from its sender (by the sender's own clock, `ts`) is dropped
 * (`tree_replay`), and an ASSIGN is taken only as the answer to our own REQUEST
 * (`tree_assign_unsolicited`). What open mode cannot stop (messages forged afresh) is in
 * docs/security.md.
 */
import { AppMesh, type AppMeshOptions, type AppNode } from '../support/apps-mesh.js';
import { parsePacket } from '../../modules/mycelium/wire/packet.js';
import { parsePackage } from '../../modules/mycelium/wire/package.js';
import { TreeOp, parseTree, serializeTree } from '../../modules/mycelium/wire/messages/tree.js';
import { encodeCoords } from '../../modules/mycelium/wire/address.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';
import { bytesEqual, toHex } from '../../modules/mycelium/wire/bytes.js';

/** The last frame `from` sent toward `to` (undefined: broadcast) carrying a tree message with `op`. */
function lastTreeFrame(mesh: AppMesh, from: AppNode, op: number, to?: AppNode): Uint8Array | undefined {
  let found: Uint8Array | undefined;
  for (const f of mesh.medium.log) {
    if (!bytesEqual(f.from, from.radio.mac) || (to ? !f.to || !bytesEqual(f.to, to.radio.mac) : f.to !== undefined)) continue;
    const p = parsePacket(f.frame);
    if (!p.ok || p.value.body.length < 32) continue;
    const pkg = parsePackage(p.value.body);
    if (!pkg.ok || !bytesEqual(pkg.value.appId, from.tree.id)) continue;
    const m = parseTree(pkg.value.blob);
    if (m.ok && m.value.op === op) found = f.frame;
  }
  return found;
}

/**
 * Root R – parent P – child C (claim scores: R best, then C). R dies; every 10 s for 5 minutes
 * the forger replays, from P's MAC to C, the last ASSIGN and SEND P sent while R lived.
 * Returns how many of the samples taken after R's death saw C follow the dead root.
 */
function replayAfterDeath(options: AppMeshOptions, seed: number) {
  const mesh = new AppMesh({ seed, ...options });
  const [r, c, p] = mesh.addApps(3);
  mesh.wire(r, p);
  mesh.wire(p, c);
  mesh.startAll();
  mesh.run(120_000);
  expect(toHex(c.tree.root)).toBe(toHex(r.node.nodeId));
  expect(c.tree.parentKey).toBe(toHex(p.node.nodeId));
  const assign = lastTreeFrame(mesh, p, TreeOp.ASSIGN_ADDRESS, c)!;
  const send = lastTreeFrame(mesh, p, TreeOp.SEND)!;
  expect(assign && send).toBeDefined();
  r.node.stop();
  mesh.medium.unlink(r.radio, p.radio);
  let alive = 0;
  let samples = 0;
  for (let t = 0; t < 300_000; t += 10_000) {
    c.radio.onReceive?.(send, p.radio.mac);
    c.radio.onReceive?.(assign, p.radio.mac);
    mesh.run(10_000);
    if (t < 90_000) continue; // the time a tree takes to notice its root is gone, without Hello
    samples++;
    if (bytesEqual(c.tree.root, r.node.nodeId)) alive++;
  }
  return { alive, samples, c };
}

test('with Hello: replayed ASSIGN and SEND from the old parent do not bring the dead root back', () => {
  const { alive, samples, c } = replayAfterDeath({ hello: true }, 41);
  console.log(`tree replay (Hello): C followed the dead root in ${alive}/${samples} samples; replays dropped ${c.packager.counters.get('tree_replay')}, unsolicited ASSIGNs ${c.packager.counters.get('tree_assign_unsolicited')}`);
  expect(alive).toBe(0);
});

test('without Hello (upstream\'s apps): replayed SENDs from the parent do not keep the dead root\'s tree alive', () => {
  const { alive, samples, c } = replayAfterDeath({}, 42);
  console.log(`tree replay (no Hello): C followed the dead root in ${alive}/${samples} samples; replays dropped ${c.packager.counters.get('tree_replay')}, unsolicited ASSIGNs ${c.packager.counters.get('tree_assign_unsolicited')}`);
  expect(alive).toBe(0);
});

test('an ASSIGN that answers no REQUEST of ours is not taken, however fresh', () => {
  const mesh = new AppMesh({ seed: 43 });
  const [r, c, p] = mesh.addApps(3);
  mesh.wire(r, p);
  r.node.start();
  p.node.start();
  mesh.run(60_000);
  mesh.wire(p, c);
  c.node.start();
  mesh.run(50); // C knows nobody's claim yet, and has asked nothing
  p.packager.addPeer(c.node.nodeId, [{ mac: c.radio.mac, radio: p.radio }]);
  const coords = [...p.packager.address!.coords, 9];
  const blob = unwrap(serializeTree({ op: TreeOp.ASSIGN_ADDRESS, ts: BigInt(mesh.clock.now()), age: 0, claim: r.node.nodeId, address: unwrap(encodeCoords(coords)), nodeId: p.node.nodeId }));
  unwrap(p.packager.send(p.tree.id, blob, { nodeId: c.node.nodeId }));
  mesh.run(100);
  console.log(`unsolicited ASSIGN: C's address ${c.packager.address?.toString()}; refused ${c.packager.counters.get('tree_assign_unsolicited')}`);
  expect(c.packager.address?.coords).not.toEqual(coords); // before: taken, an address its parent never recorded
  mesh.run(60_000);
  expect(c.packager.address?.coords).toEqual([...p.packager.address!.coords, 1]); // the one P gave in answer
});
