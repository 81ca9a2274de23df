/**
 * `ping` and `gossip_ping` (protocol.md §6.4): start a Ping test, print its progress and the
 * "Ping report:" block when it ends. Upstream's argument order and console timeout (2 s). The
 * console keeps the test's event ids, so `stop()` cancels it and `busy` knows when it is over.
 */
import type { Ping, PingReport, PingTarget, PingTest } from '../../mycelium/apps/ping.js';
import type { Result } from '../../mycelium/wire/result.js';
import { parseAddress, parseIntIn, parseMetric, parseNodeId, parseNumberIn } from '../args.js';
import { MAX_PING_TESTS, type RunningPing, type Session } from '../session.js';

export const PING_USAGE = 'NODE_ID|ADDR [count] [timeout] [tree|cpl]';
export const GOSSIP_PING_USAGE = 'NODE_ID [count] [timeout]';
const MAX_TIMEOUT_S = 300;

interface Common {
  readonly ping: Ping;
  readonly count: number;
  readonly timeoutS: number;
}

/** The Ping app and the count/timeout arguments, or undefined after printing why not. */
function common(s: Session, command: string, countText: string | undefined, timeoutText: string | undefined): Common | undefined {
  const ping = s.ping();
  if (!ping) {
    s.print(`${command} is not available on this host (no Ping app)`);
    return undefined;
  }
  if (s.runningPings >= MAX_PING_TESTS) {
    s.error(`${MAX_PING_TESTS} ping tests are already running; wait for their reports`);
    return undefined;
  }
  // More requests than Ping keeps answers for would make the success rate wrong.
  const maxCount = ping.params.responses_limit;
  const count = countText === undefined ? ping.params.count : parseIntIn(countText, 1, maxCount);
  if (count === undefined) {
    s.error(`count must be a whole number from 1 to ${maxCount}`);
    return undefined;
  }
  const timeoutS = timeoutText === undefined ? ping.params.console_timeout_s : parseNumberIn(timeoutText, 0, MAX_TIMEOUT_S);
  if (timeoutS === undefined) {
    s.error(`timeout must be a number of seconds from 0 to ${MAX_TIMEOUT_S}`);
    return undefined;
  }
  return { ping, count, timeoutS };
}

/** Start the test through `start` and track it until its report. */
function track(s: Session, command: string, start: (callback: (e: string | PingReport) => void) => Result<PingTest>): void {
  const later = s.laterWriter();
  const running: RunningPing = { eventIds: [], done: false };
  const r = start((e) => {
    if (typeof e === 'string') return later(e);
    running.done = true;
    later(formatPingReport(e));
  });
  if (!r.ok) return s.error(`${command}: ${r.error.message}`);
  running.eventIds = r.value.eventIds;
  s.addPing(running);
}

export function runPing(s: Session, args: readonly string[]): void {
  if (args.length === 0) return s.error('usage: ping ' + PING_USAGE);
  const target: PingTarget | undefined = parseNodeId(args[0]) ?? parseAddress(args[0]);
  if (!target) return s.error(`"${args[0]}" is neither a node id (64 hex digits) nor an address (like 1-10::)`);
  const c = common(s, 'ping', args[1], args[2]);
  if (!c) return;
  const metric = parseMetric(args[3]);
  track(s, 'ping', (callback) => c.ping.ping({ target, count: c.count, timeoutS: c.timeoutS, metric, callback }));
}

export function runGossipPing(s: Session, args: readonly string[]): void {
  if (args.length === 0) return s.error('usage: gossip_ping ' + GOSSIP_PING_USAGE);
  const nodeId = parseNodeId(args[0]);
  if (!nodeId) return s.error(`"${args[0]}" is not a node id (64 hex digits)`);
  const c = common(s, 'gossip_ping', args[1], args[2]);
  if (!c) return;
  track(s, 'gossip_ping', (callback) => c.ping.gossipPing({ nodeId, count: c.count, timeoutS: c.timeoutS, callback }));
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
