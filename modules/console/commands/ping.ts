/**
 * `ping` and `gossip_ping` (protocol.md §6.4): start a Ping test of the Ping app; its progress
 * and report arrive later as results (printer.ts prints the "Ping report:" block). Upstream's argument order and console timeout (2 s). The
 * console keeps the test's event ids, so `stop()` cancels it and `busy` knows when it is over.
 */
import type { Ping, PingReport, PingTarget, PingTest } from '../../mycelium/apps/ping.js';
import { errorResult, textResult, type CommandResult } from '../results.js';
import type { Result } from '../../mycelium/wire/result.js';
import { parseAddress, parseIntIn, parseMetric, parseNumberIn } from '../args.js';
import { resolveNode } from '../node-ref.js';
import { MAX_PING_TESTS, type RunningPing, type Session } from '../session.js';

export const PING_USAGE = 'NODE_ID|ADDR [count] [timeout] [tree|cpl]';
export const GOSSIP_PING_USAGE = 'NODE_ID [count] [timeout]';
const MAX_TIMEOUT_S = 300;

interface Common {
  readonly ping: Ping;
  readonly count: number;
  readonly timeoutS: number;
}

/** The Ping app and the count/timeout arguments, or why not. */
function common(s: Session, command: string, countText: string | undefined, timeoutText: string | undefined): Common | CommandResult {
  const ping = s.ping();
  if (!ping) return textResult(`${command} is not available on this host (no Ping app)`);
  if (s.runningPings >= MAX_PING_TESTS) return errorResult(`${MAX_PING_TESTS} ping tests are already running; wait for their reports`);
  // More requests than Ping keeps answers for would make the success rate wrong.
  const maxCount = ping.params.responses_limit;
  const count = countText === undefined ? ping.params.count : parseIntIn(countText, 1, maxCount);
  if (count === undefined) return errorResult(`count must be a whole number from 1 to ${maxCount}`);
  const timeoutS = timeoutText === undefined ? ping.params.console_timeout_s : parseNumberIn(timeoutText, 0, MAX_TIMEOUT_S);
  if (timeoutS === undefined) return errorResult(`timeout must be a number of seconds from 0 to ${MAX_TIMEOUT_S}`);
  return { ping, count, timeoutS };
}

/** Start the test through `start` and track it until its report (progress and report come later). */
function track(s: Session, command: string, start: (callback: (e: string | PingReport) => void) => Result<PingTest>): CommandResult | undefined {
  const later = s.laterResults();
  const running: RunningPing = { eventIds: [], done: false };
  const r = start((e) => {
    if (typeof e === 'string') return later({ kind: 'ping_progress', text: e });
    running.done = true;
    later({ kind: 'ping_report', report: e });
  });
  if (!r.ok) return errorResult(`${command}: ${r.error.message}`);
  running.eventIds = r.value.eventIds;
  s.addPing(running);
  return undefined;
}

export function runPing(s: Session, args: readonly string[]): CommandResult | undefined {
  if (args.length === 0) return errorResult('usage: ping ' + PING_USAGE);
  const node = resolveNode(s, args[0]);
  if (!node.ok && node.reason === 'ambiguous') return errorResult(node.error);
  const target: PingTarget | undefined = node.ok ? node.id : parseAddress(args[0]);
  if (!target) return errorResult(`"${args[0]}" is neither a node id (64 hex digits) nor an address (like 1-10::)`);
  const c = common(s, 'ping', args[1], args[2]);
  if ('kind' in c) return c;
  const metric = parseMetric(args[3]);
  return track(s, 'ping', (callback) => c.ping.ping({ target, count: c.count, timeoutS: c.timeoutS, metric, callback }));
}

export function runGossipPing(s: Session, args: readonly string[]): CommandResult | undefined {
  if (args.length === 0) return errorResult('usage: gossip_ping ' + GOSSIP_PING_USAGE);
  const node = resolveNode(s, args[0]);
  if (!node.ok && node.reason === 'ambiguous') return errorResult(node.error);
  if (!node.ok) return errorResult(`"${args[0]}" is not a node id (64 hex digits)`);
  const nodeId = node.id;
  const c = common(s, 'gossip_ping', args[1], args[2]);
  if ('kind' in c) return c;
  return track(s, 'gossip_ping', (callback) => c.ping.gossipPing({ nodeId, count: c.count, timeoutS: c.timeoutS, callback }));
}
