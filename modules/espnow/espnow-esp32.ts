/**
 * ESP-NOW on an ESP32 (`platforms.esp32`): the shared class over the C binding in
 * espnow-esp32.c. Frames and send statuses arrive in ESP-IDF's Wi-Fi task; the C copies them into
 * a bounded ring and posts one message to this machine, whose handler drains the ring here.
 */
import { EspNowBase, type EspNowOptions } from './core.js';

/** Ring events as read from C: kind u8, mac 6, rssi i8 (RX) or status u8 (SENT), payload. */
const EVENT_RECEIVED = 1;
const EVENT_SENT = 2;
const EVENT_HEADER = 8;

/** The C object: one at a time (ESP-IDF's ESP-NOW callbacks carry no context). */
class EspNowNative extends Native('xs_espnow_destructor') {
  constructor(channel: number, onReadable: () => void) {
    super();
    native('xs_espnow').call(this, channel, onReadable);
  }
  /** Adds the peer on demand; false if ESP-IDF refused the frame. */
  send(mac: Uint8Array, data: Uint8Array): boolean {
    return native('xs_espnow_send').call(this, mac, data);
  }
  /** The oldest ring event, or undefined when the ring is empty. */
  read(): ArrayBuffer | undefined {
    return native('xs_espnow_read').call(this);
  }
  /** [ring drops, oversize frames] since start. */
  drops(): number[] {
    return native('xs_espnow_drops').call(this);
  }
  /** Own MAC of the interface ESP-NOW uses. */
  mac(): ArrayBuffer {
    return native('xs_espnow_mac').call(this);
  }
  close(): void {
    return native('xs_espnow_close').call(this);
  }
}

export class ESPNow extends EspNowBase {
  readonly #native: EspNowNative;
  readonly #mac: Uint8Array;
  #released = false;

  constructor(options: EspNowOptions) {
    super(options); // validates; options.simulator is for the desktop only
    this.#native = new EspNowNative(this.channel, () => this.#drain());
    this.#mac = new Uint8Array(this.#native.mac());
  }

  get mac(): Uint8Array {
    return this.#mac.slice();
  }

  protected transmit(mac: Uint8Array, data: Uint8Array): boolean {
    return this.#native.send(mac, data);
  }

  protected shutdown(): void {
    this.refreshCounters(); // last look at the C counters before they are freed
    this.#released = true;
    this.#native.close();
  }

  protected override refreshCounters(): void {
    if (this.#released) return;
    const [ringDrops, oversize] = this.#native.drops();
    this.stats.ringDrops = ringDrops;
    this.stats.oversize = oversize;
  }

  /** Runs in the XS task when the C posted its message: empty the ring. */
  #drain(): void {
    for (let buffer = this.#native.read(); buffer !== undefined; buffer = this.#native.read()) {
      const event = new Uint8Array(buffer);
      const mac = event.subarray(1, 7);
      if (event[0] === EVENT_RECEIVED) this.received(event.subarray(EVENT_HEADER), mac, (event[7] << 24) >> 24);
      else if (event[0] === EVENT_SENT) this.sent(mac, event[7] === 0);
    }
  }
}

export default ESPNow;
