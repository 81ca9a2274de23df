/**
 * ESP-NOW over the simulator hub (design/hub.md v1): the desktop variant's logic, written
 * against a small datagram transport so it runs on XS (UDP socket, espnow-sim.ts) and in Node
 * tests alike. The node says HELLO at construction, KEEPALIVE every 2 s, BYE at close; SEND
 * carries frames, RADIO reports sleep; the hub answers WELCOME / RECV / SENT / ERROR.
 */
import { EspNowBase, MAC_BYTES, checkMac, type EspNowOptions } from './core.js';
import { HUB_ERROR, HUB_INTERFACE, HUB_SENT, decodeHubMessage, encodeHubMessage, type HubMessage } from './hub-codec.js';

/** The hub drops a node silent for 10 s; a KEEPALIVE every 2 s leaves room for lost datagrams. */
export const KEEPALIVE_MS = 2000;

/** How the hub variant reaches the hub: one datagram socket plus one repeating timer. */
export interface HubTransport {
  /** Deliver every datagram from the hub to `receive` from now on. */
  open(receive: (datagram: Uint8Array) => void): void;
  /** Send one datagram to the hub. */
  send(datagram: Uint8Array): void;
  /** Call `tick` every `ms` until `close`. */
  every(ms: number, tick: () => void): void;
  /** Stop the timer and the socket. */
  close(): void;
}

/** The hub's view: what arrived, for the counters a test or a log wants. */
export interface HubState {
  welcomed: boolean;
  /** Simulated clock (ms) in the last WELCOME. */
  clockMs: number;
  /** Datagrams from the hub that did not decode, ERROR answers received. */
  badDatagrams: number;
  hubErrors: number;
  /**
   * False while our radio is switched off without a duration. A timed "off" (light sleep) is
   * enforced by the hub (SENT status 2), which knows when it ends.
   */
  radioOn: boolean;
}

export class HubEspNow extends EspNowBase {
  readonly #transport: HubTransport;
  readonly #mac: Uint8Array;
  readonly #hello: Uint8Array;
  readonly #onHub: ((message: HubMessage) => void) | undefined;
  readonly #hub: HubState = { welcomed: false, clockMs: 0, badDatagrams: 0, hubErrors: 0, radioOn: true };

  constructor(options: EspNowOptions, transport: HubTransport) {
    super(options);
    const sim = options.simulator ?? {};
    this.#mac = sim.mac === undefined ? randomMac() : checkMac(sim.mac, 'ESPNow').slice();
    this.#onHub = sim.onHub;
    this.#transport = transport;
    const hello = encodeHubMessage({
      type: 'hello',
      mac: this.#mac,
      kind: HUB_INTERFACE.ESPNOW,
      x: sim.x ?? 0,
      y: sim.y ?? 0,
      name: sim.name ?? '',
    });
    if (!hello.ok) throw new RangeError(`ESPNow: ${hello.error.message}`);
    this.#hello = hello.value;
    transport.open((datagram) => this.#fromHub(datagram));
    transport.send(hello.value);
    transport.every(KEEPALIVE_MS, () => this.#say({ type: 'keepalive' }));
  }

  get mac(): Uint8Array {
    return this.#mac.slice();
  }

  get hub(): Readonly<HubState> {
    return { ...this.#hub };
  }

  /**
   * Tell the hub our radio is off (asleep) for `ms`, or until turned on again (`ms` 0), or back
   * on. While off until further notice, `send`/`broadcast` return false, as the hub would refuse
   * the frame anyway; during a timed off the hub refuses them (onSent false).
   */
  setRadioState(on: boolean, ms = 0): void {
    if (this.closed) throw new Error('ESPNow.setRadioState: closed');
    if (!Number.isInteger(ms) || ms < 0 || ms > 0xffffffff) throw new RangeError(`ESPNow.setRadioState: ms must be an integer 0..2^32-1, got ${ms}`);
    this.#hub.radioOn = on || ms > 0;
    this.#say({ type: 'radio', on, durationMs: on ? 0 : ms });
  }

  protected transmit(mac: Uint8Array, data: Uint8Array): boolean {
    if (!this.#hub.radioOn) return false;
    return this.#say({ type: 'send', dest: mac, payload: data });
  }

  protected shutdown(): void {
    this.#say({ type: 'bye' });
    this.#transport.close();
  }

  #say(message: HubMessage): boolean {
    const bytes = encodeHubMessage(message);
    if (!bytes.ok) return false; // arguments were checked already; nothing else can fail
    this.#transport.send(bytes.value);
    return true;
  }

  #fromHub(datagram: Uint8Array): void {
    if (this.closed) return;
    const r = decodeHubMessage(datagram);
    if (!r.ok) {
      this.#hub.badDatagrams++;
      return;
    }
    const m = r.value;
    switch (m.type) {
      case 'recv':
        if (m.payload.length === 0) this.#hub.badDatagrams++;
        else this.received(m.payload, m.source, m.rssi);
        return;
      case 'sent':
        this.sent(m.dest, m.status === HUB_SENT.DELIVERED);
        return;
      case 'welcome':
        this.#hub.welcomed = true;
        this.#hub.clockMs = m.clockMs;
        break;
      case 'error':
        this.#hub.hubErrors++;
        // The hub forgot us (restarted, or we were silent too long): introduce ourselves again.
        if (m.code === HUB_ERROR.NOT_REGISTERED) {
          this.#hub.welcomed = false;
          this.#transport.send(this.#hello);
        }
        break;
      default:
        this.#hub.badDatagrams++; // a node → hub message sent to us
        return;
    }
    if (this.#onHub) {
      try {
        this.#onHub(m);
      } catch (e) {
        this.stats.callbackErrors++;
        this.lastError = e;
      }
    }
  }
}

/**
 * A locally administered (bit 1), unicast (bit 0 clear) address, as no real NIC has. XS's
 * Math.random starts from the same seed in every simulator process (two runs gave the same MAC),
 * so the millisecond clock is mixed in: processes started in different milliseconds get different
 * MACs. For a stable identity pass `simulator.mac` (e.g. kept in Preferences).
 */
export function randomMac(now: number = Date.now(), random: () => number = Math.random): Uint8Array {
  const mac = new Uint8Array(MAC_BYTES);
  let t = Math.floor(Math.abs(now));
  for (let i = MAC_BYTES - 1; i >= 0; i--) {
    mac[i] = Math.floor(random() * 256) ^ (t % 256); // least significant clock byte last
    t = Math.floor(t / 256);
  }
  mac[0] = (mac[0] & 0xfc) | 0x02;
  return mac;
}
