/**
 * The page's node search: `n123` (or `123`) is node index 123; anything else is a prefix of
 * node ids (hex, case and a leading `0x` ignored). No Node or DOM APIs.
 */
import type { Trace } from './types.js';

export type FindResult = { ok: true; index: number; matches: number } | { ok: false; error: string };

export function findNode(trace: Pick<Trace, 'nodes'>, query: string): FindResult {
  const q = query.trim().toLowerCase();
  if (q === '') return { ok: false, error: 'type n123 or the start of a node id' };
  const byIndex = /^n?(\d+)$/.exec(q);
  if (byIndex && q.startsWith('n')) {
    const i = Number(byIndex[1]);
    return i < trace.nodes.length ? { ok: true, index: i, matches: 1 } : { ok: false, error: `no node n${i} (nodes n0 to n${trace.nodes.length - 1})` };
  }
  const prefix = q.replace(/^0x/, '');
  if (!/^[0-9a-f]+$/.test(prefix)) return { ok: false, error: `"${query.trim()}" is neither n123 nor a hex id prefix` };
  let first = -1;
  let matches = 0;
  trace.nodes.forEach((n, i) => {
    if (!n.id.startsWith(prefix)) return;
    if (first < 0) first = i;
    matches++;
  });
  // Digits only: an index when no id starts with them.
  if (matches === 0 && byIndex && Number(byIndex[1]) < trace.nodes.length) return { ok: true, index: Number(byIndex[1]), matches: 1 };
  return first < 0 ? { ok: false, error: `no node id starts with ${prefix}` } : { ok: true, index: first, matches };
}
