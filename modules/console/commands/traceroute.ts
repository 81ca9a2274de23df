/**
 * `traceroute NODE|ADDR`: the hops between this node and another, derived from tree addresses
 * (no probe goes on the air, so nothing new to negotiate with upstream nodes): up the tree to the
 * common ancestor, then down to the target. Tree routing is symmetric, so the way back is the
 * same hops reversed. Routing may take a shortcut through a neighbour off the tree (next hop
 * picks the closest peer), so the real path can be shorter than this one, never longer.
 */
import { Address, cpl } from '../../mycelium/wire/address.js';
import { toHex } from '../../mycelium/wire/bytes.js';
import { parseAddress } from '../args.js';
import { resolveNode } from '../node-ref.js';
import { errorResult, type CommandResult, type TraceHop } from '../results.js';
import type { Session } from '../session.js';

export const TRACEROUTE_USAGE = 'NODE|ADDR';

export function runTraceroute(s: Session, args: readonly string[]): CommandResult {
  if (args.length === 0) return errorResult('usage: traceroute ' + TRACEROUTE_USAGE);
  const own = s.packager.address;
  if (!own) return errorResult('traceroute needs this node to have a tree address');
  const owners = addressOwners(s);
  let target: Address | undefined;
  let targetId: string | undefined;
  const node = resolveNode(s, args[0]);
  if (node.ok) {
    targetId = toHex(node.id);
    target = addressOf(s, targetId, own);
    if (!target) return errorResult(`no tree address known for ${targetId.slice(0, 8)} (traceroute derives the path from tree addresses)`);
  } else {
    if (node.reason === 'ambiguous') return errorResult(node.error);
    target = parseAddress(args[0]);
    if (!target) return errorResult(`"${args[0]}" is neither a known node nor an address (like 1-10::)`);
  }
  if (target.treeState !== own.treeState) return errorResult(`${target.toString()} is in another tree (${target.treeState}) than this node (${own.treeState})`);
  targetId ??= owners.get(target.key);
  const o = own.coords;
  const t = target.coords;
  const k = cpl(o, t);
  const coords: number[][] = [];
  for (let i = o.length - 1; i >= k; i--) coords.push(o.slice(0, i));
  for (let j = k + 1; j <= t.length; j++) coords.push(t.slice(0, j));
  const hops: TraceHop[] = [];
  for (const c of coords) {
    const a = Address.fromCoords(own.treeState, c);
    if (!a.ok) return errorResult(`cannot build the address of a hop: ${a.error.message}`);
    hops.push({ address: a.value.toString(), id: owners.get(a.value.key) });
  }
  const back: TraceHop[] = [...hops.slice(0, -1).reverse(), { address: own.toString(), id: s.packager.nodeKey }];
  return { kind: 'traceroute', to: target.toString(), id: targetId, there: hops, back };
}

/** Address key → node id, for every address this node can name: its own, its peers', its routes'. */
function addressOwners(s: Session): Map<string, string> {
  const out = new Map<string, string>();
  for (const a of s.packager.addresses) out.set(a.key, s.packager.nodeKey);
  for (const p of s.packager.peers) for (const a of p.addrs) out.set(a.key, p.key);
  for (const r of s.packager.routes) out.set(r.address.key, r.nodeKey);
  return out;
}

/** The newest address of node `id` in our tree, from its peer entry or a route. */
function addressOf(s: Session, id: string, own: Address): Address | undefined {
  if (id === s.packager.nodeKey) return own;
  const peer = s.packager.peers.find((p) => p.key === id);
  for (let i = (peer?.addrs.length ?? 0) - 1; i >= 0; i--) if (peer?.addrs[i].treeState === own.treeState) return peer.addrs[i];
  return s.packager.routes.find((r) => r.nodeKey === id && r.address.treeState === own.treeState)?.address;
}
