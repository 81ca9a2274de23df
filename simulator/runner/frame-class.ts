/**
 * What each frame on air was for: which app's Package it carries (Beacon, Gossip, the tree,
 * Ping, the simulator's traffic), or protocol signalling (acks, RTX, RNS/NIA). Reads only the
 * packet header and, for a single packet or a sequence's first fragment, the Package's app id.
 * A sequence's later fragments are credited to the app of its first fragment when that was seen
 * from the same sender (a small bounded table), else to `fragment`.
 *
 * With `attributeAcks`, the end-to-end ack of a routed packet (same packet id, addresses swapped)
 * is `<kind> ack` when that packet was seen (another small bounded table), else `signalling`: the
 * ack of a Ping is the cost of the Ping, not of keeping the mesh up.
 */
import { Encoded, encodedValue } from '../../modules/mycelium/wire/flags.js';
import { parsePacket } from '../../modules/mycelium/wire/packet.js';
import { APP_ID_BYTES } from '../../modules/mycelium/wire/constants.js';
import { fromHex, toHex } from '../../modules/mycelium/wire/bytes.js';
import { COMPACT_MARKER, expandFrame } from '../../modules/mycelium/wire/compact-frame.js';
import { CARRIED_MARKER } from '../../modules/rylr998/carried-acks.js';

/** Classifying needs the header and app id only: a compact frame's rebuilt half hash may stay zero. */
const NO_HASHES = Object.freeze({ sha256: () => new Uint8Array(32), crc32: () => 0 });

export const SIGNALLING = 'signalling';
export const FRAGMENT = 'fragment';
export const UNKNOWN = 'unknown';
export const OTHER_APP_PREFIX = 'app:';
export const ACK_SUFFIX = ' ack';

/** The kind an attributed ack belongs to (`Ping ack` → `Ping`); other kinds unchanged. */
export function ackedKind(kind: string): string {
  return kind.endsWith(ACK_SUFFIX) ? kind.slice(0, -ACK_SUFFIX.length) : kind;
}

const SEQUENCE_MEMORY = 4096;
/** Routed packets remembered for their acks (acks come back within seconds; insertion-ordered). */
const ROUTED_MEMORY = 4096;

export class FrameClassifier {
  readonly #apps: Map<string, string>;
  /** `${sender}/${seqId}` → app name of the sequence's first fragment (insertion-ordered, capped). */
  readonly #sequences = new Map<string, string>();

  readonly #byId: boolean;
  readonly #carried: ((app: string, body: Uint8Array) => string | undefined) | undefined;
  /** `${from}/${to}/${packetId}/${seqId}` of recent routed packets → their kind (attributeAcks only). */
  readonly #routed: Map<string, string> | undefined;

  /**
   * `apps`: app id (16 bytes) → name. `otherAppsById`: a Package for an app not in `apps` is
   * `app:<id hex>` (OTHER_APP_PREFIX) instead of `unknown`, so a run can name it once it
   * learns the id. `carried`: what a Package of app `app` carries for another app (Gossip
   * floods other apps' payloads: gossip-topics.ts), undefined when it is the app's own.
   */
  constructor(apps: readonly { id: Uint8Array; name: string }[], otherAppsById = false, carried?: (app: string, body: Uint8Array) => string | undefined, attributeAcks = false) {
    this.#apps = new Map(apps.map((a) => [toHex(a.id), a.name]));
    this.#byId = otherAppsById;
    this.#carried = carried;
    this.#routed = attributeAcks ? new Map() : undefined;
  }

  /** A known app's id from its prefix (a compact frame to a neighbour that runs the app). */
  #idByPrefix(prefix: Uint8Array): Uint8Array | undefined {
    const hex = toHex(prefix);
    for (const id of this.#apps.keys()) if (id.startsWith(hex)) return fromHex(id);
    return undefined;
  }

  /** The name of what `frame`, sent by node `sender`, carries. */
  classify(sender: number, frame: Uint8Array): string {
    // A RYLR-998 carried frame (modules/rylr998/carried-acks.ts): its compact frame after the acks; acks alone are signalling.
    if (frame[0] === CARRIED_MARKER && frame.length >= 4) {
      frame = frame.subarray(4 + 2 * frame[3]);
      if (frame.length === 0) return SIGNALLING;
    }
    if (frame[0] === COMPACT_MARKER) frame = expandFrame(NO_HASHES, frame, (prefix) => this.#idByPrefix(prefix)) ?? frame;
    const parsed = parsePacket(frame);
    if (!parsed.ok) return UNKNOWN;
    const p = parsed.value;
    const enc = encodedValue(p.flags);
    const routed = this.#routed && p.toAddr && p.fromAddr ? this.#routed : undefined;
    if (enc !== Encoded.none && enc !== Encoded.ask) {
      const acked = routed && enc === Encoded.ack ? routed.get(routeKey(p.toAddr as Uint8Array, p.fromAddr as Uint8Array, p.packetId, p.seqId)) : undefined;
      return acked === undefined ? SIGNALLING : acked + ACK_SUFFIX;
    }
    const inSequence = p.seqId !== undefined;
    if (inSequence && p.packetId !== 0) {
      const kind = this.#sequences.get(`${sender}/${p.seqId}`) ?? FRAGMENT;
      if (routed) remember(routed, routeKey(p.fromAddr as Uint8Array, p.toAddr as Uint8Array, p.packetId, p.seqId), kind);
      return kind;
    }
    let name = UNKNOWN;
    if (p.body.length >= APP_ID_BYTES) {
      const id = toHex(p.body.subarray(0, APP_ID_BYTES));
      name = this.#apps.get(id) ?? (this.#byId ? OTHER_APP_PREFIX + id : UNKNOWN);
      if (this.#carried) name = this.#carried(name, p.body) ?? name;
    }
    if (inSequence) {
      const key = `${sender}/${p.seqId}`;
      this.#sequences.delete(key);
      this.#sequences.set(key, name);
      if (this.#sequences.size > SEQUENCE_MEMORY) this.#sequences.delete(this.#sequences.keys().next().value as string);
    }
    if (routed) remember(routed, routeKey(p.fromAddr as Uint8Array, p.toAddr as Uint8Array, p.packetId, p.seqId), name);
    return name;
  }
}

function routeKey(from: Uint8Array, to: Uint8Array, packetId: number, seqId: number | undefined): string {
  return `${toHex(from)}/${toHex(to)}/${packetId}/${seqId ?? ''}`;
}

/** Newest last; the oldest goes past ROUTED_MEMORY (each hop of a packet refreshes it). */
function remember(table: Map<string, string>, key: string, kind: string): void {
  table.delete(key);
  table.set(key, kind);
  if (table.size > ROUTED_MEMORY) table.delete(table.keys().next().value as string);
}
