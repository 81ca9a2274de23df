/**
 * A neighbour whose hello lists no neighbours and no landmarks leaves no reach behind (issue 21:
 * a reach is 80 B on XS, and routing reads an empty list as none: short-paths.ts, landmarks.ts).
 * What a user would notice of the old layout is only memory, so the test follows the state: b
 * holds a reach for a while a's latest hello lists someone, none after one that lists nobody,
 * and one again from a's next real hello. On the virtual clock.
 */
import { AppMesh } from '../support/apps-mesh.js';
import { parsePacket } from '../../modules/mycelium/wire/packet.js';
import { parsePackage } from '../../modules/mycelium/wire/package.js';
import { parseHello, serializeHello, type HelloMessage } from '../../modules/mycelium/wire/messages/hello.js';
import { expandFrame, COMPACT_MARKER } from '../../modules/mycelium/wire/compact-frame.js';
import { portableHashes } from '../../modules/mycelium/platform/portable.js';
import { bytesEqual } from '../../modules/mycelium/wire/bytes.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';

test("b drops a's reach when a's hello lists nobody, and takes it back from the next that lists someone", () => {
  const mesh = new AppMesh({ seed: 5, hello: true });
  const [a, b, c] = mesh.addApps(3);
  mesh.connect(a, b);
  mesh.connect(a, c);
  mesh.startAll();
  const helloId = (a.hello as NonNullable<typeof a.hello>).id;
  /** a's last hello with a neighbour section on the medium since the log was cleared. */
  const lastFromA = (): HelloMessage | undefined => {
    let last: HelloMessage | undefined;
    for (const f of mesh.medium.log) {
      if (!bytesEqual(f.from, a.radio.mac)) continue;
      const p = parsePacket(f.frame[0] === COMPACT_MARKER ? (expandFrame(portableHashes, f.frame) ?? f.frame) : f.frame);
      const pkg = p.ok ? parsePackage(p.value.body) : undefined;
      if (!pkg?.ok || !bytesEqual(pkg.value.appId, helloId)) continue;
      const m = parseHello(pkg.value.blob);
      if (m.ok && m.value.neighbours) last = m.value;
    }
    return last;
  };
  const reachOfA = () => b.packager.peer(a.node.nodeId)?.reach;
  mesh.run(60_000);
  mesh.medium.clearLog();
  let hello: HelloMessage | undefined;
  for (let i = 0; i < 40 && !(hello?.neighbours?.addrs.length && reachOfA()); i++) {
    mesh.run(500);
    hello = lastFromA() ?? hello;
  }
  expect(hello?.neighbours?.addrs.length).toBeGreaterThan(0);
  expect(reachOfA()?.addrs.length).toBe(hello?.neighbours?.addrs.length);

  // a's hello again, its lists emptied: as a node sends when none of its neighbours is usable.
  const m = hello as HelloMessage;
  const nobody: HelloMessage = { ...m, neighbours: { own: m.neighbours!.own, addrs: [] } };
  expect(a.packager.broadcast(helloId, unwrap(serializeHello(nobody))).ok).toBe(true);
  mesh.run(20);
  expect(b.packager.peer(a.node.nodeId)).toBeDefined();
  expect(reachOfA()).toBeUndefined();

  mesh.medium.clearLog();
  let next: HelloMessage | undefined;
  for (let i = 0; i < 240 && !next; i++) {
    mesh.run(500);
    next = lastFromA();
  }
  expect(next?.neighbours?.addrs.length).toBeGreaterThan(0);
  expect(reachOfA()?.addrs.map((x) => x.key)).toEqual(next?.neighbours?.addrs.map((x) => x.key));
});
