/**
 * A hostile node's radio: the node's own Packager sends and receives through it as through any
 * radio, while the attacker sees every frame going in and out, may drop or rewrite them, and
 * puts its own bytes on the air, from its MAC or from any other (an ESP32 can set its MAC
 * between frames). Everything it does goes through the medium as frames; nothing touches
 * another node's memory.
 */
import type { Radio } from '../../modules/mycelium/packager/radio.js';
import type { Medium } from '../medium/medium.js';
import type { SimRadio } from '../medium/sim-radio.js';

/** Return undefined to drop the frame, or the bytes to pass on (the same or rewritten). */
export type FrameFilter = (frame: Uint8Array, mac: Uint8Array | undefined) => Uint8Array | undefined;

export class TapRadio implements Radio {
  readonly name: string;
  readonly bitrate: number;
  readonly schemaIds: readonly number[];
  readonly mtu: number;
  readonly mac: Uint8Array;
  readonly #air: SimRadio;
  readonly #medium: Medium;
  #onReceive: Radio['onReceive'];
  /** Applied to every frame the node hears before its Packager sees it. */
  incoming: FrameFilter[] = [];
  /** Applied to every frame the node's Packager sends before it goes on air (dest undefined: broadcast). */
  outgoing: FrameFilter[] = [];

  constructor(medium: Medium, air: SimRadio) {
    this.#medium = medium;
    this.#air = air;
    this.name = air.name;
    this.bitrate = air.bitrate;
    this.schemaIds = air.schemaIds;
    this.mtu = air.mtu;
    this.mac = air.mac;
  }

  get onReceive(): Radio['onReceive'] {
    return this.#onReceive;
  }

  set onReceive(handler: Radio['onReceive']) {
    this.#onReceive = handler;
    this.#air.onReceive = handler ? (frame, mac) => this.#in(frame, mac) : undefined;
  }

  get index(): number {
    return this.#air.index;
  }

  send(mac: Uint8Array, frame: Uint8Array): boolean {
    const out = pass(this.outgoing, frame, mac);
    return out === undefined ? true : this.#air.send(mac, out);
  }

  broadcast(frame: Uint8Array): boolean {
    const out = pass(this.outgoing, frame, undefined);
    return out === undefined ? true : this.#air.broadcast(out);
  }

  /** The attacker's own bytes: to `dest` (undefined: broadcast), seen as coming from `srcMac` (default ours). */
  inject(dest: Uint8Array | undefined, frame: Uint8Array, srcMac?: Uint8Array): boolean {
    return this.#medium.transmit(this.#air.index, dest, frame, srcMac);
  }

  sleep(ms: number): void {
    this.#air.sleep(ms);
  }

  wake(): void {
    this.#air.wake();
  }

  txAirtimeMs(): number {
    return this.#air.txAirtimeMs();
  }

  /** Detach from the air (the node powered off). */
  close(): void {
    this.onReceive = undefined;
    this.incoming = [];
    this.outgoing = [];
  }

  #in(frame: Uint8Array, mac: Uint8Array | undefined): void {
    const f = pass(this.incoming, frame, mac);
    if (f !== undefined) this.#onReceive?.(f, mac);
  }
}

function pass(filters: readonly FrameFilter[], frame: Uint8Array, mac: Uint8Array | undefined): Uint8Array | undefined {
  let f: Uint8Array | undefined = frame;
  for (let i = 0; i < filters.length && f !== undefined; i++) f = filters[i](f, mac);
  return f;
}
