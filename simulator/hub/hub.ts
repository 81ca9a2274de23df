/**
 * The simulator hub (simulator/HUB.md): a UDP server on loopback through which external nodes
 * join a run. Each external node becomes a node of the same Medium the in-process nodes use;
 * its radio forwards what it receives to the node's UDP address as RECV, and what the node
 * SENDs goes on the medium like any other frame (range, loss, airtime, sleep apply alike).
 *
 * Bad input is answered with ERROR and counted; nothing a client sends can throw out of the
 * socket handler. A node silent for `silenceMs` is dropped (its medium node goes down).
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import type { Clock, Timers } from '../../modules/mycelium/platform/platform.js';
import { formatMac, isBroadcast, macKey } from '../medium/mac.js';
import type { Medium } from '../medium/medium.js';
import type { InterfaceKind } from '../medium/profiles.js';
import type { SimRadio } from '../medium/sim-radio.js';
import {
  DEFAULT_HUB_PORT,
  decodeHubMessage,
  encodeHubMessage,
  HUB_ERROR as ERR,
  HUB_ERROR_NAMES,
  HUB_MSG,
  HUB_SENT as SENT,
  type HubMessage,
} from '../../modules/espnow/hub-codec.js';

type NodeMessage = Extract<HubMessage, { type: 'hello' | 'send' | 'radio' | 'keepalive' | 'bye' }>;
/** HELLO's interface kind byte → the medium it joins. */
const KINDS: readonly InterfaceKind[] = ['espnow', 'rylr998'];

export interface HubOptions {
  /** The media external nodes join, by interface kind (a HELLO for another kind is refused). */
  media: Partial<Record<InterfaceKind, Medium>> | Medium;
  clock: Clock & Timers;
  /** Default 127.0.0.1: the protocol has no authentication, so never listen beyond loopback. */
  host?: string;
  /** Default 47800; 0 picks a free port (tests). */
  port?: number;
  /** Drop a node silent this long, wall ms (default 10,000). */
  silenceMs?: number;
  /** Wi-Fi channel reported in WELCOME (default 1). */
  channel?: number;
  /** Wall clock for silence detection (default Date.now). */
  wallNow?: () => number;
  /** Notified of joins, leaves and errors (default: silent). */
  log?: (line: string) => void;
}

export interface ExternalNode {
  readonly key: string; // "address:port"
  readonly address: string;
  readonly port: number;
  readonly mac: Uint8Array;
  readonly name: string;
  readonly kind: InterfaceKind;
  readonly medium: Medium;
  readonly radio: SimRadio;
  lastHeard: number;
}

export interface HubStats {
  datagrams: number;
  joined: number;
  left: number;
  dropped: number;
  /** Frames external nodes sent into the medium / received from it. */
  sends: number;
  recvs: number;
  /** ERROR replies by code name. */
  errors: Record<string, number>;
}

export class Hub {
  readonly stats: HubStats = { datagrams: 0, joined: 0, left: 0, dropped: 0, sends: 0, recvs: 0, errors: {} };
  readonly #media: Partial<Record<InterfaceKind, Medium>>;
  readonly #clock: Clock & Timers;
  readonly #host: string;
  readonly #port: number;
  readonly #silenceMs: number;
  readonly #channel: number;
  readonly #wallNow: () => number;
  readonly #log: (line: string) => void;
  readonly #byAddress = new Map<string, ExternalNode>();
  /** "kind/index" of medium nodes whose external node left: their MAC may join again. */
  readonly #departed = new Set<string>();
  #socket: Socket | undefined;
  #sweeper: ReturnType<typeof setInterval> | undefined;

  constructor(options: HubOptions) {
    const m = options.media;
    this.#media = 'addNode' in m ? { [m.profile.kind]: m } : m;
    this.#clock = options.clock;
    this.#host = options.host ?? '127.0.0.1';
    this.#port = options.port ?? DEFAULT_HUB_PORT;
    this.#silenceMs = options.silenceMs ?? 10_000;
    this.#channel = options.channel ?? 1;
    this.#wallNow = options.wallNow ?? Date.now;
    this.#log = options.log ?? (() => {});
  }

  /** Binds the socket; resolves with the port actually bound. */
  start(): Promise<number> {
    if (this.#socket) return Promise.resolve(this.port);
    const socket = createSocket('udp4');
    this.#socket = socket;
    socket.on('message', (msg, rinfo) => this.#onDatagram(msg, rinfo));
    // A send to a vanished client port can surface as an error event: never fatal.
    socket.on('error', (e) => this.#log(`hub socket error: ${e.message}`));
    this.#sweeper = setInterval(() => this.sweep(), Math.min(1000, this.#silenceMs));
    this.#sweeper.unref();
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(this.#port, this.#host, () => {
        socket.off('error', reject);
        resolve(this.port);
      });
    });
  }

  get port(): number {
    return this.#socket?.address().port ?? this.#port;
  }

  /** External nodes joined now. */
  nodes(): readonly ExternalNode[] {
    return [...this.#byAddress.values()];
  }

  /** Drop every node silent for longer than silenceMs (also run every second by start()). */
  sweep(): void {
    const now = this.#wallNow();
    for (const n of [...this.#byAddress.values()]) {
      if (now - n.lastHeard > this.#silenceMs) {
        this.#leave(n);
        this.stats.dropped++;
        this.#log(`hub: dropped ${formatMac(n.mac)} (${n.name}) after ${this.#silenceMs} ms of silence`);
      }
    }
  }

  async close(): Promise<void> {
    if (this.#sweeper) clearInterval(this.#sweeper);
    this.#sweeper = undefined;
    for (const n of [...this.#byAddress.values()]) this.#leave(n);
    const s = this.#socket;
    this.#socket = undefined;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  #onDatagram(msg: Buffer, rinfo: RemoteInfo): void {
    this.stats.datagrams++;
    try {
      const bytes = new Uint8Array(msg.buffer, msg.byteOffset, msg.byteLength);
      if (bytes.length > 0 && bytes[0] >= HUB_MSG.WELCOME) return this.#error(rinfo, ERR.UNKNOWN_TYPE, `type 0x${bytes[0].toString(16)} is a hub → node message`);
      const decoded = decodeHubMessage(bytes);
      if (!decoded.ok) return this.#error(rinfo, decoded.error.code, decoded.error.message);
      this.#handle(decoded.value as NodeMessage, rinfo);
    } catch (e) {
      // A bug here must not take the run down with it; report it to the client as a bad field.
      this.#error(rinfo, ERR.BAD_VALUE, `hub could not process the datagram: ${(e as Error).message}`);
    }
  }

  #handle(m: NodeMessage, rinfo: RemoteInfo): void {
    const key = `${rinfo.address}:${rinfo.port}`;
    const node = this.#byAddress.get(key);
    if (m.type === 'hello') return this.#hello(m, rinfo, key, node);
    if (!node) {
      if (m.type === 'bye') return; // already gone: nothing to say
      return this.#error(rinfo, ERR.NOT_REGISTERED, `${m.type.toUpperCase()} before HELLO (send HELLO first)`);
    }
    node.lastHeard = this.#wallNow();
    const i = node.radio.index;
    switch (m.type) {
      case 'send': {
        if (m.payload.length > node.radio.mtu) {
          return this.#error(rinfo, ERR.OVER_MTU, `payload of ${m.payload.length} bytes exceeds the ${node.kind} MTU of ${node.radio.mtu}`);
        }
        const broadcast = isBroadcast(m.dest);
        const ok = broadcast ? node.radio.broadcast(m.payload) : node.radio.send(m.dest, m.payload);
        if (ok) this.stats.sends++;
        else this.#reply(rinfo, { type: 'sent', dest: m.dest, status: node.medium.isUp(i) && node.medium.isRadioOn(i) ? SENT.QUEUE_FULL : SENT.RADIO_OFF });
        return;
      }
      case 'radio':
        if (m.on) node.medium.wake(i);
        else node.medium.sleep(i, m.durationMs === 0 ? Infinity : m.durationMs);
        return;
      case 'keepalive':
        return;
      case 'bye':
        this.#leave(node);
        this.stats.left++;
        this.#log(`hub: ${formatMac(node.mac)} (${node.name}) left`);
        return;
    }
  }

  #hello(hello: Extract<NodeMessage, { type: 'hello' }>, rinfo: RemoteInfo, key: string, existing: ExternalNode | undefined): void {
    const m = { ...hello, mac: hello.mac.slice(), kind: KINDS[hello.kind] };
    const medium = this.#media[m.kind];
    if (!medium) {
      const served = Object.keys(this.#media).join(', ') || 'none';
      return this.#error(rinfo, ERR.BAD_VALUE, `this run has no ${m.kind} medium (served: ${served})`);
    }
    if ((m.mac[0] & 1) === 1 || macKey(m.mac) === 0) {
      return this.#error(rinfo, ERR.BAD_VALUE, `${formatMac(m.mac)} is not a unicast MAC`);
    }
    if (existing) {
      if (macKey(existing.mac) !== macKey(m.mac) || existing.kind !== m.kind) {
        return this.#error(rinfo, ERR.BAD_VALUE, `this address is registered as ${formatMac(existing.mac)} (${existing.kind}); send BYE first`);
      }
      // A repeated HELLO (e.g. the WELCOME was lost): update and welcome again.
      existing.lastHeard = this.#wallNow();
      medium.setPosition(existing.radio.index, m.x, m.y);
      return this.#welcome(rinfo, existing);
    }
    const index = medium.indexOf(m.mac);
    let radio: SimRadio;
    if (index !== undefined) {
      // The MAC is in the medium: an in-process node, a joined one, or one that left earlier.
      const owner = [...this.#byAddress.values()].find((n) => n.medium === medium && n.radio.index === index);
      const departed = !owner && this.#departed.has(`${m.kind}/${index}`);
      if (!departed) {
        return this.#error(rinfo, ERR.DUPLICATE_MAC, `${formatMac(m.mac)} is already in the run${owner ? ` (${owner.name} at ${owner.key})` : ''}`);
      }
      radio = medium.radio(index);
      medium.setPosition(index, m.x, m.y);
      medium.setUp(index, true);
      medium.wake(index);
    } else {
      radio = medium.addNode({ mac: m.mac, x: m.x, y: m.y, name: m.name || `ext-${formatMac(m.mac)}` });
    }
    const name = m.name || `ext-${formatMac(m.mac)}`;
    medium.setName(radio.index, name);
    const node: ExternalNode = {
      key,
      address: rinfo.address,
      port: rinfo.port,
      mac: m.mac,
      name,
      kind: m.kind,
      medium,
      radio,
      lastHeard: this.#wallNow(),
    };
    radio.onReceive = (frame, source) => {
      this.stats.recvs++;
      this.#reply(rinfo, { type: 'recv', source: source ?? new Uint8Array(6), rssi: radio.lastRssi, payload: frame });
    };
    radio.onSent = (dest, delivered) => {
      this.#reply(rinfo, { type: 'sent', dest: dest ?? Uint8Array.of(255, 255, 255, 255, 255, 255), status: delivered ? SENT.DELIVERED : SENT.NO_RECEIVER });
    };
    this.#byAddress.set(key, node);
    this.#departed.delete(`${m.kind}/${radio.index}`);
    this.stats.joined++;
    this.#log(`hub: ${formatMac(m.mac)} (${name}, ${m.kind}) joined from ${key} at (${m.x}, ${m.y})`);
    this.#welcome(rinfo, node);
  }

  #leave(n: ExternalNode): void {
    this.#byAddress.delete(n.key);
    n.radio.onReceive = undefined;
    n.radio.onSent = undefined;
    n.medium.setUp(n.radio.index, false);
    this.#departed.add(`${n.kind}/${n.radio.index}`);
  }

  #welcome(rinfo: RemoteInfo, n: ExternalNode): void {
    this.#reply(rinfo, { type: 'welcome', mac: n.mac, clockMs: Math.floor(this.#clock.now()), channel: this.#channel });
  }

  #error(rinfo: RemoteInfo, code: number, message: string): void {
    const name = HUB_ERROR_NAMES[code] ?? String(code);
    this.stats.errors[name] = (this.stats.errors[name] ?? 0) + 1;
    this.#reply(rinfo, { type: 'error', code, message });
  }

  #reply(rinfo: RemoteInfo, m: HubMessage): void {
    const bytes = encodeHubMessage(m);
    if (!bytes.ok) {
      this.stats.errors.unencodable = (this.stats.errors.unencodable ?? 0) + 1;
      return;
    }
    this.#socket?.send(bytes.value, rinfo.port, rinfo.address, () => {
      // Delivery errors on loopback UDP are not actionable (the client went away); ignore.
    });
  }
}
