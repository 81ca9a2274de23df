/**
 * A host's signed mode, wired from its settings (issue 20): the same steps on a board
 * (Preferences), the simulator host and `mycelium-node` (its file). The key must exist before
 * the Node (its id is the key), the layer after the standard apps (it stacks over the tree and
 * Beacon, and DebugApp's admin check becomes the operator's signature).
 */
import type { Node } from '../node.js';
import type { Platform } from '../platform/platform.js';
import type { DebugApp } from '../apps/debug.js';
import { fromHex } from '../wire/bytes.js';
import { NodeKey } from './node-key.js';
import { AdminAuth } from './admin-auth.js';
import { addSignedTree } from './add-signed-tree.js';
import type { SignedTree } from './signed-tree.js';
import { loadRootWork, ROOT_WORK_FLOOR_BITS, ROOT_WORK_MAX_ATTEMPTS } from './root-work.js';
import type { SecurityOptions } from './security.js';

export interface HostSecurity extends SecurityOptions {
  /** Hex operator keys whose signed admin ops the node obeys (at most 4). */
  readonly operatorKeys: readonly string[];
}

/**
 * The node's key in a signed mode (loaded, or made and stored at first start); undefined in
 * open mode, or when the platform cannot sign (logged: the node then runs open).
 */
export function hostKey(platform: Platform, security: HostSecurity): NodeKey | undefined {
  if (security.mode === 'open') return undefined;
  const key = NodeKey.load(platform);
  if (!key) platform.log('warn', `security ${security.mode}: this platform cannot sign; running open`);
  else if (!platform.storage) platform.log('warn', 'no storage: a new node key (and id) at every start');
  return key;
}

/** Stack the signed layer over `node`'s apps with `key` (from hostKey) and trust the operators. */
export function addHostSecurity(node: Node, platform: Platform, key: NodeKey, security: HostSecurity, debug: DebugApp | undefined, workAttempts = ROOT_WORK_MAX_ATTEMPTS): SignedTree {
  // Grind until the floor (2^20 attempts expected, once: the nonce is stored with the key).
  const rootWork = security.root_work ? loadRootWork(platform, key.publicKey, workAttempts, security.root_work_floor ?? ROOT_WORK_FLOOR_BITS) : undefined;
  const signer = rootWork ? { publicKey: key.publicKey, sign: (m: Uint8Array) => key.sign(m), rootWork } : key;
  const signed = addSignedTree(node, signer, security);
  const operators = security.operatorKeys.map((hex) => fromHex(hex)).filter((k): k is Uint8Array => k !== undefined && k.length === 32);
  if (debug) debug.adminAuth = new AdminAuth(platform, operators);
  return signed;
}
