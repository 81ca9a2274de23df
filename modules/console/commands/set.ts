/** `set …`: own address and routes by hand (upstream §8.2); the node id cannot change at run time. */
import { toHex } from '../../mycelium/wire/bytes.js';
import { parseAddress, parseNodeId } from '../args.js';
import { errorResult, textResult, type CommandResult } from '../results.js';
import type { Session } from '../session.js';

export const SET_USAGE = 'node_id HEX64 | addr ADDR | route NODE_ID ADDR';

export function runSet(s: Session, args: readonly string[]): CommandResult {
  const what = (args[0] ?? '').toLowerCase();
  if (what === 'node_id') {
    // Upstream calls a Packager.set_node_id that does not exist. Ours is fixed when the Node is
    // built (derived from the chip id, or stored); changing it live would orphan every peer entry.
    return textResult('set node_id is not supported: the node id is fixed when the node starts');
  }
  if (what === 'addr') {
    const a = parseAddress(args[1]);
    if (!a) return errorResult(args[1] === undefined ? 'usage: set addr ADDR' : `"${args[1]}" is not an address (like 1-10::)`);
    s.packager.setAddress(a);
    return textResult(`Address set: Address(${a.toString()})`);
  }
  if (what === 'route') {
    const id = parseNodeId(args[1]);
    const a = parseAddress(args[2]);
    if (!id) return errorResult('usage: set route NODE_ID ADDR (NODE_ID is 64 hex digits)');
    if (!a) return errorResult(args[2] === undefined ? 'usage: set route NODE_ID ADDR' : `"${args[2]}" is not an address (like 1-10::)`);
    if (!s.packager.addRoute(id, a)) return errorResult('route refused: that node is banned or is this node');
    return textResult(`Route added: ${a.toString()} -> ${toHex(id)}`);
  }
  return errorResult('usage: set ' + SET_USAGE);
}
