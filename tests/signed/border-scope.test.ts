/**
 * Border adverts are news only outside the tree they name (apps/border-relay.ts
 * `newsOnlyOutside`, docs/routing.md "Any diameter", Scope): signed mode's adverts carry no root
 * tag, so a node of tree T reads an advert "T through a gateway of another tree" but does not pass
 * it on, and a far-out root's small trees no longer make the main tree carry every advert about
 * itself. Routing between the trees must not notice. On the virtual clock, with the test knob
 * address_levels making a line form three trees.
 */
import { SignedMesh, type SignedNode } from '../support/signed-mesh.js';
import { claimScore } from '../../modules/mycelium/wire/ids.js';
import { compareBytes } from '../../modules/mycelium/wire/bytes.js';
import type { Address } from '../../modules/mycelium/wire/address.js';

/** A line of 14 whose addresses hold 4 levels, the best root at one end: three trees in a row. */
function line(): { mesh: SignedMesh; nodes: SignedNode[]; heard: Map<SignedNode, number[]> } {
  const mesh = new SignedMesh({ seed: 3, security: { mode: 'signed' }, hello: true, tree: { pub_each_round: false, address_levels: 4 } });
  const nodes = [...mesh.addSigned(14)].sort((x, y) => compareBytes(claimScore(x.node.nodeId), claimScore(y.node.nodeId)));
  for (let i = 0; i + 1 < nodes.length; i++) mesh.wire(nodes[i], nodes[i + 1]);
  // The far tree of every border advert each node reads into its directory.
  const heard = new Map<SignedNode, number[]>();
  for (const n of nodes) {
    const list: number[] = [];
    heard.set(n, list);
    const add = n.packager.borders.add.bind(n.packager.borders);
    n.packager.borders.add = (far, gateway, now, expires) => {
      list.push(far);
      add(far, gateway, now, expires);
    };
  }
  mesh.startAll();
  mesh.run(240_000);
  return { mesh, nodes, heard };
}

const treeOf = (n: SignedNode): number => (n.packager.address as Address).treeState;

describe('signed border adverts in a line of three trees', () => {
  const { mesh, nodes, heard } = line();
  const trees = [...new Set(nodes.map(treeOf))];

  test('each tree hears its neighbours announced, and no advert about itself past its edge node', () => {
    expect(trees.length).toBe(3);
    for (const n of nodes) {
      const edge = nodes.some((m) => Math.abs(nodes.indexOf(m) - nodes.indexOf(n)) === 1 && treeOf(m) !== treeOf(n));
      const aboutOwn = (heard.get(n) as number[]).filter((far) => far === treeOf(n)).length;
      if (!edge) expect(aboutOwn).toBe(0);
      expect((heard.get(n) as number[]).some((far) => far !== treeOf(n))).toBe(true);
    }
    expect(nodes.reduce((s, n) => s + (n.packager.counters.snapshot().tree_border_kept_in ?? 0), 0)).toBeGreaterThan(0);
  });

  test('every node still knows a way into every other tree, and pings cross both borders', () => {
    for (const [i, n] of nodes.entries()) {
      // A gateway's own border is not in its table: it crosses to its neighbour in that tree itself.
      const across = (ts: number) => [nodes[i - 1], nodes[i + 1]].some((m) => m !== undefined && treeOf(m) === ts);
      for (const ts of trees) if (ts !== treeOf(n)) expect(n.packager.borders.gateway(ts, n.packager.address as Address, mesh.clock.now(), undefined, across)).toBeDefined();
    }
    const r = mesh.pingBothWays(nodes[0], nodes[13]);
    expect(r.sent).toBe(true);
    expect(r.ab).toBe(3);
    expect(r.ba).toBe(3);
  });
});
