/**
 * A node whose parent link fails while every other neighbour of its tree is as deep as it is
 * (docs/routing.md "Fast tree repair", item 4). It waited for the root's heartbeat to stop, but
 * the heartbeat still came round through those neighbours, so it kept a dead parent and an
 * address that led nowhere until its tree aged out (a ring of 7: 46 s after the cut; a dense
 * strip of 300 nodes: minutes, 8 usable neighbours at its depth and none shallower). Now, two
 * hello periods after the loss, it asks the best of them and goes one level deeper (13 s). The
 * loop rules that makes necessary (tree-offer.ts) are tested alone below.
 */
import { AppMesh, type AppNode } from '../support/apps-mesh.js';
import { ClaimTable, type Claim } from '../../modules/mycelium/apps/tree-claims.js';
import { judgeOffer, yieldsTo } from '../../modules/mycelium/apps/tree-offer.js';
import { bytesEqual } from '../../modules/mycelium/wire/bytes.js';
import type { Address } from '../../modules/mycelium/wire/address.js';

/** A ring of 7: from the root, two branches of depth 1, 2, 3 whose ends are neighbours. */
function ring(): { mesh: AppMesh; at: (k: number) => AppNode } {
  const mesh = new AppMesh({ seed: 5, hello: true, tree: { pub_each_round: false } });
  const nodes = mesh.addApps(7);
  for (let i = 0; i < 7; i++) mesh.wire(nodes[i], nodes[(i + 1) % 7]);
  mesh.startAll();
  mesh.run(60_000);
  const r = nodes.findIndex((n) => bytesEqual(n.tree.root, n.node.nodeId));
  return { mesh, at: (k) => nodes[(r + k) % 7] };
}

const coords = (n: AppNode) => n.packager.address?.coords ?? [];
const under = (child: AppNode, parent: AppNode) => coords(child).length === coords(parent).length + 1 && coords(parent).every((c, i) => coords(child)[i] === c);

describe('the parent link of the node at the end of a branch fails', () => {
  const { mesh, at } = ring();
  const [root, p2, p3, p4] = [at(0), at(2), at(3), at(4)];
  const formed = mesh.converged() && under(p3, p2) && coords(p4).length === 3;
  mesh.medium.unlink(p2.radio, p3.radio);
  mesh.run(20_000); // its silence noticed (4 hello periods), then two more periods

  test('within 20 s it hangs from its same-depth neighbour, a level deeper, in the one tree', () => {
    expect(formed).toBe(true);
    expect(under(p3, p4)).toBe(true);
    expect(mesh.converged()).toBe(true);
  });

  test('pings to it at its address are answered again', () => {
    for (let i = 0; i < 3; i++) {
      expect(root.ping.request(p3.packager.address as Address).ok).toBe(true);
      mesh.run(5_000);
    }
    expect(root.ping.responses().length).toBe(3);
  });
});

describe('which neighbour a repair may ask', () => {
  const root = Uint8Array.of(1);
  const claim = (peerKey: string, c: number[]): Claim => ({ claim: root, score: root, refreshed: 0, depth: c.length, coords: c, peerKey, peerId: Uint8Array.of(c.length) });
  const table = new ClaimTable({ claims_limit: 8 });
  for (const c of [claim('lost', [1, 2]), claim('twin', [4, 5, 6]), claim('deeper', [4, 5, 6, 7]), claim('child', [1, 2, 3, 1])]) table.remember(c);
  const ask = (aside: boolean, usable = (k: string) => k !== 'lost') => table.repairParent(root, [1, 2, 3], 'lost', usable, (c) => c.depth, aside)?.peerKey;

  test('a neighbour as deep as we are only once the wait is over, never a deeper one or our own child', () => {
    expect(ask(false)).toBeUndefined();
    expect(ask(true)).toBe('twin');
    expect(ask(true, (k) => k === 'deeper' || k === 'child')).toBeUndefined();
  });

  test('nor one near the last levels an address holds: the push would send our subtree past them', () => {
    const deep = (n: number) => Array.from({ length: n }, () => 1);
    const t = new ClaimTable({ claims_limit: 8 });
    t.remember(claim('lost', deep(25)));
    t.remember(claim('twin', [2, ...deep(25)]));
    expect(t.repairParent(root, [1, ...deep(25)], 'lost', (k) => k !== 'lost', (c) => c.depth, true)?.peerKey).toBe('twin'); // we go to 27 of 32 levels: 5 left below us
    const near = new ClaimTable({ claims_limit: 8 });
    near.remember(claim('lost', deep(26)));
    near.remember(claim('twin', [2, ...deep(26)]));
    expect(near.repairParent(root, [1, ...deep(26)], 'lost', (k) => k !== 'lost', (c) => c.depth, true)).toBeUndefined(); // to 28: waits as before
    // The same room under the `address_levels` knob (an address of 8 levels full): to 3 of 8, 5 left; to 4, waits.
    const knob = (n: number) => {
      const k = new ClaimTable({ claims_limit: 8, address_levels: 8 });
      k.remember(claim('lost', deep(n - 1)));
      k.remember(claim('twin', [2, ...deep(n - 1)]));
      return k.repairParent(root, [1, ...deep(n - 1)], 'lost', (x) => x !== 'lost', (c) => c.depth, true)?.peerKey;
    };
    expect(knob(2)).toBe('twin');
    expect(knob(3)).toBeUndefined();
  });

  test('a shallower neighbour first, when there is one', () => {
    table.remember(claim('shallow', [9, 9]));
    expect(ask(false)).toBe('shallow');
    expect(ask(true)).toBe('shallow');
  });
});

describe('the loop rules of taking a parent in our own tree', () => {
  const offer = (offered: number[], asked = true) => judgeOffer({ cmp: 0, isRoot: false, mine: [1, 2, 3], offered, asked });

  test('an address under our own is refused, even one we asked for', () => {
    expect(offer([1, 2, 3, 1, 4])).toBe('inside'); // a neighbour that moved into our subtree
    expect(offer([4, 5, 6, 1])).toBe('take'); // beside it: a level deeper, asked for
    expect(offer([4, 5, 6, 1], false)).toBe('no'); // not asked for: upstream's rule, shallower only
    expect(offer([4, 1])).toBe('take');
    expect(judgeOffer({ cmp: -1, isRoot: false, mine: [1, 2, 3], offered: [1, 2, 3, 1], asked: false })).toBe('take'); // another, better tree
  });

  test('two nodes asking each other: exactly one of them answers', () => {
    const a = Uint8Array.of(1, 2);
    const b = Uint8Array.of(1, 3);
    expect([yieldsTo(a, b, true), yieldsTo(b, a, true)]).toEqual([true, false]);
    expect(yieldsTo(a, b, false)).toBe(false); // not asked: answered as always
  });
});
