/**
 * The board's side of the serial bridge: lends its radio (ESP-NOW, LoRa) to a host program over
 * USB serial (serial-frames.ts), so a `mycelium-node --serial /dev/ttyACM0` on a laptop joins the
 * mesh through the board. The host's HELLO takes the radio over (the board's own node stops
 * hearing it and `onTakeover` lets the board stop its node's sending); RELEASE gives it back.
 * The console keeps working beside it: serial bytes outside frames are its text.
 */
import type { Radio } from '../mycelium/packager/radio.js';
import { BROADCAST_MAC } from '../mycelium/wire/constants.js';
import { BRIDGE_HELLO, BRIDGE_INFO, BRIDGE_RECEIVE, BRIDGE_RELEASE, BRIDGE_SEND, SlipDecoder, encodeInfo, slipEncode } from './serial-frames.js';

export interface SerialBridgeOptions {
  readonly radio: Radio;
  /** Bytes to the serial port (the same port the console prints on). */
  readonly write: (bytes: Uint8Array) => void;
  /** Serial bytes that are not bridge frames: the console's input. */
  readonly onText: (bytes: Uint8Array) => void;
  /** The host took the radio (true) or gave it back (false): the board pauses or resumes its own node. */
  readonly onTakeover?: (taken: boolean) => void;
}

export interface SerialBridgeStats {
  /** Frames sent on the host's behalf, and those the radio refused. */
  sent: number;
  refused: number;
  /** Frames received and passed to the host. */
  received: number;
  /** Frames from the host that made no sense (unknown type, too short). */
  bad: number;
}

export class SerialBridge {
  readonly #o: SerialBridgeOptions;
  readonly #decoder: SlipDecoder;
  #saved: Radio['onReceive'];
  #active = false;
  readonly stats: SerialBridgeStats = { sent: 0, refused: 0, received: 0, bad: 0 };

  constructor(options: SerialBridgeOptions) {
    this.#o = options;
    this.#decoder = new SlipDecoder(
      (type, body) => this.#onFrame(type, body),
      (bytes) => options.onText(bytes),
    );
  }

  get active(): boolean {
    return this.#active;
  }

  /** Frames the decoder dropped (too long, bad escapes). */
  get dropped(): number {
    return this.#decoder.dropped;
  }

  /** Bytes read from the serial port. */
  input(chunk: Uint8Array): void {
    this.#decoder.push(chunk);
  }

  #onFrame(type: number, body: Uint8Array): void {
    try {
      if (type === BRIDGE_HELLO) this.#take();
      else if (type === BRIDGE_RELEASE) this.release();
      else if (type === BRIDGE_SEND && body.length > 6 && this.#active) this.#send(body);
      else this.stats.bad++;
    } catch {
      this.stats.bad++; // a radio or writer that throws must not take the serial reader down
    }
  }

  #take(): void {
    const radio = this.#o.radio;
    if (!this.#active) {
      this.#saved = radio.onReceive;
      radio.onReceive = (frame, mac) => this.#forward(frame, mac);
      this.#active = true;
      this.#o.onTakeover?.(true);
    }
    // Answered every time: a host that restarted asks again.
    this.#o.write(slipEncode(BRIDGE_INFO, encodeInfo({ name: radio.name, bitrate: radio.bitrate, mtu: radio.mtu, schemaIds: radio.schemaIds })));
  }

  /** Give the radio back to the board's node. */
  release(): void {
    if (!this.#active) return;
    this.#o.radio.onReceive = this.#saved;
    this.#saved = undefined;
    this.#active = false;
    this.#o.onTakeover?.(false);
  }

  #send(body: Uint8Array): void {
    const mac = body.subarray(0, 6);
    const frame = body.slice(6);
    const broadcast = mac.every((b, i) => b === BROADCAST_MAC[i]);
    const ok = broadcast ? this.#o.radio.broadcast(frame) : this.#o.radio.send(mac.slice(), frame);
    if (ok) this.stats.sent++;
    else this.stats.refused++;
  }

  #forward(frame: Uint8Array, mac: Uint8Array | undefined): void {
    try {
      const body = new Uint8Array(6 + frame.length);
      body.set(mac ?? BROADCAST_MAC, 0);
      body.set(frame, 6);
      this.#o.write(slipEncode(BRIDGE_RECEIVE, body));
      this.stats.received++;
    } catch {
      this.stats.bad++;
    }
  }
}
