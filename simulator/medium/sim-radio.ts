/**
 * A node's view of the medium: the `Radio` the Packager attaches. All behaviour lives in the
 * Medium; this object only carries the interface constants and forwards calls.
 */
import type { Radio } from '../../modules/mycelium/packager/radio.js';
import type { RadioProfile } from './profiles.js';

/** A node's state as the next frame would meet it (Medium.transmitOutlook; the XS runner's held calls). */
export interface TransmitOutlook {
  readonly up: boolean;
  readonly radioOn: boolean;
  /** Frames the node may still queue before a refusal for a full queue. */
  readonly room: number;
  /** An accepted frame sets one clock timer, due after now. */
  readonly oneTimerPerFrame: boolean;
  /** The end on air of the node's last frame: a frame accepted before then starts on air then. */
  readonly busyUntil: number;
}

/** What a SimRadio needs from its medium (implemented by Medium). */
export interface RadioHost {
  transmit(index: number, dest: Uint8Array | undefined, frame: Uint8Array): boolean;
  sleep(index: number, ms: number): void;
  wake(index: number): void;
  /** Ms node `index` has spent transmitting (the medium times every frame). */
  airtimeMs?(index: number): number;
  /** What a transmit would meet now (Medium.transmitOutlook). */
  transmitOutlook?(index: number): TransmitOutlook;
  /** How soon an accepted frame's timer can fall due (Medium.frameTimerFloor). */
  frameTimerFloor?(): { readonly fixedMs: number; readonly perByteMs: number };
}

export class SimRadio implements Radio {
  readonly name: string;
  readonly bitrate: number;
  readonly schemaIds: readonly number[];
  readonly mtu: number;
  /** The longest frame the medium takes from this radio: the MTU and the bytes its hardware adds. */
  readonly maxFrame: number;
  /** This node's MAC (the medium's copy; do not modify). */
  readonly mac: Uint8Array;
  /** This node's index in its medium. */
  readonly index: number;
  onReceive: ((frame: Uint8Array, mac: Uint8Array | undefined) => void) | undefined;
  /**
   * Told when an accepted frame's fate is known: unicast `delivered` = the receiver got it (what
   * ESP-NOW's link-layer ack reports), broadcast = true once on air. The hub uses it for SENT.
   */
  onSent: ((dest: Uint8Array | undefined, delivered: boolean) => void) | undefined;
  /** The medium reports every unicast's fate (the Packager avoids a neighbour that acked none: unacked.ts). */
  readonly reportsSent = true;
  /** RSSI (dBm) of the frame being delivered, valid during `onReceive`. */
  lastRssi = 0;
  /**
   * The loss model's loss probability on the link of the frame being delivered, valid during
   * `onReceive`: what a receiver's signal figures (the RYLR-998 twin's SNR) are derived from.
   */
  lastLinkLoss = 0;
  readonly #host: RadioHost;

  constructor(host: RadioHost, index: number, mac: Uint8Array, profile: RadioProfile) {
    this.#host = host;
    this.index = index;
    this.mac = mac;
    this.name = profile.name;
    this.bitrate = profile.bitrate;
    this.schemaIds = profile.schemaIds;
    this.mtu = profile.mtu;
    this.maxFrame = profile.mtu + profile.airOverheadBytes;
  }

  /** Unicast; the broadcast MAC ff:ff:ff:ff:ff:ff broadcasts, as with ESP-NOW. */
  send(mac: Uint8Array, frame: Uint8Array): boolean {
    return this.#host.transmit(this.index, mac, frame);
  }

  broadcast(frame: Uint8Array): boolean {
    return this.#host.transmit(this.index, undefined, frame);
  }

  /** Radio off for `ms` (modem sleep); frames arriving meanwhile are lost. */
  sleep(ms: number): void {
    this.#host.sleep(this.index, ms);
  }

  wake(): void {
    this.#host.wake(this.index);
  }

  /** What a send or broadcast would meet now (Medium.transmitOutlook); undefined if the host cannot say. */
  transmitOutlook(): TransmitOutlook | undefined {
    return this.#host.transmitOutlook?.(this.index);
  }

  /** How soon an accepted frame's timer can fall due (Medium.frameTimerFloor); undefined if the host cannot say. */
  frameTimerFloor(): { readonly fixedMs: number; readonly perByteMs: number } | undefined {
    return this.#host.frameTimerFloor?.();
  }

  txAirtimeMs(): number {
    return this.#host.airtimeMs?.(this.index) ?? 0;
  }
}
