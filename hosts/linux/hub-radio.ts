/**
 * Joining a `mycelium-sim --realtime` run: the ESP-NOW radio over the simulator hub
 * (simulator/HUB.md), as the Moddable simulator build does (modules/espnow/espnow-sim.ts), with
 * a node:dgram socket in place of the ECMA-419 one. The node then appears in the run's medium
 * like a simulated ESP32 (range, loss, airtime apply to it) and is an ESP-NOW node: interface id
 * 26bf5ff6, as upstream's.
 */
import { createSocket, type Socket } from 'node:dgram';
import { EspNowRadio } from '../../modules/host/espnow-radio.js';
import { HubEspNow, type HubTransport } from '../../modules/espnow/hub-espnow.js';
import type { HubMessage } from '../../modules/espnow/hub-codec.js';
import type { Endpoint } from './udp-mac.js';

class DgramHubTransport implements HubTransport {
  readonly #hub: Endpoint;
  readonly #socket: Socket;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(hub: Endpoint) {
    this.#hub = hub;
    this.#socket = createSocket('udp4');
    this.#socket.on('error', () => undefined); // hub gone: KEEPALIVEs are lost, HELLO is re-sent on ERROR 6
  }

  open(receive: (datagram: Uint8Array) => void): void {
    this.#socket.on('message', (msg, rinfo) => {
      // Only the hub speaks this protocol to us; ignore anything else on the port.
      if (rinfo.port === this.#hub.port && rinfo.address === this.#hub.address) receive(new Uint8Array(msg.buffer, msg.byteOffset, msg.length));
    });
  }

  send(datagram: Uint8Array): void {
    this.#socket.send(Uint8Array.from(datagram), this.#hub.port, this.#hub.address);
  }

  every(ms: number, tick: () => void): void {
    this.#timer = setInterval(tick, ms);
  }

  close(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    // Let the BYE go out before the socket closes.
    setTimeout(() => this.#socket.close(), 50).unref();
  }
}

export interface HubRadioOptions {
  readonly hub: Endpoint;
  /** Our MAC on the simulated medium (stable: kept in the settings file). */
  readonly mac: Uint8Array;
  readonly name: string;
  readonly x: number;
  readonly y: number;
  /** WELCOME and ERROR answers (the host prints them). */
  readonly onHub?: (m: HubMessage) => void;
}

export function hubRadio(o: HubRadioOptions): EspNowRadio {
  const transport = new DgramHubTransport(o.hub);
  return new EspNowRadio(
    (onReceive, onSent) =>
      new HubEspNow(
        {
          onReceive,
          onSent,
          simulator: { mac: o.mac, name: o.name, x: o.x, y: o.y, onHub: o.onHub },
        },
        transport,
      ),
  );
}
