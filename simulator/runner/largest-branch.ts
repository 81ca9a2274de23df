/**
 * The node a `relay_kill` churn event takes down: the live node with the most live nodes below it
 * in its tree, by the run's last tree sample (the head of the largest branch; never a root). Its
 * loss cuts the most nodes off their way to the root at once, so a scenario can show how a mesh
 * repairs around a dead relay that does not come back.
 */
import { Address } from '../../modules/mycelium/wire/address.js';
import { fromHex } from '../../modules/mycelium/wire/bytes.js';
import type { TreeView } from './sim-node.js';

/** Index of the live non-root node heading the most live nodes of its tree; undefined if none heads any. */
export function largestBranch(views: readonly (TreeView | undefined)[]): number | undefined {
  const placed: { index: number; key: string; depth: number; coords: readonly number[] }[] = [];
  views.forEach((v, index) => {
    if (!v?.running || v.address === undefined) return;
    const bytes = fromHex(v.address);
    const a = bytes ? Address.fromBytes(v.treeState, bytes) : undefined;
    if (a?.ok) placed.push({ index, key: v.root, depth: a.value.coords.length, coords: a.value.coords });
  });
  // Every node counts once for each of its ancestors' positions (root + coordinate prefix).
  const below = new Map<string, number>();
  for (const p of placed) {
    for (let d = 1; d < p.depth; d++) {
      const k = `${p.key}/${p.coords.slice(0, d).join('.')}`;
      below.set(k, (below.get(k) ?? 0) + 1);
    }
  }
  let best: number | undefined;
  let most = 0;
  for (const p of placed) {
    if (p.depth === 0) continue;
    const n = below.get(`${p.key}/${p.coords.join('.')}`) ?? 0;
    if (n > most) [best, most] = [p.index, n];
  }
  return best;
}
