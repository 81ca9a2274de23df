/**
 * `nodes`: every node this node knows of, mesh-wide (rnstatus / `meshtastic --nodes`): itself,
 * its peers, the nodes of its routes and its tree neighbours, each with the newest tree address
 * known, hops (0 itself, 1 a peer, else the tree distance between the two addresses), when it was
 * last heard (peers only: only a neighbour is heard directly), and the neighbour traffic to it
 * goes through, and for neighbours that speak our Hello the link quality both ways.
 */
import { Address, dTree } from '../../mycelium/wire/address.js';
import { Metric } from '../../mycelium/wire/constants.js';
import { knownNodes } from '../node-ref.js';
import type { LinkEstimate } from '../../mycelium/packager/link-quality.js';
import type { CommandResult, NodeRow } from '../results.js';
import type { Session } from '../session.js';

/** Rows listed at most (the Packager's tables are capped; this bounds the answer's size). */
export const MAX_NODE_ROWS = 128;

export function runNodes(s: Session): CommandResult {
  const p = s.packager;
  const own = p.address;
  const now = s.node.platform.now();
  const rows = new Map<string, { -readonly [K in keyof NodeRow]: NodeRow[K] }>();
  const row = (id: string) => {
    let r = rows.get(id);
    if (!r && rows.size < MAX_NODE_ROWS) rows.set(id, (r = { id }));
    return r;
  };
  const self = row(p.nodeKey);
  if (self) {
    self.address = own?.toString();
    self.hops = 0;
  }
  for (const peer of p.peers) {
    const r = row(peer.key);
    if (!r) continue;
    r.address = newestIn(peer.addrs, own)?.toString();
    r.hops = 1;
    r.lastHeardMs = Math.max(0, Math.round(now - peer.lastRx));
    r.via = peer.key;
    if (peer.link) r.linkQuality = linkQuality(peer.link, now);
  }
  for (const route of p.routes) {
    const r = row(route.nodeKey);
    if (!r || r.hops === 0 || r.hops === 1) continue;
    r.address = route.address.toString();
    r.hops = own && own.treeState === route.address.treeState ? dTree(own.coords, route.address.coords) : undefined;
    r.via = p.nextHop(route.address, Metric.dTree)?.peer.key;
  }
  const tree = s.node.treeState();
  if (tree && tree.root !== p.nodeKey && !/^0+$/.test(tree.root)) {
    const r = row(tree.root);
    // The root's address has no coordinates: it is as many hops away as we are deep.
    if (r && r.hops === undefined && own) r.hops = own.coords.length;
    if (r && r.via === undefined && own && tree.parent) r.via = tree.parent;
  }
  for (const k of knownNodes(s)) {
    const r = rows.get(k.id) ?? row(k.id);
    if (r && k.name !== undefined && r.name === undefined) r.name = k.name;
  }
  const list = [...rows.values()].sort((a, b) => (a.hops ?? 999) - (b.hops ?? 999) || (a.id < b.id ? -1 : 1));
  return { kind: 'nodes', self: p.nodeKey, nodes: list };
}

/** The newest of `addrs` in our tree (else the newest of all). */
function newestIn(addrs: readonly Address[], own: Address | undefined): Address | undefined {
  for (let i = addrs.length - 1; i >= 0; i--) if (own && addrs[i].treeState === own.treeState) return addrs[i];
  return addrs[addrs.length - 1];
}

/**
 * The link's figures, read without `figures(now)`: that call also moves the link's good/bad
 * hysteresis, and a console looking must not change what routing decides.
 */
function linkQuality(link: LinkEstimate, now: number): NonNullable<NodeRow['linkQuality']> {
  const inbound = round3(link.inbound(now));
  const outbound = link.outbound(now);
  if (outbound === undefined) return { in: inbound };
  const product = inbound * outbound;
  return product > 0 ? { in: inbound, out: round3(outbound), etx: round3(1 / product) } : { in: inbound, out: round3(outbound) };
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
