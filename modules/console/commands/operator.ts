/**
 * `operator` (issue 20): the operator's side of signed admin. In signed mode nodes obey admin ops
 * (REQUIRE_*) only when signed by an operator key they trust (`config set operator_keys HEX`)
 * with a counter above the last one they accepted (signed/admin-auth.ts); no password crosses the
 * air. This console keeps the operator key in its own storage (the node file of mycelium-node,
 * mode 0600, or a board's Preferences), never prints the secret, and signs each op with the next
 * stored counter — stored before the op is sent, so a restart never reuses one.
 *
 *   operator new                        make the operator key (once; refused if one exists)
 *   operator key                        show its public key (what nodes are configured to trust)
 *   operator admin NODE reset | ban PEER | unban PEER | set_pw PASSWORD
 */
import { toHex, utf8Encode } from '../../mycelium/wire/bytes.js';
import { DebugOp } from '../../mycelium/wire/messages/debug.js';
import { NodeKey } from '../../mycelium/signed/node-key.js';
import { signedAdminData } from '../../mycelium/signed/admin-auth.js';
import { resolveNode } from '../node-ref.js';
import { errorResult, textResult, type CommandResult } from '../results.js';
import type { Session } from '../session.js';

export const OPERATOR_USAGE = 'new | key | admin NODE reset|ban PEER|unban PEER|set_pw PASSWORD';
/** Storage keys (≤ 15 characters: ESP-IDF NVS). */
export const OPERATOR_SEED_KEY = 'operator_seed';
export const OPERATOR_COUNTER_KEY = 'operator_ctr';

function operatorKey(s: Session): NodeKey | undefined {
  const p = s.node.platform;
  const seed = p.storage?.get(OPERATOR_SEED_KEY);
  return p.signatures && seed && seed.length === 32 ? NodeKey.fromSeed(p.signatures, seed) : undefined;
}

/** The next counter, stored before use. */
function nextCounter(s: Session): bigint {
  const storage = s.node.platform.storage!;
  const stored = storage.get(OPERATOR_COUNTER_KEY);
  const last = stored && stored.length === 8 ? new DataView(stored.buffer, stored.byteOffset, 8).getBigUint64(0) : 0n;
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, last + 1n);
  storage.set(OPERATOR_COUNTER_KEY, out);
  return last + 1n;
}

export function runOperator(s: Session, args: readonly string[]): CommandResult | undefined {
  const p = s.node.platform;
  const sub = (args[0] ?? '').toLowerCase();
  if (!p.signatures) return errorResult('operator: this host cannot sign (no Ed25519)');
  if (!p.storage) return errorResult('operator: this host has no storage to keep an operator key in');
  if (sub === 'new') {
    if (operatorKey(s)) return errorResult('operator: a key exists already (operator key shows it)');
    p.storage.set(OPERATOR_SEED_KEY, p.randomBytes(new Uint8Array(32)));
    return textResult(`operator key ${toHex(operatorKey(s)!.publicKey)} (trust it on nodes: config set operator_keys <key>)`);
  }
  const key = operatorKey(s);
  if (sub === 'key') return key ? textResult(`operator key ${toHex(key.publicKey)}`) : errorResult('operator: no key yet (operator new)');
  if (sub !== 'admin') return errorResult(`usage: operator ${OPERATOR_USAGE}`);
  if (!key) return errorResult('operator: no key yet (operator new)');
  const debug = s.debug();
  if (!debug) return errorResult('operator: no DebugApp on this host');
  const node = resolveNode(s, args[1]);
  if (!node.ok) return errorResult(node.error);
  const action = (args[2] ?? '').toLowerCase();
  let op: number;
  let more: Uint8Array = new Uint8Array(0);
  if (action === 'reset') op = DebugOp.REQUIRE_RESET;
  else if (action === 'ban' || action === 'unban') {
    const peer = resolveNode(s, args[3]);
    if (!peer.ok) return errorResult(peer.error);
    op = action === 'ban' ? DebugOp.REQUIRE_BAN : DebugOp.REQUIRE_UNBAN;
    more = peer.id;
  } else if (action === 'set_pw' && args[3] !== undefined) {
    op = DebugOp.REQUIRE_SET_PW;
    more = utf8Encode(args[3]);
  } else return errorResult(`usage: operator ${OPERATOR_USAGE}`);
  const counter = nextCounter(s);
  const r = debug.requireSigned(op, node.id, signedAdminData((m) => key.sign(m), node.id, op, counter, more));
  return r.ok ? textResult(`signed admin ${action} sent to ${toHex(node.id).slice(0, 16)}… (counter ${counter}, nonce ${r.value.nonce})`) : errorResult(`operator: ${r.error.message}`);
}
