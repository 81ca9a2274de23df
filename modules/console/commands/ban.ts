/** `ban` / `unban NODE_ID`: Packager.ban drops the peer and its routes and ignores it after. */
import { toHex } from '../../mycelium/wire/bytes.js';
import { parseNodeId } from '../args.js';
import type { Session } from '../session.js';

export function runBan(s: Session, args: readonly string[]): void {
  const id = parseNodeId(args[0]);
  if (!id) return s.error('usage: ban NODE_ID (64 hex digits)');
  if (s.packager.ban(id)) return s.print('Banned ' + toHex(id));
  if (toHex(id) === s.packager.nodeKey) return s.error('a node cannot ban itself');
  s.error(`the ban list is full (${s.packager.limits.banned} ids)`);
}

export function runUnban(s: Session, args: readonly string[]): void {
  const id = parseNodeId(args[0]);
  if (!id) return s.error('usage: unban NODE_ID (64 hex digits)');
  s.print(s.packager.unban(id) ? 'Unbanned ' + toHex(id) : toHex(id) + ' was not banned');
}
