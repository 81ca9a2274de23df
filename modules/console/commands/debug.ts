/**
 * `debug`, `admin`, `local_admin` (protocol.md §6.5): the DebugApp's own console commands, run
 * with a writer that outlives the command, since answers come back over Gossip later.
 *
 * Their usage lines match DebugApp's. Beware (docs/security.md): admin passwords cross the mesh in clear.
 */
import { textResult, type CommandResult } from '../results.js';
import type { Session } from '../session.js';
import { resolveNode } from '../node-ref.js';
import { toHex } from '../../mycelium/wire/bytes.js';

export const DEBUG_USAGE = '[node_id] [info|peers|routes|next_hop addr metric]';
export const ADMIN_USAGE = '[node_id] [passwd] [set_pw passwd|reset|ban peer_id|unban peer_id]';
export const LOCAL_ADMIN_USAGE = 'set_pw <passwd>';

// A plain function per command, not a closure over the name: closures in preloaded tables make
// the XS linker warn ("no const") and cannot live in flash.
export function runDebugCommand(s: Session, name: 'debug' | 'admin' | 'local_admin', args: readonly string[]): CommandResult | undefined {
  const app = s.debug();
  const command = app?.commands().find((c) => c.name === name);
  if (!command) return textResult(`${name} is not available on this host (no DebugApp)`);
  // DebugApp takes a full node id; a short id or a name the console resolves is given as one.
  const node = name === 'local_admin' || args.length === 0 ? undefined : resolveNode(s, args[0]);
  const full = node?.ok ? [toHex(node.id), ...args.slice(1)] : args;
  command.run(full, s.laterWriter()); // the app's own lines, now and when answers come
  return undefined;
}
