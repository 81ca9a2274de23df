/** `ban` / `unban NODE_ID`: Packager.ban drops the peer and its routes and ignores it after. */
import { toHex } from '../../mycelium/wire/bytes.js';
import { resolveNode } from '../node-ref.js';
import { errorResult, textResult, type CommandResult } from '../results.js';
import type { Session } from '../session.js';

export function runBan(s: Session, args: readonly string[]): CommandResult {
  const node = resolveNode(s, args[0]);
  if (!node.ok) return errorResult(node.reason === 'ambiguous' ? node.error : 'usage: ban NODE_ID (64 hex digits, a known id prefix or name)');
  const id = node.id;
  if (s.packager.ban(id)) return textResult('Banned ' + toHex(id));
  if (toHex(id) === s.packager.nodeKey) return errorResult('a node cannot ban itself');
  return errorResult(`the ban list is full (${s.packager.limits.banned} ids)`);
}

export function runUnban(s: Session, args: readonly string[]): CommandResult {
  // A banned node is forgotten (no peer, no route): only its full id names it.
  const node = resolveNode(s, args[0]);
  if (!node.ok) return errorResult(node.reason === 'ambiguous' ? node.error : 'usage: unban NODE_ID (64 hex digits)');
  const id = node.id;
  return textResult(s.packager.unban(id) ? 'Unbanned ' + toHex(id) : toHex(id) + ' was not banned');
}
