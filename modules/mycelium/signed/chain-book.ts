/**
 * What a signed node has verified about its neighbours' tree addresses (issue 20), bounded:
 * - per neighbour, the chain it proved (root, epoch, address, every signer on the way), so a
 *   SEND is routed by only when its address was proved, and a chain is verified once, not per
 *   advert (cap `limit`, least recently proved evicted);
 * - per signed coordinate, the child its last signer gave it to: a second child for the same
 *   coordinate while the first still holds it is the signer's equivocation (the rogue-parent
 *   attack), proved by the two links. "Still holds" is what matters: an honest parent gives a
 *   coordinate again as soon as its child is heard elsewhere (tree-coordinates.ts), often before
 *   a neighbour of both has verified where the child went. So a second child is only a
 *   suspicion until the first is heard at the coordinate again after it (`concurrent`), or,
 *   for this node itself, while it still holds that address (`holdsNow`);
 * - the signers proved rogue, for `rogueMs` (cap 16, oldest forgotten first): their links no
 *   longer verify anyone's address.
 */
import { bytesEqual, fromHex, toHex } from '../wire/bytes.js';
import { decodeAddress, encodeCoords } from '../wire/address.js';
import type { Link } from './tree-chain.js';

export interface ProvedChain {
  readonly root: string;
  readonly epoch: number;
  readonly address: string;
  /** Hex keys of the root and every link's signer, root first. */
  readonly signers: readonly string[];
  /** The peer's own link (none for a root). */
  readonly link: Link | undefined;
}

/** Two links by one signer giving one coordinate to two children. */
export interface Equivocation {
  readonly signer: Uint8Array;
  readonly root: Uint8Array;
  readonly epoch: number;
  readonly a: Link;
  readonly b: Link;
}

interface Holder {
  readonly child: string;
  readonly signer: Uint8Array;
  readonly link: Link;
  at: number;
  /**
   * Whether the child itself proved this place to us (or is us). A link seen only inside a
   * descendant's chain may be stale: that descendant keeps its address until it hears that its
   * ancestor moved, so a deep subtree goes on showing the coordinate's previous holder for a while
   * after the parent gave it to a newcomer.
   */
  readonly direct: boolean;
}

const ROGUE_LIMIT = 16;

export class ChainBook {
  readonly #limit: () => number;
  readonly #conflictMs: () => number;
  readonly #rogueMs: () => number;
  readonly #byPeer = new Map<string, ProvedChain>();
  readonly #holders = new Map<string, Holder>();
  readonly #rogue = new Map<string, number>();
  readonly #holdsNow: (child: string, address: string) => boolean | undefined;

  /**
   * `holdsNow(child, address)`: whether `child` holds `address` now, when this node knows for
   * certain (its own key: it knows its own address), else undefined.
   */
  constructor(limit: () => number, conflictMs: () => number, rogueMs: () => number, holdsNow: (child: string, address: string) => boolean | undefined = () => undefined) {
    this.#limit = limit;
    this.#conflictMs = conflictMs;
    this.#rogueMs = rogueMs;
    this.#holdsNow = holdsNow;
  }

  /** Whether `peerKey` proved this exact place (and no signer on its chain is rogue). */
  proved(peerKey: string, root: string, epoch: number, address: string, now: number): boolean {
    const c = this.#byPeer.get(peerKey);
    if (!c || c.root !== root || c.epoch !== epoch || c.address !== address) return false;
    if (this.anyRogue(c.signers, now)) return false;
    const held = this.#holders.get(root + '/' + epoch + '/' + address);
    if (held && held.child === peerKey) held.at = now; // it still holds the coordinate
    return true;
  }

  /**
   * `peerKey` advertised again at the place it proved, but its parent has since given that
   * coordinate to another child, recently heard there too: both hold it at once, the parent's
   * equivocation. (A child that moved advertises its new address instead: no suspicion left.)
   */
  concurrent(peerKey: string, root: string, epoch: number, address: string, now: number): Equivocation | undefined {
    const c = this.#byPeer.get(peerKey);
    if (!c?.link || c.root !== root || c.epoch !== epoch || c.address !== address) return undefined;
    const held = this.#holders.get(root + '/' + epoch + '/' + address);
    if (!held || !held.direct || held.child === peerKey || now - held.at > this.#conflictMs()) return undefined;
    if (toHex(held.signer) !== c.signers[c.signers.length - 1]) return undefined; // not one signer's two links
    const rootKey = fromHex(root);
    return rootKey ? { signer: held.signer, root: rootKey, epoch, a: c.link, b: held.link } : undefined;
  }

  /**
   * Record a verified chain held by `peerKey` (its links, signed from `root`) and return the
   * equivocation it reveals, if any. The links must already be verified.
   */
  record(peerKey: string, root: Uint8Array, epoch: number, links: readonly Link[], address: string, now: number): Equivocation | undefined {
    const rootHex = toHex(root);
    const signers = [rootHex];
    for (const l of links.slice(0, -1)) signers.push(toHex(l.child));
    const old = this.#byPeer.get(peerKey);
    if (old) {
      // A peer that moved no longer holds its old coordinate: its parent may give it to another.
      const oldKey = old.root + '/' + old.epoch + '/' + old.address;
      if (this.#holders.get(oldKey)?.child === peerKey) this.#holders.delete(oldKey);
    }
    this.#byPeer.delete(peerKey);
    this.#byPeer.set(peerKey, { root: rootHex, epoch, address, signers, link: links[links.length - 1] });
    if (this.#byPeer.size > this.#limit()) this.#byPeer.delete(this.#byPeer.keys().next().value as string);
    let found: Equivocation | undefined;
    let signer = root;
    for (let i = 0; i < links.length; i++) {
      const link = links[i];
      const key = rootHex + '/' + epoch + '/' + toHex(link.address);
      const child = toHex(link.child);
      const direct = i === links.length - 1 && child === peerKey;
      const held = this.#holders.get(key);
      const recent = held !== undefined && held.child !== child && now - held.at <= this.#conflictMs();
      // Two children of one coordinate, each saying so itself: certain here only when the first
      // is us and we still hold it; else a suspicion, confirmed if the first is heard there again
      // (`concurrent`). A link inside a descendant's chain is no one's word that it holds the
      // coordinate now (Holder.direct): the two successive holders of an honest parent's
      // coordinate showed up this way and got the parent refused mesh-wide.
      if (recent && direct && held.direct && this.#holdsNow(held.child, toHex(link.address)) === true) {
        found ??= { signer, root, epoch, a: held.link, b: link };
      }
      // A holder heard itself lately outranks an older link shown by someone else's chain.
      if (recent && held.direct && !direct) {
        signer = link.child;
        continue;
      }
      this.#holders.delete(key);
      this.#holders.set(key, { child, signer, link, at: now, direct });
      if (this.#holders.size > this.#limit() * 4) this.#holders.delete(this.#holders.keys().next().value as string);
      signer = link.child;
    }
    return found;
  }

  /**
   * The longest chain from `root` down `coords` made of links already verified here (the
   * latest holder of each coordinate, each signed by the holder of the one above): what a
   * neighbour at `coords` need not send again. Stops at the first coordinate not held or
   * held under another signer (a stale link: the answer then fails and is asked in full).
   */
  verifiedPrefix(root: Uint8Array, epoch: number, coords: readonly number[]): Link[] {
    const head = toHex(root) + '/' + epoch + '/';
    const links: Link[] = [];
    let signer = root;
    for (let depth = 1; depth <= coords.length; depth++) {
      const address = encodeCoords(coords.slice(0, depth));
      const held = address.ok ? this.#holders.get(head + toHex(address.value)) : undefined;
      if (!held || !bytesEqual(held.signer, signer)) break;
      links.push(held.link);
      signer = held.link.child;
    }
    return links;
  }

  /** How many leading links of `links` (down to its holder) are byte for byte links verified here: not verified again. */
  knownLeading(root: Uint8Array, epoch: number, links: readonly Link[]): number {
    const last = decodeAddress(links[links.length - 1].address);
    const known = last.ok ? this.verifiedPrefix(root, epoch, last.value) : [];
    let i = 0;
    while (i < links.length - 1 && i < known.length && bytesEqual(links[i].child, known[i].child) && bytesEqual(links[i].signature, known[i].signature) && bytesEqual(links[i].address, known[i].address)) i++;
    return i;
  }

  forget(peerKey: string): void {
    this.#byPeer.delete(peerKey);
  }

  markRogue(signer: string, now: number): boolean {
    const known = this.isRogue(signer, now);
    this.#rogue.delete(signer);
    this.#rogue.set(signer, now);
    if (this.#rogue.size > ROGUE_LIMIT) this.#rogue.delete(this.#rogue.keys().next().value as string);
    return !known;
  }

  isRogue(key: string, now: number): boolean {
    const at = this.#rogue.get(key);
    return at !== undefined && now - at < this.#rogueMs();
  }

  /** Whether `root` or a child of `links` is marked rogue; builds no key while none is marked. */
  rogueOnChain(root: Uint8Array, links: readonly Link[], now: number): boolean {
    return this.#rogue.size > 0 && this.anyRogue([toHex(root), ...links.map((l) => toHex(l.child))], now);
  }

  anyRogue(keys: readonly string[], now: number): boolean {
    return this.#rogue.size > 0 && keys.some((k) => this.isRogue(k, now));
  }

  get size(): number {
    return this.#byPeer.size;
  }
}

/** Put `key` last in `map` (insertion order = recency) and forget the oldest beyond `limit`. */
export function remember<V>(map: Map<string, V>, key: string, value: V, limit: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > limit) map.delete(map.keys().next().value as string);
}
