/**
 * Formation paced by claim (apps/tree-pace.ts, docs/routing.md "Formation: better roots travel
 * faster"): a better root's claim is acted on after a wait that grows with how bad the claim is,
 * so a node that hears a mediocre root and then the best one joins the best only, instead of
 * re-joining once per root. On the virtual clock.
 */
import { AppMesh, type AppNode } from '../support/apps-mesh.js';
import { TreeOp, serializeTree } from '../../modules/mycelium/wire/messages/tree.js';
import { compareBytes, toHex } from '../../modules/mycelium/wire/bytes.js';
import { claimScore } from '../../modules/mycelium/wire/ids.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';
import type { Delivery } from '../../modules/mycelium/packager/application.js';
import type { SpanningTreeParams } from '../../modules/mycelium/apps/tree-params.js';
import { FREE_PACE, considerDelay, leadingFraction } from '../../modules/mycelium/apps/tree-pace.js';
import { weightedPace } from '../../modules/mycelium/signed/root-work.js';

const ROOT_ADDRESS = new Uint8Array(16);

/** `from`'s own-root SEND, as `to` would receive it over the air. */
function sendFrom(mesh: AppMesh, from: AppNode, to: AppNode): void {
  const msg = unwrap(serializeTree({ op: TreeOp.SEND, ts: BigInt(mesh.clock.now()), age: 0, claim: from.node.nodeId, address: ROOT_ADDRESS, nodeId: from.node.nodeId }));
  const d: Delivery = { iface: to.packager.interfaceOf(to.radio), mac: from.radio.mac, peer: to.packager.peer(from.node.nodeId), from: undefined };
  to.tree.receive(msg, d);
}

/**
 * Node x (the worst claim of eight) hears a mediocre root w, then 300 ms later the best root b:
 * how many roots x joined on the way, and where it ended.
 */
function mediocreThenBest(tree: Partial<SpanningTreeParams>) {
  const mesh = new AppMesh({ seed: 3, tree: { max_start_delay: 1_000_000, ...tree } });
  const all = mesh.addApps(8).sort((p, q) => compareBytes(claimScore(p.node.nodeId), claimScore(q.node.nodeId)));
  const [b, x, w] = [all[0], all[7], all[6]];
  mesh.connect(x, w);
  mesh.connect(x, b);
  mesh.startAll();
  mesh.run(2_000); // beacons: x, w and b are peers, each still its own root
  sendFrom(mesh, w, x);
  mesh.run(300);
  sendFrom(mesh, b, x);
  mesh.run(10_000);
  return { rejoins: x.packager.counters.get('tree_rejoin'), root: toHex(x.tree.root), best: toHex(b.node.nodeId), wPace: leadingFraction(claimScore(w.node.nodeId)) };
}

test('a node that hears a mediocre root and then the best one joins the best one only', () => {
  const r = mediocreThenBest({ claim_pace_ms: 4_000 });
  expect(r.wPace).toBeGreaterThan(0.2); // its turn comes ≥ 700 ms after it was heard
  expect(r.root).toBe(r.best);
  expect(r.rejoins).toBe(1);
});

test('without pacing (claim_pace_ms 0, the default) the same node joins both roots in turn', () => {
  const r = mediocreThenBest({ claim_pace_ms: 0 });
  expect(r.root).toBe(r.best);
  expect(r.rejoins).toBe(2);
});

test('a 6×6 grid powered on at once forms one tree with fewer re-joins than without pacing', () => {
  const form = (tree: Partial<SpanningTreeParams>) => {
    const mesh = new AppMesh({ seed: 7, tree: { max_start_delay: 1_000, ...tree } });
    const nodes = mesh.grid(6, 6);
    mesh.startAll();
    let t = 0;
    while (!mesh.converged() && t < 60_000) {
      mesh.run(500);
      t += 500;
    }
    mesh.run(5_000);
    return { converged: mesh.converged(), rejoins: nodes.reduce((n, a) => n + a.packager.counters.get('tree_rejoin'), 0) };
  };
  const paced = form({ claim_pace_ms: 4_000 });
  const unpaced = form({ claim_pace_ms: 0 });
  expect(paced.converged).toBe(true);
  expect(unpaced.converged).toBe(true);
  expect(paced.rejoins).toBeLessThan(unpaced.rejoins);
});

test('the wait grows with the claim’s pace and stays bounded; the best claims go at once', () => {
  expect(considerDelay(0, 100, 4_000, 0)).toBe(1);
  expect(considerDelay(FREE_PACE, 100, 4_000, 0)).toBe(1);
  expect(considerDelay((1 + FREE_PACE) / 2, 100, 4_000, 0)).toBe(2_001);
  expect(considerDelay(1, 100, 4_000, 0.99)).toBe(1 + 99 + 4_000);
  expect(considerDelay(Number.NaN, 0, 4_000, 0)).toBe(4_001); // unknown: last
  expect(considerDelay(7, 0, 4_000, 0)).toBe(4_001);
  expect(leadingFraction(new Uint8Array(32))).toBe(0);
  expect(leadingFraction(new Uint8Array(32).fill(0xff))).toBeLessThan(1);
});

test('with root work, each credited bit halves a claim’s pace (it goes ahead of claims without)', () => {
  const claim = new Uint8Array(32).fill(0x77);
  const none = weightedPace(claim, 0, 20);
  expect(weightedPace(claim, 20, 20)).toBeCloseTo(none / 2);
  expect(weightedPace(claim, 22, 20)).toBeCloseTo(none / 8);
});
