/**
 * What console commands answer, as plain data (Yggdrasil's admin style): a handler returns one of
 * these and printer.ts turns it into the lines the console prints. Keeping the data apart from its
 * text lets another front end (a JSON mode, the dashboard) show the same answers its own way.
 */
import type { NodeState, RouteState } from '../mycelium/node.js';
import type { PingReport } from '../mycelium/apps/ping.js';
import type { TrafficRates } from './traffic-meter.js';

/** A row of `nodes`: what this node knows of another (undefined: not known). */
export interface NodeRow {
  /** Node id, hex (printed as its 8-digit short id). */
  readonly id: string;
  readonly name?: string;
  /** Newest tree address known (in our tree when there is one). */
  readonly address?: string;
  /** 0 this node, 1 a peer, else the tree distance between the addresses. */
  readonly hops?: number;
  /** Ms since a frame from it arrived (peers only). */
  readonly lastHeardMs?: number;
  /** Node id of the neighbour traffic to it goes through. */
  readonly via?: string;
  /**
   * A neighbour's link as our Hello measures it (absent for upstream neighbours, which send no
   * hellos, and for nodes beyond one hop): the share of its hellos we receive (`in`), of ours it
   * reports receiving (`out`, absent until it has said), and ETX = 1 / (in × out) when both are > 0.
   */
  readonly linkQuality?: { readonly in: number; readonly out?: number; readonly etx?: number };
}

/** One hop of `traceroute`: its tree address and, when known, its node id. */
export interface TraceHop {
  readonly address: string;
  readonly id?: string;
}

export interface CommandInfo {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly usage: string;
  readonly summary: string;
}

export type CommandResult =
  /** A failure: printed as `Error: <message>`. */
  | { readonly kind: 'error'; readonly message: string }
  /** A sentence or two with nothing to tabulate (confirmations, "not available here"). */
  | { readonly kind: 'text'; readonly lines: readonly string[] }
  /** `help`: the built-ins, then the help lines apps gave their commands. */
  | { readonly kind: 'help'; readonly commands: readonly CommandInfo[]; readonly appHelp: readonly string[] }
  /** `help NAME` of a built-in. */
  | { readonly kind: 'help_command'; readonly command: CommandInfo }
  | { readonly kind: 'status'; readonly state: NodeState; readonly rates?: TrafficRates }
  | { readonly kind: 'node_id'; readonly nodeId: string }
  | { readonly kind: 'addresses'; readonly addresses: readonly string[] }
  | { readonly kind: 'apps'; readonly apps: readonly { readonly id: string; readonly name: string | undefined; readonly version: number | undefined }[] }
  /** Scheduled events: id and ms until due (undefined: unknown). */
  | { readonly kind: 'schedule'; readonly events: readonly { readonly id: string; readonly dueInMs: number | undefined }[] }
  | { readonly kind: 'peers'; readonly peers: readonly { readonly id: string; readonly addrs: readonly string[] }[] }
  | { readonly kind: 'routes'; readonly routes: readonly RouteState[] }
  | { readonly kind: 'banned'; readonly ids: readonly string[] }
  /** `get next_hop`: the peer and its address, or none toward `to`. */
  | { readonly kind: 'next_hop'; readonly to: string; readonly hop: { readonly peer: string; readonly address: string } | undefined }
  | { readonly kind: 'version'; readonly firmware: string; readonly packager: string | number; readonly protocol: string | number }
  /** `config get`: every setting (undefined: unset). */
  | { readonly kind: 'settings'; readonly settings: readonly (readonly [string, unknown])[] }
  /** `config get KEY` and `config set KEY VALUE`: the value now. */
  | { readonly kind: 'setting'; readonly key: string; readonly value: unknown }
  /** `app … invoke`: what the callback returned. */
  | { readonly kind: 'invoke'; readonly value: unknown }
  /** A ping test's progress line, and its report (background output). */
  | { readonly kind: 'ping_progress'; readonly text: string }
  | { readonly kind: 'ping_report'; readonly report: PingReport }
  /** `nodes`: `self` is this node's id; rows nearest first. */
  | { readonly kind: 'nodes'; readonly self: string; readonly nodes: readonly NodeRow[] }
  /** `traceroute`: hops to the target (the last is the target) and back (the last is this node). */
  | { readonly kind: 'traceroute'; readonly to: string; readonly id: string | undefined; readonly there: readonly TraceHop[]; readonly back: readonly TraceHop[] };

export function errorResult(message: string): CommandResult {
  return { kind: 'error', message };
}

export function textResult(...lines: string[]): CommandResult {
  return { kind: 'text', lines };
}
