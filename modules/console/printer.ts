/**
 * The console's one printer: a command's result (results.ts) as the lines upstream's mpnode
 * prints (protocol.md §8.2), plus our `status` and `config` blocks. Nothing here reads the node:
 * the same result always prints the same lines.
 */
import type { PingReport } from '../mycelium/apps/ping.js';
import { formatUptime } from '../status/format.js';
import { statusFigures } from '../status/input.js';
import { describe } from './format.js';
import type { CommandInfo, CommandResult, NodeRow, TraceHop } from './results.js';
import type { TrafficRates } from './traffic-meter.js';

/** Longest `app … invoke` result shown. */
export const RESULT_CHARS = 400;

export function formatResult(r: CommandResult): string[] {
  switch (r.kind) {
    case 'error':
      return ['Error: ' + r.message];
    case 'text':
      return r.lines.slice();
    case 'help':
      return ['Commands:', ...r.commands.map((c) => '\t' + helpLine(c)), ...r.appHelp.map((h) => '\t' + h)];
    case 'help_command':
      return [helpLine(r.command)];
    case 'status':
      return statusLines(r);
    case 'node_id':
      return ['Node ID: ' + r.nodeId];
    case 'addresses':
      return ['Addresses: [' + r.addresses.map((a) => `Address(${a})`).join(', ') + ']'];
    case 'apps':
      return ['Apps:', ...r.apps.map((a) => `\t${a.id} - ${a.name ?? '?'} - version ${a.version ?? '?'}`)];
    case 'schedule':
      // Upstream prints "eid - handler - args - kwargs"; our events are closures, so: id and due time.
      return ['Schedule:', ...r.events.map((e) => `\t${e.id} - due in ${e.dueInMs ?? '?'} ms`)];
    case 'peers':
      return ['Peers:', ...r.peers.map((p) => '\t' + p.id + (p.addrs.length ? ' ' + p.addrs.join(' ') : ''))];
    case 'routes':
      return ['Routes:', ...r.routes.map((x) => `\t${x.address} -> ${x.nodeId}`)];
    case 'banned':
      return ['Banned:', ...r.ids.map((id) => '\t' + id)];
    case 'next_hop':
      return [r.hop ? `Next Hop: ${r.hop.peer} ${r.hop.address}` : `No next hop found for ${r.to}`];
    case 'version':
      return ['MPNode version: ' + r.firmware, 'Packager version: ' + r.packager, 'Protocol version: ' + r.protocol];
    case 'settings':
      return r.settings.length === 0 ? ['Settings: none'] : ['Settings:', ...r.settings.map(([k, v]) => `\t${k} = ${show(v)}`)];
    case 'setting':
      return [`${r.key} = ${show(r.value)}`];
    case 'invoke':
      return ['Result: ' + describe(r.value, RESULT_CHARS)];
    case 'ping_progress':
      return [r.text];
    case 'ping_report':
      return formatPingReport(r.report);
    case 'nodes':
      return nodesLines(r);
    case 'traceroute':
      return tracerouteLines(r);
  }
}

/** A `help` line: names, usage, summary. */
export function helpLine(c: CommandInfo): string {
  const names = [c.name, ...c.aliases].join(', ');
  return `${names}${c.usage ? ' ' + c.usage : ''} - ${c.summary}`;
}

function statusLines(r: Extract<CommandResult, { kind: 'status' }>): string[] {
  const state = r.state;
  const f = statusFigures(state);
  const lines = [
    'Node ID: ' + state.nodeId,
    'Addresses: ' + (state.addresses.length ? state.addresses.join(', ') : 'none'),
    'Root: ' + (f.root === undefined ? 'none' : f.root + (f.root === state.nodeId ? ' (this node)' : '')),
    'Peers: ' + state.peers.length,
    'Routes: ' + state.routes.length,
    `Frames: tx ${f.tx}, rx ${f.rx}, dropped ${f.drop}`,
    ...(r.rates ? [ratesLine(r.rates)] : []),
    'Uptime: ' + (state.running ? formatUptime(state.uptimeMs) : 'stopped'),
  ];
  if (state.battery !== undefined) lines.push(`Battery: ${state.battery}%`);
  lines.push('Modem sleep: ' + (state.modemSleep === 'off' ? 'off' : 'on, ' + state.modemSleep));
  return lines;
}

/** "Rates (last 60 s): in 3.2 frames/s, out 2.1 frames/s, delivered 0.5/s, airtime 1.2%". */
function ratesLine(r: TrafficRates): string {
  const span = r.sinceStart ? `since start, ${formatUptime(r.windowMs)}` : `last ${Math.round(r.windowMs / 1000)} s`;
  const air = r.airtimePct === undefined ? '' : `, airtime ${r.airtimePct}%`;
  return `Rates (${span}): in ${r.inPerS} frames/s, out ${r.outPerS} frames/s, delivered ${r.deliveredPerS}/s${air}`;
}

function show(value: unknown): string {
  return value === undefined ? '(unset)' : String(value);
}

/** Upstream's "Ping report:" block: one tab-indented line per key, delays in ms. */
export function formatPingReport(report: PingReport): string[] {
  const lines = ['Ping report:'];
  for (const [k, v] of Object.entries(report)) {
    if (typeof v === 'object' && v !== null) lines.push(`\t${k}: min ${fmt(v.min)} ms, max ${fmt(v.max)} ms, avg ${fmt(v.avg)} ms`);
    else lines.push(`\t${k}: ${String(v)}`);
  }
  return lines;
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

const NONE = '\u2014'; // an em dash: not known (yet)

/** A short id (8 hex digits), the form `ping` and the other commands accept. */
function short(id: string | undefined): string {
  return id === undefined ? NONE : id.slice(0, 8);
}

/** `nodes` as a table, one row per node; unknown cells are dashes. */
function nodesLines(r: Extract<CommandResult, { kind: 'nodes' }>): string[] {
  const header = ['id', 'name', 'address', 'hops', 'heard', 'via', 'link in/out etx'];
  const cells = r.nodes.map((n) => [
    short(n.id) + (n.id === r.self ? '*' : ''),
    n.name ?? NONE,
    n.address ?? NONE,
    n.hops === undefined ? NONE : String(n.hops),
    n.lastHeardMs === undefined ? NONE : formatAgo(n.lastHeardMs),
    n.via === undefined || n.via === n.id ? NONE : short(n.via),
    linkText(n),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: readonly string[]) => '\t' + c.map((x, i) => (i === c.length - 1 ? x : x.padEnd(widths[i]))).join('  ');
  return [`Nodes: ${r.nodes.length} (* this node)`, line(header), ...cells.map(line)];
}

/** "94%/88% 1.21": received of its hellos / it received of ours, then ETX; dashes for what is not known. */
function linkText(n: NodeRow): string {
  const q = n.linkQuality;
  if (!q) return NONE;
  const pct = (x: number | undefined) => (x === undefined ? NONE : `${Math.round(x * 100)}%`);
  return `${pct(q.in)}/${pct(q.out)} ${q.etx === undefined ? NONE : q.etx.toFixed(2)}`;
}

/** Seconds below 2 minutes, then minutes, then hours. */
function formatAgo(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m`;
  return `${Math.floor(s / 3600)}h`;
}

function tracerouteLines(r: Extract<CommandResult, { kind: 'traceroute' }>): string[] {
  const hop = (h: TraceHop, i: number) => `\t${i + 1}  ${h.address}  ${short(h.id)}`;
  const n = r.there.length;
  return [
    `Traceroute to ${r.to}${r.id ? ` (${short(r.id)})` : ''}: ${n} hop${n === 1 ? '' : 's'} (from tree addresses; no probe sent)`,
    ...r.there.map(hop),
    'Back:',
    ...r.back.map(hop),
  ];
}
