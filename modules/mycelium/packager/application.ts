/** What the Packager hands an application, and what it expects of one (protocol.md §4.12, §4.14). */
import type { Address } from '../wire/address.js';
import type { AttachedInterface } from './attached.js';
import type { Peer } from './peer.js';

/** Where a delivered blob came from. */
export interface Delivery {
  /** The interface it arrived on (the loopback for our own broadcasts). */
  readonly iface: AttachedInterface | undefined;
  /** The last hop's MAC; undefined on the loopback. */
  readonly mac: Uint8Array | undefined;
  /** The last hop, when it is a known peer. */
  readonly peer: Peer | undefined;
  /** The origin's tree address, for routed packets. */
  readonly from: Address | undefined;
  /**
   * Radio hops the (last) packet travelled: 0 on the loopback, 1 for a frame without a ttl
   * (direct or one-hop relay), 256 − ttl for a routed one (ttl starts at 255, −1 per forward).
   */
  readonly hops?: number;
  /**
   * Ms from the first to the last fragment of a Package that came in several (absent for one
   * frame). Whatever the sender put in it is that much older than its last frame: a fragment
   * lost and asked for again, or one of an older sequence with the same id, can make it seconds
   * (a hello's wake phase then points to another window: docs/sleep.md "Session 18").
   */
  readonly assembledMs?: number;
  /** Set when Gossip delivers a message to a subscriber: the topic it was published on. */
  readonly topic?: Uint8Array;
  /** Set when StoreForward delivers a held message: its origin's node id (the last hop may be a custodian). */
  readonly origin?: Uint8Array;
}

export interface Application {
  /** 16-byte app id: SHA-256(name ‖ description ‖ u32 version)[:16]. */
  readonly id: Uint8Array;
  readonly name?: string;
  /** Called for every verified Package addressed to this app. `blob` is the app's to keep. */
  receive(blob: Uint8Array, from: Delivery): void;
}
