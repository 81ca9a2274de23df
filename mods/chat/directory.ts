/**
 * Who is out there: node id → display name, tree addresses, when last heard. Filled from HELLO
 * (presence), SAY (name) and DM (the routed origin's address). The address matters most: a node
 * several hops away is not in this node's route table, and a DM reaches it only by address.
 *
 * A contact keeps its last few addresses, not one: while the tree re-forms, a HELLO may carry
 * an address in a tree we have not joined yet (or a late one, from Gossip's cache, in a tree we
 * left). Sending picks the newest address in the tree we are in now (`addressIn`).
 *
 * At most `limit` contacts; a new node evicts the one heard least recently.
 */

export interface Contact {
  readonly id: string;
  name: string;
  /** Tree addresses heard, newest last, at most ADDRESSES_PER_CONTACT. */
  readonly addresses: string[];
  /** `mesh.now()` when last heard. */
  heard: number;
}

export const ADDRESSES_PER_CONTACT = 3;

export class Directory {
  readonly #limit: number;
  readonly #contacts = new Map<string, Contact>();

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** Note that `id` was heard at `now`; a non-empty name replaces the known one, an address joins the list. */
  heard(id: string, now: number, name = '', address = ''): Contact {
    let c = this.#contacts.get(id);
    if (!c) {
      if (this.#contacts.size >= this.#limit) this.#evictStalest();
      c = { id, name: '', addresses: [], heard: now };
      this.#contacts.set(id, c);
    }
    c.heard = now;
    if (name !== '') c.name = name;
    if (address !== '') {
      const known = c.addresses.indexOf(address);
      if (known >= 0) c.addresses.splice(known, 1);
      c.addresses.push(address);
      if (c.addresses.length > ADDRESSES_PER_CONTACT) c.addresses.shift();
    }
    return c;
  }

  get(id: string): Contact | undefined {
    return this.#contacts.get(id);
  }

  /** Most recently heard first. */
  list(): Contact[] {
    return [...this.#contacts.values()].sort((a, b) => b.heard - a.heard);
  }

  get size(): number {
    return this.#contacts.size;
  }

  #evictStalest(): void {
    let stalest: Contact | undefined;
    for (const c of this.#contacts.values()) if (!stalest || c.heard < stalest.heard) stalest = c;
    if (stalest) this.#contacts.delete(stalest.id);
  }
}

/** The tree state part of an address text (`63-10::` → `63`), '' when there is none. */
export function treeOf(address: string | undefined): string {
  const dash = address ? address.indexOf('-') : -1;
  return dash > 0 ? (address as string).slice(0, dash) : '';
}

/** The newest address of `c` in the tree whose address is `own` (ours), if it has one. */
export function addressIn(c: Contact | undefined, own: string | undefined): string | undefined {
  const tree = treeOf(own);
  if (!c || tree === '') return undefined;
  for (let i = c.addresses.length - 1; i >= 0; i--) if (treeOf(c.addresses[i]) === tree) return c.addresses[i];
  return undefined;
}

export type Lookup = { readonly ok: true; readonly id: string } | { readonly ok: false; readonly error: string };

/** A node known outside the directory: a peer or route (id only), or this node (id and name). */
export interface Known {
  readonly id: string;
  readonly name?: string;
}

/**
 * What the user typed after `dm` → one node id: a full 64-hex id (known or not), a prefix of
 * at least 4 hex digits of an id we know (directory, peers, routes), or a name
 * (case-insensitive). Ambiguity is an error that lists the candidates, never a guess.
 */
export function findNode(query: string, directory: Directory, others: readonly Known[]): Lookup {
  const q = query.toLowerCase();
  if (q.length === 64 && /^[0-9a-f]+$/.test(q)) return { ok: true, id: q };
  const isPrefix = q.length >= 4 && /^[0-9a-f]+$/.test(q);
  const found = new Set<string>();
  for (const k of [...directory.list(), ...others]) {
    const id = k.id.toLowerCase();
    if ((isPrefix && id.startsWith(q)) || (k.name && k.name.toLowerCase() === q)) found.add(id);
  }
  if (found.size === 1) return { ok: true, id: [...found][0] };
  if (found.size === 0) return { ok: false, error: `no such node "${query}" (try who)` };
  const some = [...found].slice(0, 4).map((id) => id.slice(0, 8));
  return { ok: false, error: `ambiguous "${query}": ${some.join(', ')}${found.size > 4 ? ', …' : ''}` };
}
