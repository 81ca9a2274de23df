/**
 * Borders between trees (docs/routing.md "Any diameter"). A 16-byte address holds 32 levels; a
 * node whose address is full cannot take children (tree-claims.ts `isFull`), so the nodes beyond
 * it form a tree of their own. The two neighbours across that edge are the border: each gossips
 * "tree `far` is reached through my address in tree `near`" (22 bytes, our own Gossip topic, so
 * upstream nodes only relay it), and every node keeps the nearest few such gateways in its border
 * directory (packager/borders.ts), which routing uses for trees it holds no address in.
 *
 * A border is announced only when it is structural, not a tree still forming: the neighbour is in
 * another tree, the node on the better root's side is full (so the two trees cannot merge), and
 * this has held for two checks. It is re-announced every BORDER_REFRESH_MS and lapses after three,
 * unless another gateway of the same border within BORDER_SUPPRESS_HOPS announced it meanwhile.
 */
import { Address } from '../wire/address.js';
import { bytesEqual, compareBytes } from '../wire/bytes.js';
import { appId, treeState } from '../wire/ids.js';
import { unwrap } from '../wire/result.js';
import type { Hashes } from '../platform/platform.js';
import type { Packager } from '../packager/packager.js';
import type { Gossip } from './gossip.js';
import { isFull, type Claim } from './tree-claims.js';

/** How often a node checks whether it borders another tree. */
export const BORDER_CHECK_MS = 10_000;
/** A border is announced again this often while it lasts. */
export const BORDER_REFRESH_MS = 120_000;
/** A gossiped border lapses unless announced again (three refreshes: two may be lost). */
export const BORDER_LIFETIME_MS = 3 * BORDER_REFRESH_MS;
/** A border node stays quiet while another gateway this near (tree hops) announces the same border. */
export const BORDER_SUPPRESS_HOPS = 4;
/** Borders one node tracks (distinct far trees). */
const TRACKED_LIMIT = 8;
const MAGIC = 0xb0;
const ADVERT_BYTES = 5 + 16;

export interface BorderAdvert {
  readonly far: number;
  readonly near: number;
  readonly seq: number;
  readonly address: Uint8Array;
}

/** The Gossip topic of border adverts: an app id nobody runs (so no upstream node delivers them). */
export function borderTopic(hashes: Hashes): Uint8Array {
  return unwrap(appId(hashes, 'TreeBorders', 'Mycelium tree borders', 0));
}

export function serializeBorder(a: BorderAdvert): Uint8Array {
  const out = new Uint8Array(ADVERT_BYTES);
  out[0] = MAGIC;
  out[1] = a.far & 0xff;
  out[2] = a.near & 0xff;
  out[3] = (a.seq >> 8) & 0xff;
  out[4] = a.seq & 0xff;
  out.set(a.address.subarray(0, 16), 5);
  return out;
}

export function parseBorder(blob: Uint8Array): BorderAdvert | undefined {
  if (!(blob instanceof Uint8Array) || blob.length !== ADVERT_BYTES || blob[0] !== MAGIC || blob[1] === blob[2]) return undefined;
  return { far: blob[1], near: blob[2], seq: (blob[3] << 8) | blob[4], address: blob.slice(5) };
}

/** What TreeBorders sees of the tree. */
export interface BorderHost {
  packager(): Packager;
  now(): number;
  rootScore(): Uint8Array;
  /** The claim `peerKey` last advertised, if any. */
  claimOf(peerKey: string): Claim | undefined;
  gossip(): Gossip | undefined;
}

interface Tracked {
  published: number;
  gateway: string;
}

export class TreeBorders {
  readonly #host: BorderHost;
  readonly #hashes: Hashes;
  /** The Gossip topic of border adverts: an app id nobody runs, so only our nodes read it. */
  readonly #topic: Uint8Array;
  /** far tree state → when and at which address we last said we border it. */
  readonly #tracked = new Map<number, Tracked>();
  #seq: number;

  constructor(hashes: Hashes, host: BorderHost) {
    this.#host = host;
    this.#hashes = hashes;
    this.#topic = borderTopic(hashes);
    this.#seq = 0;
  }

  /**
   * Listen on the topic (delivered to the app `appId`) and check every BORDER_CHECK_MS under
   * `eventId`. `seq`: two random bytes to start our advert numbers from, so that after a reboot at the same
   * address our adverts are not taken for copies already seen (Gossip remembers ids for an hour).
   */
  start(appId: Uint8Array, eventId: string, seq: Uint8Array): void {
    this.#seq = ((seq[0] << 8) | seq[1]) & 0xffff;
    this.#host.gossip()?.subscribe(this.#topic, appId);
    const tick = () => {
      this.#host.packager().schedule(eventId, BORDER_CHECK_MS, tick);
      this.check();
    };
    this.#host.packager().schedule(eventId, BORDER_CHECK_MS, tick);
  }

  stop(appId: Uint8Array, eventId: string): void {
    this.#host.packager().cancel(eventId);
    this.#host.gossip()?.unsubscribe(this.#topic, appId);
  }

  isTopic(topic: Uint8Array | undefined): boolean {
    return topic !== undefined && bytesEqual(topic, this.#topic);
  }

  /** A border advert arrived through Gossip. */
  receive(blob: Uint8Array): void {
    const h = this.#host;
    const p = h.packager();
    const a = parseBorder(blob);
    const gw = a && Address.fromBytes(a.near, a.address);
    if (!a || !gw || !gw.ok) {
      p.counters.inc('tree_border_bad');
      return;
    }
    if (p.isOwnAddress(gw.value)) return; // our own, back through Gossip
    const now = h.now();
    p.borders.add(a.far, gw.value, now, now + BORDER_LIFETIME_MS);
  }

  /** Every BORDER_CHECK_MS: which other trees do we border, and announce the lasting ones. */
  check(): void {
    const h = this.#host;
    const p = h.packager();
    const own = p.address;
    const now = h.now();
    const far = new Set<number>();
    if (own) {
      const ownFull = isFull(own.coords);
      for (const peer of p.peers) {
        if (!peer.usable(now)) continue;
        const c = h.claimOf(peer.key);
        if (!c) continue;
        const ts = treeState(this.#hashes, c.claim);
        if (ts === own.treeState) continue;
        const cmp = compareBytes(c.score, h.rootScore());
        // The side of the better root is full: the trees cannot merge across this edge.
        if ((cmp > 0 && ownFull) || (cmp < 0 && c.full === true)) far.add(ts);
      }
    }
    for (const ts of [...this.#tracked.keys()]) if (!far.has(ts)) this.#tracked.delete(ts);
    if (!own) return;
    for (const ts of far) {
      let t = this.#tracked.get(ts);
      if (!t) {
        if (this.#tracked.size >= TRACKED_LIMIT) continue;
        t = { published: -Infinity, gateway: '' };
        this.#tracked.set(ts, t);
        continue; // announced from the next check on, if it lasts
      }
      if (t.gateway === own.key && now - t.published < BORDER_REFRESH_MS) continue;
      // Along a long border (a 2D mesh), one announcer per few hops is enough: routing only
      // needs a gateway near the packet's way, and every announcement floods the whole mesh.
      if (p.borders.heardNear(ts, own, now - BORDER_REFRESH_MS, BORDER_SUPPRESS_HOPS)) continue;
      this.#seq = (this.#seq + 1) & 0xffff;
      const gossip = h.gossip();
      if (!gossip?.publish(this.#topic, serializeBorder({ far: ts, near: own.treeState, seq: this.#seq, address: own.bytes }))) continue;
      t.published = now;
      t.gateway = own.key;
      p.counters.inc('tree_border_advert');
    }
  }

  /** The far trees this node currently borders (for state and tests). */
  bordered(): number[] {
    return [...this.#tracked.keys()];
  }
}
