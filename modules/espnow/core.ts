/**
 * What every ESP-NOW variant shares (ESP32 over ESP-IDF, desktop simulator over the UDP hub):
 * option and argument checks with clear errors, the use-after-close guard, counters, and the
 * user callbacks. A variant only moves bytes: `transmit`, `shutdown`, and calls `received` /
 * `sent` when its platform reports a frame or a send status.
 */
import type { HubMessage } from './hub-codec.js';
import { BROADCAST, ESPNOW_MAX_PAYLOAD, MAC_BYTES } from './limits.js';

export { BROADCAST, ESPNOW_MAX_PAYLOAD, MAC_BYTES } from './limits.js';

/** Wi-Fi channel 1 is legal everywhere; upstream micropycelium nodes use 14 (Japan only). */
export const DEFAULT_CHANNEL = 1;
/** 2.4 GHz Wi-Fi channels ESP-IDF accepts (regulatory limits are the user's business). */
export const MAX_CHANNEL = 14;

/** Frame first, then the sender's MAC: the order every receive callback of the stack uses. */
export type ReceiveCallback = (data: Uint8Array, mac: Uint8Array, rssi: number) => void;
export type SentCallback = (mac: Uint8Array, ok: boolean) => void;

/** Desktop-simulator settings (the hub variant); a device ignores them. */
export interface SimulatorOptions {
  /** This node's MAC; default: a random locally administered unicast address. */
  mac?: Uint8Array;
  /** Name the hub shows (≤ 32 UTF-8 bytes). */
  name?: string;
  /** Position in the simulated plane, metres. */
  x?: number;
  y?: number;
  /** Where the hub listens; default 127.0.0.1:47800. */
  hubAddress?: string;
  hubPort?: number;
  /** The hub's WELCOME and ERROR answers, for logs and tests. */
  onHub?: (message: HubMessage) => void;
}

export interface EspNowOptions {
  /** Wi-Fi channel 1..14; default 1. All nodes of a mesh must agree. */
  channel?: number;
  /** A frame arrived. `mac` and `data` are only valid during the call: copy what you keep. */
  onReceive: ReceiveCallback;
  /** The radio's verdict on a frame: link-layer ack for unicast, "on air" for broadcast. */
  onSent?: SentCallback;
  simulator?: SimulatorOptions;
}

export interface EspNowCounters {
  /** Frames handed to `onReceive`. */
  rx: number;
  /** Frames the radio accepted for sending. */
  tx: number;
  /** `send`/`broadcast` calls the radio refused (queue full, radio off): returned false. */
  txRefused: number;
  /** Send statuses: delivered / not delivered. */
  sentOk: number;
  sentFailed: number;
  /** Frames lost because the receive ring between the radio task and JS was full. */
  ringDrops: number;
  /** Frames longer than 250 bytes (ESP-NOW v2 senders), dropped. */
  oversize: number;
  /** Exceptions thrown by `onReceive`/`onSent`: caught, counted, the last kept in `lastError`. */
  callbackErrors: number;
}

/** Throws a TypeError/RangeError naming the argument unless `mac` is a 6-byte Uint8Array. */
export function checkMac(mac: unknown, where: string): Uint8Array {
  if (!(mac instanceof Uint8Array)) throw new TypeError(`${where}: mac must be a Uint8Array`);
  if (mac.length !== MAC_BYTES) throw new RangeError(`${where}: mac must be ${MAC_BYTES} bytes, got ${mac.length}`);
  return mac;
}

/** Throws unless `data` is a Uint8Array of 1..250 bytes. */
export function checkPayload(data: unknown, where: string): Uint8Array {
  if (!(data instanceof Uint8Array)) throw new TypeError(`${where}: data must be a Uint8Array`);
  if (data.length === 0) throw new RangeError(`${where}: data is empty`);
  if (data.length > ESPNOW_MAX_PAYLOAD) {
    throw new RangeError(`${where}: data of ${data.length} bytes exceeds the ${ESPNOW_MAX_PAYLOAD}-byte ESP-NOW limit`);
  }
  return data;
}

/** Throws unless `channel` is an integer 1..14; undefined means the default. */
export function checkChannel(channel: unknown, where: string): number {
  if (channel === undefined) return DEFAULT_CHANNEL;
  if (typeof channel !== 'number' || !Number.isInteger(channel) || channel < 1 || channel > MAX_CHANNEL) {
    throw new RangeError(`${where}: channel must be an integer 1..${MAX_CHANNEL}, got ${String(channel)}`);
  }
  return channel;
}

export interface CheckedOptions {
  channel: number;
  onReceive: ReceiveCallback;
  onSent: SentCallback | undefined;
}

export function checkOptions(options: unknown, where: string): CheckedOptions {
  if (typeof options !== 'object' || options === null) throw new TypeError(`${where}: options object required`);
  const o = options as Partial<EspNowOptions>;
  if (typeof o.onReceive !== 'function') throw new TypeError(`${where}: onReceive must be a function`);
  if (o.onSent !== undefined && typeof o.onSent !== 'function') throw new TypeError(`${where}: onSent must be a function`);
  return { channel: checkChannel(o.channel, where), onReceive: o.onReceive, onSent: o.onSent };
}

/**
 * The public ESP-NOW class's behaviour, platform-free. Subclasses implement `transmit` (hand one
 * validated frame to the radio, true if accepted) and `shutdown` (release the radio, once).
 */
export abstract class EspNowBase {
  readonly channel: number;
  /** The last exception thrown by a user callback (they are caught so the radio keeps going). */
  lastError: unknown = undefined;
  protected readonly stats: EspNowCounters = {
    rx: 0, tx: 0, txRefused: 0, sentOk: 0, sentFailed: 0, ringDrops: 0, oversize: 0, callbackErrors: 0,
  };
  #closed = false;
  readonly #onReceive: ReceiveCallback;
  readonly #onSent: SentCallback | undefined;
  readonly #name: string;

  constructor(options: EspNowOptions, name = 'ESPNow') {
    const o = checkOptions(options, name);
    this.#name = name;
    this.channel = o.channel;
    this.#onReceive = o.onReceive;
    this.#onSent = o.onSent;
  }

  /** This node's own MAC address (a copy). */
  abstract get mac(): Uint8Array;

  get closed(): boolean {
    return this.#closed;
  }

  /** A snapshot of the counters. */
  get counters(): Readonly<EspNowCounters> {
    this.refreshCounters();
    return { ...this.stats };
  }

  /** Send to every node in range. False when the radio refuses the frame. */
  broadcast(data: Uint8Array): boolean {
    this.#checkOpen('broadcast');
    checkPayload(data, `${this.#name}.broadcast`);
    return this.#counted(this.transmit(BROADCAST, data));
  }

  /** Send to one node (added to the radio's peer list on demand). False when refused. */
  send(mac: Uint8Array, data: Uint8Array): boolean {
    this.#checkOpen('send');
    checkMac(mac, `${this.#name}.send`);
    checkPayload(data, `${this.#name}.send`);
    return this.#counted(this.transmit(mac, data));
  }

  /** Release the radio. Idempotent; any later send/broadcast throws. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.shutdown();
  }

  /** Hand one validated frame to the radio; true if it took it. */
  protected abstract transmit(mac: Uint8Array, data: Uint8Array): boolean;
  /** Release the radio; called once, by `close`. */
  protected abstract shutdown(): void;
  /** Copy platform-side counters (e.g. drops counted in C) into `stats`. */
  protected refreshCounters(): void {}

  /** A variant got a frame from its platform. Ignored after close. */
  protected received(data: Uint8Array, mac: Uint8Array, rssi: number): void {
    if (this.#closed) return;
    this.stats.rx++;
    try {
      this.#onReceive(data, mac, rssi);
    } catch (e) {
      this.#callbackFailed(e);
    }
  }

  /** A variant got a send status from its platform. Ignored after close. */
  protected sent(mac: Uint8Array, ok: boolean): void {
    if (this.#closed) return;
    if (ok) this.stats.sentOk++;
    else this.stats.sentFailed++;
    if (!this.#onSent) return;
    try {
      this.#onSent(mac, ok);
    } catch (e) {
      this.#callbackFailed(e);
    }
  }

  #callbackFailed(e: unknown): void {
    this.stats.callbackErrors++;
    this.lastError = e;
  }

  #counted(accepted: boolean): boolean {
    if (accepted) this.stats.tx++;
    else this.stats.txRefused++;
    return accepted;
  }

  #checkOpen(what: string): void {
    if (this.#closed) throw new Error(`${this.#name}.${what}: closed`);
  }
}
