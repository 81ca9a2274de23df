/**
 * An in-memory radio medium for tests and small experiments: radios with 6-byte MACs, explicit
 * links (symmetric or one-way), per-link loss from an injected random source, and a fixed
 * latency on the injected timers. Frames are copied on send and delivered later, never
 * synchronously. (The simulator's medium adds positions, airtime, collisions and sleep.)
 */
import { ESPNOW_SCHEMA_IDS } from '../../modules/mycelium/wire/schemas.js';
import type { Timers } from '../../modules/mycelium/platform/platform.js';
import type { Radio } from '../../modules/mycelium/packager/radio.js';
import { ESPNOW_BITRATE, ESPNOW_MTU, ESPNOW_NAME } from '../../modules/mycelium/wire/constants.js';

export interface MemoryRadioOptions {
  readonly name?: string;
  readonly bitrate?: number;
  readonly schemaIds?: readonly number[];
  readonly mtu?: number;
  /** Report each accepted frame done with (Radio.onSent) once the latency has passed, as ESP-NOW's send callback does. */
  readonly reportsSent?: boolean;
}

export interface MediumOptions {
  /** Delivery delay in ms (default 1). */
  readonly latencyMs?: number;
  /** Uniform random in [0, 1) used for loss; required when any loss is set. */
  readonly random?: () => number;
  /** Loss probability applied to every link without its own (default 0). */
  readonly loss?: number;
  /** Frames kept in `log`; beyond it the oldest half is dropped (default 100,000). */
  readonly logLimit?: number;
  /**
   * Unicasts are acked, as ESP-NOW's are: each radio reports each unicast's fate through
   * `onSent` (delivered, or not: no link, lost, receiver off) one latency later. Default false.
   */
  readonly acks?: boolean;
}

export interface MediumFrame {
  readonly from: Uint8Array;
  /** Undefined for a broadcast. */
  readonly to: Uint8Array | undefined;
  readonly frame: Uint8Array;
}

export class MemoryRadio implements Radio {
  readonly name: string;
  readonly bitrate: number;
  readonly schemaIds: readonly number[];
  readonly mtu: number;
  readonly mac: Uint8Array;
  onReceive: ((frame: Uint8Array, mac: Uint8Array | undefined) => void) | undefined;
  onSent: ((mac: Uint8Array | undefined, delivered: boolean) => void) | undefined;
  /** Each accepted frame's fate reported through `onSent` (its option, or a medium with `acks`). */
  readonly reportsSent: boolean;
  /** False: the radio neither sends nor receives. */
  on = true;
  readonly #medium: MemoryMedium;

  constructor(medium: MemoryMedium, mac: Uint8Array, options: MemoryRadioOptions) {
    this.#medium = medium;
    this.mac = mac.slice();
    this.name = options.name ?? ESPNOW_NAME;
    this.bitrate = options.bitrate ?? ESPNOW_BITRATE;
    this.schemaIds = options.schemaIds ?? ESPNOW_SCHEMA_IDS;
    this.mtu = options.mtu ?? ESPNOW_MTU;
    this.reportsSent = options.reportsSent ?? medium.acks;
  }

  send(mac: Uint8Array, frame: Uint8Array): boolean {
    return this.#medium.transmit(this, mac, frame);
  }

  broadcast(frame: Uint8Array): boolean {
    return this.#medium.transmit(this, undefined, frame);
  }

  sleep(): void {
    this.on = false;
  }

  wake(): void {
    this.on = true;
  }
}

export class MemoryMedium {
  readonly #timers: Timers;
  readonly #latency: number;
  readonly #random: (() => number) | undefined;
  readonly #defaultLoss: number;
  readonly #radios = new Map<string, MemoryRadio>();
  /** from-mac → to-mac → loss probability; absent = no link. */
  readonly #links = new Map<string, Map<string, number>>();
  /** The latest frames put on the medium, in order (tests read it; `clearLog` empties it). */
  readonly log: MediumFrame[] = [];
  readonly #logLimit: number;
  readonly acks: boolean;
  sent = 0;
  delivered = 0;
  lost = 0;

  constructor(timers: Timers, options: MediumOptions = {}) {
    this.#timers = timers;
    this.#latency = options.latencyMs ?? 1;
    this.#random = options.random;
    this.#defaultLoss = options.loss ?? 0;
    this.#logLimit = Math.max(2, options.logLimit ?? 100_000);
    this.acks = options.acks ?? false;
  }

  radio(mac: Uint8Array, options: MemoryRadioOptions = {}): MemoryRadio {
    const r = new MemoryRadio(this, mac, options);
    this.#radios.set(macKey(mac), r);
    return r;
  }

  /** Link two radios both ways (or one way with `oneWay`), with an optional loss probability. */
  link(a: MemoryRadio, b: MemoryRadio, loss?: number, oneWay = false): void {
    this.#setLink(a, b, loss ?? this.#defaultLoss);
    if (!oneWay) this.#setLink(b, a, loss ?? this.#defaultLoss);
  }

  unlink(a: MemoryRadio, b: MemoryRadio): void {
    this.#links.get(macKey(a.mac))?.delete(macKey(b.mac));
    this.#links.get(macKey(b.mac))?.delete(macKey(a.mac));
  }

  /** Called by a radio. Unicast to an unlinked MAC is sent but reaches nobody (like ESP-NOW). */
  transmit(from: MemoryRadio, to: Uint8Array | undefined, frame: Uint8Array): boolean {
    if (!from.on || frame.length > from.mtu) return false;
    const copy = frame.slice();
    this.sent++;
    this.log.push({ from: from.mac, to: to?.slice(), frame: copy });
    if (this.log.length > this.#logLimit) this.log.splice(0, this.log.length >> 1);
    // Without `acks` a reporting radio hears every frame done with as sent; with them, a unicast's
    // real fate (below), and a broadcast as sent.
    if (from.reportsSent && !(this.acks && to)) this.#timers.setTimeout(() => from.onSent?.(to?.slice(), true), this.#latency);
    const links = this.#links.get(macKey(from.mac));
    const report = (delivered: boolean): void => {
      if (this.acks && to) this.#timers.setTimeout(() => from.onSent?.(to.slice(), delivered), this.#latency);
    };
    if (!links) {
      report(false);
      return true;
    }
    const targets = to ? [macKey(to)] : [...links.keys()];
    let reported = false;
    for (const t of targets) {
      const loss = links.get(t);
      const radio = this.#radios.get(t);
      if (loss === undefined || !radio) continue;
      if (loss > 0 && (this.#random ?? Math.random)() < loss) {
        this.lost++;
        continue;
      }
      reported = true;
      this.#timers.setTimeout(() => {
        if (!radio.on) {
          this.lost++;
          if (this.acks && to) from.onSent?.(to.slice(), false);
          return;
        }
        this.delivered++;
        radio.onReceive?.(copy, from.mac);
        if (this.acks && to) from.onSent?.(to.slice(), true);
      }, this.#latency);
    }
    if (!reported) report(false);
    return true;
  }

  clearLog(): void {
    this.log.length = 0;
  }

  #setLink(a: MemoryRadio, b: MemoryRadio, loss: number): void {
    const k = macKey(a.mac);
    const m = this.#links.get(k) ?? new Map<string, number>();
    m.set(macKey(b.mac), loss);
    this.#links.set(k, m);
  }
}

function macKey(mac: Uint8Array): string {
  let s = '';
  for (const b of mac) s += (b < 16 ? '0' : '') + b.toString(16);
  return s;
}
