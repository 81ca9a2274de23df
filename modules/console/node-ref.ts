/**
 * Node ids as a user types them: the full 64 hex digits (known or not), an unambiguous prefix of
 * at least 4 hex digits of a node this node knows of (the usual short id is 8 digits, as
 * `nodes` shows it), or a known node's name (case-insensitive). Ambiguity is an error that lists
 * the candidates, never a guess (the chat mod's `dm` follows the same rule).
 */
import { fromHex } from '../mycelium/wire/bytes.js';
import { NODE_ID_BYTES } from '../mycelium/wire/constants.js';
import type { Session } from './session.js';

export const MIN_PREFIX_DIGITS = 4;
/** The short form of an id that `nodes` and other listings print. */
export const SHORT_ID_DIGITS = 8;

export interface KnownNode {
  /** Node id, hex. */
  readonly id: string;
  readonly name?: string;
}

/** A failed lookup says why: nothing matched (`none`), or several did (`ambiguous`). */
export type NodeRef = { readonly ok: true; readonly id: Uint8Array } | { readonly ok: false; readonly reason: 'none' | 'ambiguous'; readonly error: string };

/** Every node this node knows of: itself, its peers, its routes' nodes and its tree neighbours. */
export function knownNodes(s: Session): KnownNode[] {
  const name = s.host.config?.get('name');
  const out: KnownNode[] = [{ id: s.packager.nodeKey, name: typeof name === 'string' && name !== '' ? name : undefined }];
  for (const p of s.packager.peers) out.push({ id: p.key });
  for (const r of s.packager.routes) out.push({ id: r.nodeKey });
  const tree = s.node.treeState();
  if (tree) for (const id of [tree.root, tree.parent, ...tree.children]) if (id !== undefined) out.push({ id });
  for (const k of s.host.names?.() ?? []) out.push(k);
  return out;
}

/** The node `text` names, or a sentence saying why it names none. */
export function resolveNode(s: Session, text: string | undefined): NodeRef {
  if (text === undefined || text === '') return { ok: false, reason: 'none', error: 'a node is needed (its id, an id prefix or its name)' };
  const q = text.toLowerCase();
  if (q.length === NODE_ID_BYTES * 2) {
    const id = fromHex(q);
    if (id) return { ok: true, id };
  }
  const isPrefix = q.length >= MIN_PREFIX_DIGITS && /^[0-9a-f]+$/.test(q);
  const found = new Set<string>();
  for (const k of knownNodes(s)) {
    const id = k.id.toLowerCase();
    if ((isPrefix && id.startsWith(q)) || (k.name !== undefined && k.name.toLowerCase() === q)) found.add(id);
  }
  if (found.size === 1) return { ok: true, id: fromHex([...found][0]) as Uint8Array };
  if (found.size === 0) {
    const hint = /^[0-9a-f]{1,3}$/.test(q) ? ` (an id prefix needs ${MIN_PREFIX_DIGITS} hex digits or more)` : ' (nodes lists the nodes known)';
    return { ok: false, reason: 'none', error: `no known node "${text}"${hint}` };
  }
  const some = [...found].slice(0, 4).map((id) => id.slice(0, SHORT_ID_DIGITS));
  return { ok: false, reason: 'ambiguous', error: `"${text}" is ambiguous: ${some.join(', ')}${found.size > 4 ? ', \u2026' : ''} (type more digits)` };
}
