/** `get …`: the node's state in upstream's words (protocol.md §8.2), as data for printer.ts. */
import { toHex } from '../../mycelium/wire/bytes.js';
import { parseAddress, parseMetric } from '../args.js';
import { errorResult, type CommandResult } from '../results.js';
import type { Session } from '../session.js';

type Getter = (s: Session, args: readonly string[]) => CommandResult;

const nodeId: Getter = (s) => ({ kind: 'node_id', nodeId: toHex(s.node.nodeId) });

const addrs: Getter = (s) => ({ kind: 'addresses', addresses: s.node.state().addresses });

const apps: Getter = (s) => ({
  kind: 'apps',
  apps: s.node.apps.map((app) => {
    const version = (app as { version?: unknown }).version;
    return { id: toHex(app.id), name: app.name, version: typeof version === 'number' ? version : undefined };
  }),
});

const schedule: Getter = (s) => {
  const now = s.node.platform.now();
  return {
    kind: 'schedule',
    events: s.packager.scheduledIds().map((id) => {
      const due = s.packager.dueTime(id);
      return { id, dueInMs: due === undefined ? undefined : Math.max(0, Math.round(due - now)) };
    }),
  };
};

const peers: Getter = (s) => ({ kind: 'peers', peers: s.node.state().peers.map((p) => ({ id: p.id, addrs: p.addrs })) });

const routes: Getter = (s) => ({ kind: 'routes', routes: s.node.state().routes });

const banned: Getter = (s) => ({ kind: 'banned', ids: s.packager.banned.slice() });

const nextHop: Getter = (s, args) => {
  if (args.length === 0) return errorResult('usage: get next_hop ADDR [METRIC]');
  const to = parseAddress(args[0]);
  if (!to) return errorResult(`"${args[0]}" is not an address (like 1-10::)`);
  const hop = s.packager.nextHop(to, parseMetric(args[1]));
  return { kind: 'next_hop', to: to.toString(), hop: hop ? { peer: hop.peer.key, address: hop.address.toString() } : undefined };
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

export function runGet(s: Session, args: readonly string[]): CommandResult {
  if (args.length === 0) return errorResult('usage: get ' + GET_TARGETS);
  const what = args[0].toLowerCase();
  const getter = Object.prototype.hasOwnProperty.call(GETTERS, what) ? GETTERS[what] : undefined;
  if (!getter) return errorResult(`unknown get target "${args[0]}" (one of ${Object.keys(GETTERS).join(', ')})`);
  return getter(s, args.slice(1));
}
