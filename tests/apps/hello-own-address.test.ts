/**
 * A neighbour's hello says where it is (apps/hello-reach.ts), and a parent in modem sleep and
 * open mode believes it as it believes the neighbour's tree SEND. What a user notices: when a parent's record of a
 * child was overwritten (sleepy-leaves-lossy-40 seed 6: a child's late tree message from another
 * tree while the child came back under us), packets for the child's subtree get through again
 * within a minute, where before they died at the parent until the child's next SEND, which in a
 * quiet mesh comes every 160 s (`advert_max_ms`). Awake, it places only a neighbour we hold no
 * address for (new, or back after a reboot). On the virtual clock.
 */
import { AppMesh, type AppNode } from '../support/apps-mesh.js';
import { claimScore } from '../../modules/mycelium/wire/ids.js';
import { compareBytes } from '../../modules/mycelium/wire/bytes.js';
import { Address } from '../../modules/mycelium/wire/address.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';
import type { BeaconLayer } from '../../modules/mycelium/apps/beacon-layer.js';
import { heardReach, type OwnWord } from '../../modules/mycelium/apps/hello-reach.js';

/** root — mid — leaf in modem sleep, the best claim at the root's end, quiet for 5 minutes: SENDs at their slowest. */
function quietLine(modemSleep = true): { mesh: AppMesh; root: AppNode; mid: AppNode; leaf: AppNode } {
  const mesh = new AppMesh({ seed: 4, hello: true, tree: { pub_each_round: false }, ...(modemSleep && { node: { modemSleep: true } }) });
  const [root, mid, leaf] = mesh.addApps(3).sort((a, b) => compareBytes(claimScore(a.node.nodeId), claimScore(b.node.nodeId)));
  mesh.wire(root, mid);
  mesh.wire(mid, leaf);
  mesh.startAll();
  mesh.run(300_000);
  expect(mesh.converged()).toBe(true);
  return { mesh, root, mid, leaf };
}

/** `mid` no longer knows where `leaf` is in the tree: two addresses of other trees pushed it out (a peer keeps two). */
function overwriteLeafAtMid(mid: AppNode, leaf: AppNode): void {
  const peer = mid.packager.peer(leaf.node.nodeId)!;
  const ts = leaf.packager.address!.treeState;
  peer.setAddr(unwrap(Address.fromCoords((ts + 1) & 0xff, [4])));
  peer.setAddr(unwrap(Address.fromCoords((ts + 2) & 0xff, [4, 1])));
  expect(knowsLeaf(mid, leaf)).toBe(false);
}

const knowsLeaf = (mid: AppNode, leaf: AppNode): boolean => mid.packager.peer(leaf.node.nodeId)!.addrs.some((a) => a.equals(leaf.packager.address!));

/** ms until `mid` holds the leaf's address again, at most `limit`. */
function relearn(mesh: AppMesh, mid: AppNode, leaf: AppNode, limit: number): number {
  let t = 0;
  for (; t < limit && !knowsLeaf(mid, leaf); t += 250) mesh.run(250);
  return t;
}

test("a parent that lost its child's address learns it from the child's hellos within a minute, every time, and pings reach the child", () => {
  const { mesh, root, mid, leaf } = quietLine();
  const waits: number[] = [];
  for (let round = 0; round < 5; round++) {
    overwriteLeafAtMid(mid, leaf);
    waits.push(relearn(mesh, mid, leaf, 200_000));
    mesh.run(37_000);
  }
  // Before hellos counted, the parent waited for the child's SEND: 25, 104, 142, 104 and 142 s here.
  for (const w of waits) expect(w).toBeLessThanOrEqual(60_000);
  const before = root.ping.responses().length;
  overwriteLeafAtMid(mid, leaf);
  mesh.run(60_000);
  expect(mesh.pingBothWays(root, leaf, 3).ab - before).toBe(3);
});

test("where addresses are proved (a Beacon layer: signed and mixed modes) the child's hello moves nothing; its SEND does", () => {
  const { mesh, mid, leaf } = quietLine();
  const proofs: BeaconLayer = { beforeBeacon: () => undefined, admit: () => true }; // only its presence counts here
  mid.beacon.layer = proofs;
  mesh.run(37_000); // the round that waits longest for the leaf's SEND above
  overwriteLeafAtMid(mid, leaf);
  const wait = relearn(mesh, mid, leaf, 200_000);
  expect(wait).toBeGreaterThan(60_000);
  expect(wait).toBeLessThan(200_000); // the leaf's SEND (advert_max_ms 160 s)
});

test('awake, an address held but outdated is left to the SEND: the parent waits for it there', () => {
  const { mesh, mid, leaf } = quietLine(false);
  const waits: number[] = [];
  for (let round = 0; round < 3; round++) {
    overwriteLeafAtMid(mid, leaf);
    waits.push(relearn(mesh, mid, leaf, 200_000));
    mesh.run(37_000);
  }
  expect(Math.max(...waits)).toBeGreaterThan(60_000); // 65, 123 and 65 s: the SEND's period
});

describe("awake (OwnWord 'unknown'): a hello's own address places a neighbour we hold no address for", () => {
  /** `mid`'s record of `leaf` after a hello section saying `own`, starting from `held` (`word` as hello.ts chooses it). */
  const heard = (held: readonly Address[], own: Address, word: OwnWord): string[] => {
    const { mid, leaf } = quietLine(false);
    const peer = mid.packager.peer(leaf.node.nodeId)!;
    for (const a of [...peer.addrs]) peer.dropAddr(a.treeState);
    for (const a of held) peer.setAddr(a);
    heardReach(mid.hello as NonNullable<AppNode['hello']>, peer, { own, addrs: [] }, mid.node.platform.now(), 60_000, word);
    return peer.addrs.map((a) => a.toString());
  };
  const at = (ts: number, coords: number[]) => unwrap(Address.fromCoords(ts, coords));

  test('none held (a new peer, or one back after a reboot): its own address is taken at once, not at its SEND up to 160 s later', () => {
    expect(heard([], at(7, [2, 1]), 'unknown')).toEqual([at(7, [2, 1]).toString()]);
  });

  test('one held, even an old one: left to its SEND (believed always, it cost 5 % more control traffic: docs/routing.md)', () => {
    expect(heard([at(7, [3])], at(7, [2, 1]), 'unknown')).toEqual([at(7, [3]).toString()]);
  });

  test("a root's [] is not taken: a lone node's own tree after boot, read elsewhere as a landmark at depth 0", () => {
    expect(heard([], at(9, []), 'unknown')).toEqual([]);
  });

  test("signed and mixed modes ('never'): nothing moves; modem sleep ('always'): it moves an address held", () => {
    expect(heard([], at(7, [2, 1]), 'never')).toEqual([]);
    expect(heard([at(7, [3])], at(7, [2, 1]), 'always')).toEqual([at(7, [2, 1]).toString()]);
  });
});
