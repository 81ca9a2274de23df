/**
 * ESP-NOW in the Moddable desktop simulator (`platforms.lin`): the hub variant over an ECMA-419
 * UDP socket to the simulator hub on loopback, KEEPALIVE from a Moddable timer. Same class name
 * and API as the ESP32 variant (espnow-esp32.ts); module name `mycelium/espnow/espnow` on both.
 *
 * Moddable's Linux socket code polls every 20 ms and reads about 49 datagrams/s per socket
 * (design/moddable.md §4): enough for a few simulator instances, not for load tests.
 */
import UDP from 'embedded:io/socket/udp';
import Timer from 'timer';
import { type EspNowOptions } from './core.js';
import { DEFAULT_HUB_PORT } from './hub-codec.js';
import { HubEspNow, type HubTransport } from './hub-espnow.js';

/** The part of the socket we use (the SDK's typing omits `close`). */
interface Socket {
  write(buffer: ArrayBuffer | Uint8Array, address: string, port: number): void;
  read(): (ArrayBuffer & { address: string; port: number }) | undefined;
  close(): void;
}

class UdpHubTransport implements HubTransport {
  readonly #address: string;
  readonly #port: number;
  #socket: Socket | undefined;
  #timer: Timer | undefined;

  constructor(address: string, port: number) {
    this.#address = address;
    this.#port = port;
  }

  open(receive: (datagram: Uint8Array) => void): void {
    // No local port: the socket sends from an ephemeral one, which the hub learns from HELLO.
    this.#socket = new UDP({
      onReadable: (count: number) => {
        for (let i = 0; i < count; i++) {
          const packet = this.#socket?.read();
          if (!packet) return;
          // Only the hub speaks this protocol to us; ignore anything else on the port.
          if (packet.port === this.#port && packet.address === this.#address) receive(new Uint8Array(packet));
        }
      },
    }) as unknown as Socket;
  }

  send(datagram: Uint8Array): void {
    this.#socket?.write(datagram, this.#address, this.#port);
  }

  every(ms: number, tick: () => void): void {
    this.#timer = Timer.repeat(() => tick(), ms);
  }

  close(): void {
    if (this.#timer !== undefined) Timer.clear(this.#timer);
    this.#timer = undefined;
    this.#socket?.close();
    this.#socket = undefined;
  }
}

export class ESPNow extends HubEspNow {
  constructor(options: EspNowOptions) {
    const sim = options?.simulator ?? {};
    const port = sim.hubPort ?? DEFAULT_HUB_PORT;
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new RangeError(`ESPNow: hubPort must be 1..65535, got ${port}`);
    super(options, new UdpHubTransport(sim.hubAddress ?? '127.0.0.1', port));
  }
}

export default ESPNow;
