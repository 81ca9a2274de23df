/** A radio attached to a Packager, with upstream's 4-byte interface id (protocol.md §7.1). */
import type { Radio } from './radio.js';
import type { Timings } from './timings.js';
import { fromHex } from '../wire/bytes.js';

export interface AttachedInterface {
  readonly radio: Radio;
  /** SHA-256(name ‖ u32 bitrate ‖ schema ids)[:4]. */
  readonly id: Uint8Array;
  /** Hex of `id`, for map keys and event ids. */
  readonly key: string;
  /** The node's timings with this interface's own laid over them (InterfaceOptions). */
  readonly timings: Timings;
  /** Hex ids of the apps whose broadcasts stay off this interface. */
  readonly quietApps: readonly string[];
  /** Unicasts here go compact to neighbours that expand them, whatever the node's default (InterfaceOptions). */
  readonly compacts: boolean;
}

/**
 * An attached interface as the Neighbours make it: its id kept as the hex key only, the bytes made
 * when asked (rarely: hooks and the console). A 4-byte Uint8Array costs ≈ 126 B on XS (issue 21).
 */
export class Attached implements AttachedInterface {
  readonly radio: Radio;
  readonly key: string;
  readonly timings: Timings;
  readonly quietApps: readonly string[];
  readonly compacts: boolean;

  constructor(radio: Radio, key: string, timings: Timings, quietApps: readonly string[], compacts: boolean) {
    this.radio = radio;
    this.key = key;
    this.timings = timings;
    this.quietApps = quietApps;
    this.compacts = compacts;
  }

  get id(): Uint8Array {
    return fromHex(this.key) as Uint8Array;
  }
}

/** One way to reach a peer: a MAC on one of our interfaces (undefined MAC for the loopback). */
export interface Link {
  readonly mac: Uint8Array | undefined;
  readonly iface: AttachedInterface;
}

/** How full a bounded table is, and its cap (`Packager.sizes()`). */
export interface TableSize {
  readonly size: number;
  readonly limit: number;
}
