/**
 * A mesh `Radio` over UDP/IPv4 for Node.js (a laptop or a Raspberry Pi on a LAN, or several
 * nodes on one machine over loopback). It needs node:dgram, so it lives here with the Linux
 * host, not in modules/ (which runs on XS).
 *
 * - Identity: name `udp`, 100 Mb/s (so unicast prefers it over ESP-NOW's 12 Mb/s when a peer is
 *   reachable both ways), and the ESP-NOW schemas 0–10. Those are sized for a 250-byte frame,
 *   far below any IP path MTU (576 B minimum reassembly, 1500 B Ethernet), so a datagram is never
 *   fragmented; and a frame can move between a UDP and an ESP-NOW link without repackaging.
 *   The interface id is derived from these like every other (wire/ids.ts interfaceId).
 * - A peer's MAC is its address and port (udp-mac.ts).
 * - Unicast goes to the MAC's endpoint. Broadcast goes to every configured peer and, when a
 *   multicast group is set, to the group (TTL 1: one LAN, as a radio's reach is one hop).
 *   Datagrams are sent from the node's own port, so receivers learn a MAC they can answer to.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { networkInterfaces } from 'node:os';
import type { Radio } from '../../modules/mycelium/packager/radio.js';
import { ESPNOW_MTU } from '../../modules/mycelium/wire/constants.js';
import { ESPNOW_SCHEMA_IDS } from '../../modules/mycelium/wire/schemas.js';
import { toHex } from '../../modules/mycelium/wire/bytes.js';
import { endpointOfMac, macOfEndpoint, type Endpoint } from './udp-mac.js';

export const UDP_NAME = 'udp';
export const UDP_BITRATE = 100_000_000;
/** Default multicast group and port of `multicast: true` (administratively scoped, RFC 2365). */
export const DEFAULT_MULTICAST: Endpoint = Object.freeze({ address: '239.77.79.68', port: 47899 });

export interface UdpRadioOptions {
  /** Own port; 0 picks a free one (then peers cannot be configured to reach us). */
  readonly port: number;
  /** Address to bind; default 0.0.0.0 (every interface). */
  readonly bind?: string;
  /** Endpoints a broadcast is sent to (other nodes' address:port). */
  readonly peers?: readonly Endpoint[];
  /** Group to broadcast to and listen on, for nodes that find each other on a LAN. */
  readonly multicast?: Endpoint;
}

export interface UdpRadioStats {
  rx: number;
  tx: number;
  /** Datagrams dropped on receipt: empty, over the MTU, not IPv4, or our own multicast echo. */
  dropped: number;
  /** Socket errors and sends that failed (reported by the socket later, so counted, not returned). */
  errors: number;
}

export class UdpRadio implements Radio {
  readonly name = UDP_NAME;
  readonly bitrate = UDP_BITRATE;
  readonly schemaIds: readonly number[] = ESPNOW_SCHEMA_IDS;
  readonly mtu = ESPNOW_MTU;
  onReceive: ((frame: Uint8Array, mac: Uint8Array | undefined) => void) | undefined;
  readonly stats: UdpRadioStats = { rx: 0, tx: 0, dropped: 0, errors: 0 };
  readonly #options: UdpRadioOptions;
  readonly #peers: readonly Endpoint[];
  #socket: Socket | undefined;
  #group: Socket | undefined;
  #port = 0;
  /** Our own MACs (every local IPv4 address with our port): multicast echoes to drop. */
  #own = new Set<string>();

  constructor(options: UdpRadioOptions) {
    this.#options = options;
    this.#peers = options.peers ?? [];
  }

  /** The port we send from and listen on (known once open). */
  get port(): number {
    return this.#port;
  }

  /** Bind the sockets; rejects with a one-line reason (e.g. "port 47901 is in use"). */
  async open(): Promise<void> {
    const socket = createSocket({ type: 'udp4' });
    this.#socket = socket;
    await bind(socket, this.#options.port, this.#options.bind ?? '0.0.0.0', `UDP port ${this.#options.port}`);
    this.#port = socket.address().port;
    socket.on('message', (msg, rinfo) => this.#received(msg, rinfo));
    socket.on('error', () => this.stats.errors++);
    for (const list of Object.values(networkInterfaces())) {
      for (const a of list ?? []) if (a.family === 'IPv4') this.#addOwn(a.address);
    }
    this.#addOwn(this.#options.bind ?? '127.0.0.1');
    const m = this.#options.multicast;
    if (m) {
      socket.setMulticastTTL(1);
      socket.setMulticastLoopback(true); // other nodes on this machine hear us too
      const group = createSocket({ type: 'udp4', reuseAddr: true });
      this.#group = group;
      await bind(group, m.port, '0.0.0.0', `multicast port ${m.port}`);
      try {
        group.addMembership(m.address);
      } catch (e) {
        throw new Error(`cannot join multicast group ${m.address}: ${(e as Error).message}`);
      }
      group.on('message', (msg, rinfo) => this.#received(msg, rinfo));
      group.on('error', () => this.stats.errors++);
    }
  }

  send(mac: Uint8Array, frame: Uint8Array): boolean {
    const to = endpointOfMac(mac);
    if (!to) return false;
    return this.#sendTo(to, frame);
  }

  broadcast(frame: Uint8Array): boolean {
    let sent = false;
    for (const peer of this.#peers) sent = this.#sendTo(peer, frame) || sent;
    if (this.#options.multicast) sent = this.#sendTo(this.#options.multicast, frame) || sent;
    return sent;
  }

  close(): void {
    this.onReceive = undefined;
    for (const s of [this.#socket, this.#group]) {
      try {
        s?.close();
      } catch {
        // already closed
      }
    }
    this.#socket = undefined;
    this.#group = undefined;
  }

  #sendTo(to: Endpoint, frame: Uint8Array): boolean {
    const socket = this.#socket;
    if (!socket || frame.length === 0 || frame.length > this.mtu) return false;
    // The Packager may reuse the frame's buffer once we return: send a copy.
    socket.send(Uint8Array.from(frame), to.port, to.address, (err) => {
      if (err) this.stats.errors++;
    });
    this.stats.tx++;
    return true;
  }

  #received(msg: Buffer, rinfo: RemoteInfo): void {
    const mac = macOfEndpoint({ address: rinfo.address, port: rinfo.port });
    if (!mac || msg.length === 0 || msg.length > this.mtu || this.#own.has(toHex(mac))) {
      this.stats.dropped++;
      return;
    }
    this.stats.rx++;
    try {
      this.onReceive?.(new Uint8Array(msg.buffer, msg.byteOffset, msg.length), mac);
    } catch {
      this.stats.errors++; // the receive path must not throw; never let it kill the socket
    }
  }

  #addOwn(address: string): void {
    const mac = macOfEndpoint({ address, port: this.#port });
    if (mac) this.#own.add(toHex(mac));
  }
}

/** Bind, turning EADDRINUSE and friends into one sentence. */
function bind(socket: Socket, port: number, address: string, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => {
      socket.close();
      if (e.code === 'EADDRINUSE') reject(new Error(`${what} is in use (another node on this machine? choose another port)`));
      else if (e.code === 'EADDRNOTAVAIL') reject(new Error(`cannot bind ${address}: no such local address`));
      else if (e.code === 'EACCES') reject(new Error(`${what}: permission denied (ports below 1024 need privileges)`));
      else reject(new Error(`${what}: ${e.message}`));
    };
    socket.once('error', onError);
    socket.bind(port, address, () => {
      socket.off('error', onError);
      resolve();
    });
  });
}
