/** `get …`: the node's state in upstream's words (protocol.md §8.2). */
import { toHex } from '../../mycelium/wire/bytes.js';
import { addressList } from '../format.js';
import { parseAddress, parseMetric } from '../args.js';
import type { Session } from '../session.js';

type Getter = (s: Session, args: readonly string[]) => void;

const nodeId: Getter = (s) => s.print('Node ID: ' + toHex(s.node.nodeId));

const addrs: Getter = (s) => s.print('Addresses: ' + addressList(s.packager.addresses));

const apps: Getter = (s) => {
  s.print('Apps:');
  for (const app of s.node.apps) {
    const version = (app as { version?: unknown }).version;
    s.print(`\t${toHex(app.id)} - ${app.name ?? '?'} - version ${typeof version === 'number' ? version : '?'}`);
  }
};

/** Upstream prints "eid - handler - args - kwargs"; our events are closures, so: id and due time. */
const schedule: Getter = (s) => {
  const now = s.node.platform.now();
  s.print('Schedule:');
  for (const id of s.packager.scheduledIds()) {
    const due = s.packager.dueTime(id);
    s.print(`\t${id} - due in ${due === undefined ? '?' : Math.max(0, Math.round(due - now))} ms`);
  }
};

const peers: Getter = (s) => {
  s.print('Peers:');
  for (const p of s.packager.peers) s.print('\t' + p.key + (p.addrs.length ? ' ' + p.addrs.map((a) => a.toString()).join(' ') : ''));
};

const routes: Getter = (s) => {
  s.print('Routes:');
  for (const r of s.packager.routes) s.print(`\t${r.address.toString()} -> ${r.nodeKey}`);
};

const banned: Getter = (s) => {
  s.print('Banned:');
  for (const key of s.packager.banned) s.print('\t' + key);
};

const nextHop: Getter = (s, args) => {
  if (args.length === 0) return s.error('usage: get next_hop ADDR [METRIC]');
  const to = parseAddress(args[0]);
  if (!to) return s.error(`"${args[0]}" is not an address (like 1-10::)`);
  const hop = s.packager.nextHop(to, parseMetric(args[1]));
  s.print(hop ? `Next Hop: ${hop.peer.key} ${hop.address.toString()}` : `No next hop found for ${to.toString()}`);
};

const GETTERS: Readonly<Record<string, Getter>> = Object.freeze({
  node_id: nodeId,
  addrs,
  apps,
  sched: schedule,
  schedule,
  peers,
  routes,
  banned,
  next_hop: nextHop,
});

export const GET_TARGETS = 'node_id|addrs|apps|sched|peers|routes|banned|next_hop ADDR METRIC';

export function runGet(s: Session, args: readonly string[]): void {
  if (args.length === 0) return s.error('usage: get ' + GET_TARGETS);
  const what = args[0].toLowerCase();
  const getter = Object.prototype.hasOwnProperty.call(GETTERS, what) ? GETTERS[what] : undefined;
  if (!getter) return s.error(`unknown get target "${args[0]}" (one of ${Object.keys(GETTERS).join(', ')})`);
  getter(s, args.slice(1));
}
