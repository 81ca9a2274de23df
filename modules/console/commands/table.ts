/**
 * Every built-in command, in `help` order: upstream mpnode's table (protocol.md §8.2), plus
 * `status` and `config`. Frozen data pointing at functions, so it can be preloaded.
 */
import type { CommandSpec } from '../spec.js';
import { errorResult } from '../results.js';
import { helpResult } from '../help.js';
import { appCommands } from '../app-commands.js';
import { GET_TARGETS, runGet } from './get.js';
import { SET_USAGE, runSet } from './set.js';
import { APP_USAGE, runApp } from './app.js';
import { runBan, runUnban } from './ban.js';
import { GOSSIP_PING_USAGE, PING_USAGE, runGossipPing, runPing } from './ping.js';
import { ADMIN_USAGE, DEBUG_USAGE, LOCAL_ADMIN_USAGE, runDebugCommand } from './debug.js';
import { runMonitor, runWait } from './monitor.js';
import { runStatus } from './status.js';
import { runNodes } from './nodes.js';
import { TRACEROUTE_USAGE, runTraceroute } from './traceroute.js';
import { CONFIG_USAGE, runConfig } from './config.js';
import { runQuit, runReset, runVersion } from './host.js';
import { OPERATOR_USAGE, runOperator } from './operator.js';

function spec(name: string, aliases: readonly string[], usage: string, summary: string, run: CommandSpec['run']): CommandSpec {
  return Object.freeze({ name, aliases: Object.freeze(aliases.slice()), usage, summary, run });
}

export const COMMANDS: readonly CommandSpec[] = Object.freeze([
  spec('help', ['?', 'h'], '[command]', 'list the commands, or show one command', (s, args) => helpResult(COMMANDS, appCommands(s, BUILTIN_NAMES), args)),
  spec('monitor', ['m'], '[grep ...]', 'print Packager events containing any grep word; Enter stops', runMonitor),
  spec('wait', ['w'], '[count]', 'print background output (ping reports, debug answers) until count items; Enter stops', runWait),
  spec('status', [], '', 'node id, addresses, root, peers, routes, frames, uptime, battery, modem sleep', runStatus),
  spec('nodes', [], '', 'every node known: short id, name, address, hops, last heard, via which neighbour', runNodes),
  spec('traceroute', ['trace'], TRACEROUTE_USAGE, 'the hops to a node and back, from tree addresses', runTraceroute),
  spec('get', [], GET_TARGETS, 'show node state', runGet),
  spec('set', [], SET_USAGE, 'set this node\'s address or a route', runSet),
  spec('app', [], APP_USAGE, 'start, stop or invoke a callback of an app', runApp),
  spec('ban', [], 'NODE_ID', 'drop a node and ignore it from now on', runBan),
  spec('unban', [], 'NODE_ID', 'stop ignoring a node', runUnban),
  spec('ping', [], PING_USAGE, 'ping a node over routes (count <= 10)', runPing),
  spec('gossip_ping', [], GOSSIP_PING_USAGE, 'ping a node through Gossip (count <= 10)', runGossipPing),
  spec('debug', [], DEBUG_USAGE, 'get debug info from a node', (s, args) => runDebugCommand(s, 'debug', args)),
  spec('admin', [], ADMIN_USAGE, 'execute an admin command on a node', (s, args) => runDebugCommand(s, 'admin', args)),
  spec('local_admin', [], LOCAL_ADMIN_USAGE, 'set the local admin password', (s, args) => runDebugCommand(s, 'local_admin', args)),
  spec('operator', [], OPERATOR_USAGE, 'make or show the operator key; sign admin ops with it (signed mode)', runOperator),
  spec('json', [], 'COMMAND [args]', 'answer a command as one JSON line (also: COMMAND [args] --json)', () => errorResult('usage: json COMMAND [args]')),
  spec('config', [], CONFIG_USAGE, 'show or change a persisted setting', runConfig),
  spec('version', [], '', 'firmware, Packager and protocol versions', runVersion),
  spec('quit', ['q'], '', 'end the node program (where the host allows it)', runQuit),
  spec('reset', [], '', 'restart the machine', runReset),
]);

/** Names and aliases of the built-ins: app commands cannot shadow them. */
export const BUILTIN_NAMES: ReadonlySet<string> = Object.freeze(new Set(COMMANDS.flatMap((c) => [c.name, ...c.aliases])));

export function findCommand(name: string): CommandSpec | undefined {
  return COMMANDS.find((c) => c.name === name || c.aliases.includes(name));
}
