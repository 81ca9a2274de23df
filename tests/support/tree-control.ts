/**
 * A TreeRepair over a stand-in for its SpanningTree (TreeControl): a node at a given place, its
 * parent's key 'parent', whose root is `root`. Tests override what they watch (restarts,
 * questions asked, counters) and what they place (the Packager's address and peers, Hello).
 */
import { TreeRepair, type TreeControl } from '../../modules/mycelium/apps/tree-repair.js';
import { ClaimTable } from '../../modules/mycelium/apps/tree-claims.js';

export function fakeTreeControl(root: Uint8Array, overrides: Partial<TreeControl> = {}): TreeControl {
  return {
    hello: () => undefined,
    packager: () => {
      throw new Error('this test gives no Packager');
    },
    root: () => root,
    rootScore: () => root,
    scoreOfRoot: (prefix) => prefix,
    isRoot: () => false,
    silent: () => false,
    mayStepAside: () => false,
    parentKey: () => 'parent',
    leads: () => false,
    claims: new ClaimTable({ claims_limit: 32 }),
    now: () => 0,
    refreshed: () => undefined,
    request: () => undefined,
    advertiseTo: () => undefined,
    restart: () => undefined,
    usable: () => true,
    rank: () => 1,
    ...overrides,
  };
}

/** The repair parameters these tests share: upstream's 60-s tree age, 20-s rounds. */
export function fakeTreeRepair(control: TreeControl): TreeRepair {
  return new TreeRepair(control, { dead_root_ms: 30_000, max_tree_age: 60, tree_maintenance_delay: 20_000, claims_limit: 32 });
}
