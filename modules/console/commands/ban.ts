/** `ban` / `unban NODE_ID`: Packager.ban drops the peer and its routes and ignores it after. */
import { toHex } from '../../mycelium/wire/bytes.js';
import { parseNodeId } from '../args.js';
import { errorResult, textResult, type CommandResult } from '../results.js';
import type { Session } from '../session.js';

export function runBan(s: Session, args: readonly string[]): CommandResult {
  const id = parseNodeId(args[0]);
  if (!id) return errorResult('usage: ban NODE_ID (64 hex digits)');
  if (s.packager.ban(id)) return textResult('Banned ' + toHex(id));
  if (toHex(id) === s.packager.nodeKey) return errorResult('a node cannot ban itself');
  return errorResult(`the ban list is full (${s.packager.limits.banned} ids)`);
}

export function runUnban(s: Session, args: readonly string[]): CommandResult {
  const id = parseNodeId(args[0]);
  if (!id) return errorResult('usage: unban NODE_ID (64 hex digits)');
  return textResult(s.packager.unban(id) ? 'Unbanned ' + toHex(id) : toHex(id) + ' was not banned');
}
