/**
 * Unicast single packets delivered recently, so that a retry is acked and not delivered again.
 *
 * A message is named by (origin node, packet_id, body digest). Our senders keep the packet_id
 * across retries and never reuse one while a receiver may remember it (id-leases.ts), so two
 * sends of the same bytes are two messages, and a wrap of the 8-bit counter is never taken for
 * a retry. The origin is a node, not an address: a retry sent after the origin's tree address
 * changed (a tree repair, a new parent) comes from a new from_addr, and is still the same
 * message. The node behind a from_addr is resolved through the route table; when either copy's
 * node is unknown, (packet_id, digest) alone decides within the window: a false match needs
 * another origin to send identical bytes under the same 8-bit id within seconds.
 * An upstream sender gives each retry a new packet_id, so its retries are delivered again,
 * exactly as between upstream nodes.
 */

interface Delivery {
  /** The origin as seen on the air (its address, or the peer it came from). */
  readonly origin: string;
  /** Its node id (hex) when known. */
  readonly node: string | undefined;
  readonly until: number;
}

/** Copies of one (packet_id, digest) from different origins kept at most (a bound, not a need). */
const PER_KEY = 4;

/** Most keys have one record: it is held bare, an array only for two or more (issue 21). */
type Held = Delivery | Delivery[];

function listOf(held: Held | undefined): Delivery[] {
  return held === undefined ? [] : Array.isArray(held) ? held : [held];
}

export class DeliveredMessages {
  // Made on the first set: empty until then costs nothing (issue 21).
  declare private byKey: Map<string, Held> | undefined;
  private readonly limit: number;
  private count = 0;
  /** Records dropped before their window ended (each may let a retry through). */
  evictedEarly = 0;

  constructor(limit: number) {
    this.limit = Math.max(1, limit);
  }

  /**
   * True when this message was delivered within the window (a retry); otherwise records it.
   * `key`: packet_id and body digest; `origin`/`node`: who sent it, as above.
   */
  seen(key: string, origin: string, node: string | undefined, now: number, windowMs: number): boolean {
    this.dropLapsed(now);
    const list = listOf(this.byKey?.get(key)).filter((d) => d.until > now);
    for (const d of list) {
      if (d.origin === origin || d.node === undefined || node === undefined || d.node === node) {
        this.set(key, list);
        return true;
      }
    }
    if (list.length >= PER_KEY) list.shift();
    list.push({ origin, node, until: now + windowMs });
    this.set(key, list);
    this.trim(now);
    return false;
  }

  get size(): number {
    return this.count;
  }

  clear(): void {
    this.byKey?.clear();
    this.count = 0;
  }

  private set(key: string, list: Delivery[]): void {
    this.count += list.length - listOf(this.byKey?.get(key)).length;
    this.byKey?.delete(key); // re-inserted: the map's order stays oldest first
    if (list.length) (this.byKey ??= new Map()).set(key, list.length === 1 ? list[0] : list);
  }

  /**
   * Forget the oldest keys whose records have all lapsed: they can no longer match (see `seen`),
   * and an idle node should not hold the last burst's keys for ever (issue 21). Stops at the
   * first key with a live record, so a call costs little.
   */
  private dropLapsed(now: number): void {
    for (const [key, held] of this.byKey ?? []) {
      if (listOf(held).some((d) => d.until > now)) return;
      this.set(key, []);
    }
  }

  /** Forget the oldest records beyond the cap. */
  private trim(now: number): void {
    while (this.count > this.limit) {
      const [key, held] = (this.byKey as Map<string, Held>).entries().next().value as [string, Held];
      const list = listOf(held);
      if (list[0].until > now) this.evictedEarly++;
      this.set(key, list.slice(1));
    }
  }
}
