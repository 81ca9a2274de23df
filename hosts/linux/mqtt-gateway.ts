/**
 * The MQTT gateway of `mycelium-node --mqtt URL` (docs/store-forward.md "MQTT gateway"): every
 * message of the chosen apps that this node receives is published to `<prefix>/<app>/<node>`
 * (JSON or the raw bytes), and a JSON message on `<prefix>/inject` is sent into the mesh.
 *
 * The broker may go away: publishes then wait in a bounded queue (the oldest dropped and
 * counted beyond `queueLimit`) and go out, in order, once the client is connected again; the
 * client reconnects with a doubling back-off. Publishes are QoS 1, so one in flight when the
 * broker dies is resent by the client after the reconnect. The MQTT client is the `mqtt`
 * package, loaded only when a gateway is asked for.
 */
import type { Node } from '../../modules/mycelium/node.js';
import type { Package } from '../../modules/mycelium/wire/package.js';
import type { AttachedInterface } from '../../modules/mycelium/packager/attached.js';
import { fromHex, toHex, utf8Decode, utf8Encode } from '../../modules/mycelium/wire/bytes.js';
import { StoreForward } from '../../modules/mycelium/apps/store-forward.js';

export interface MqttGatewayConfig {
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
  /** App names (or hex ids) whose messages are published; empty: every app that is not a protocol service. */
  readonly apps: readonly string[];
  readonly format: 'json' | 'raw';
  readonly prefix: string;
  /** Publishes kept while the broker is away. */
  readonly queueLimit: number;
  readonly backoffMinMs: number;
  readonly backoffMaxMs: number;
}

export const MQTT_DEFAULTS = Object.freeze({ apps: [] as string[], format: 'json' as const, prefix: 'mesh', queueLimit: 1000, backoffMinMs: 500, backoffMaxMs: 30_000 });

/** Protocol services: their traffic is the mesh's own, not a user's message. */
const SERVICES = new Set(['Beacon', 'Gossip', 'SpanningTree', 'Ping', 'Debug', 'Hello', 'StoreForward', 'StoreForward custody']);

/** The part of an mqtt.js client the gateway uses. */
export interface MqttClientLike {
  readonly connected: boolean;
  on(event: 'connect' | 'close' | 'error' | 'message', listener: (...args: never[]) => void): unknown;
  publish(topic: string, payload: Uint8Array | string, options: { qos: 0 | 1 }, callback?: (error?: Error) => void): unknown;
  subscribe(topic: string, options: { qos: 0 | 1 }, callback?: (error: Error | null) => void): unknown;
  reconnect(): unknown;
  end(force?: boolean, options?: object, callback?: () => void): unknown;
}

export type MqttConnect = (url: string, options: Record<string, unknown>) => MqttClientLike;

export interface GatewayCounters {
  published: number;
  queued: number;
  dropped: number;
  injected: number;
  injectRefused: number;
  reconnects: number;
}

export class MqttGateway {
  readonly counters: GatewayCounters = { published: 0, queued: 0, dropped: 0, injected: 0, injectRefused: 0, reconnects: 0 };
  readonly #node: Node;
  readonly #config: MqttGatewayConfig;
  readonly #client: MqttClientLike;
  readonly #queue: { topic: string; payload: Uint8Array | string }[] = [];
  readonly #log: (line: string) => void;
  #backoff: number;
  #retry: ReturnType<typeof setTimeout> | undefined;
  #closed = false;
  readonly #onDeliver = (pkg: Package, iface: AttachedInterface, mac: Uint8Array | undefined) => this.#delivered(pkg, iface, mac);
  /** Held messages arrive inside StoreForward's Packages: StoreForward tells us each one it delivers. */
  readonly #offHeld: (() => void) | undefined;

  constructor(node: Node, config: MqttGatewayConfig, connect: MqttConnect, log: (line: string) => void) {
    this.#node = node;
    this.#config = config;
    this.#log = log;
    this.#backoff = config.backoffMinMs;
    this.#client = connect(config.url, {
      ...(config.username !== undefined && { username: config.username }),
      ...(config.password !== undefined && { password: config.password }),
      reconnectPeriod: 0, // our own back-off below
      queueQoSZero: false,
      clientId: `mycelium-${toHex(node.nodeId).slice(0, 12)}`,
    });
    this.#client.on('connect', () => this.#connected());
    this.#client.on('close', () => this.#lost());
    this.#client.on('error', (e: Error) => this.#log(`mqtt: ${e.message}`));
    this.#client.on('message', (topic: string, payload: Uint8Array) => this.#inject(topic, payload));
    node.packager.addHook('deliver:receive', this.#onDeliver);
    this.#offHeld = node.app(StoreForward)?.onDelivery((app, data, origin) => this.#message(app, data, toHex(origin)));
  }

  get queued(): number {
    return this.#queue.length;
  }

  close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retry);
    this.#node.packager.removeHook('deliver:receive', this.#onDeliver);
    this.#offHeld?.();
    return new Promise((resolve) => this.#client.end(false, {}, () => resolve()));
  }

  #connected(): void {
    this.#backoff = this.#config.backoffMinMs;
    this.#client.subscribe(`${this.#config.prefix}/inject`, { qos: 1 });
    this.#log(`mqtt: connected to ${this.#config.url}${this.#queue.length ? `, sending ${this.#queue.length} queued` : ''}`);
    while (this.#queue.length && this.#client.connected) {
      const m = this.#queue.shift() as { topic: string; payload: Uint8Array | string };
      this.#publish(m.topic, m.payload);
    }
  }

  #lost(): void {
    if (this.#closed || this.#retry) return;
    const wait = this.#backoff;
    this.#backoff = Math.min(this.#config.backoffMaxMs, this.#backoff * 2);
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      if (this.#closed) return;
      this.counters.reconnects++;
      this.#client.reconnect();
    }, wait);
  }

  #delivered(pkg: Package, iface: AttachedInterface, mac: Uint8Array | undefined): void {
    const peer = this.#node.packager.peerAt(mac, iface.radio);
    this.#message(pkg.appId, pkg.blob, peer ? peer.key : mac ? 'mac-' + toHex(mac) : 'self');
  }

  /** Publish (or queue) one message of app `appId` from node `from` when it is an app we publish. */
  #message(appId: Uint8Array, blob: Uint8Array, from: string): void {
    const app = this.#node.packager.application(appId);
    const name = app?.name ?? toHex(appId);
    const wanted = this.#config.apps.length ? this.#config.apps.includes(name) || this.#config.apps.includes(toHex(appId)) : !SERVICES.has(name);
    if (!wanted) return;
    const topic = `${this.#config.prefix}/${topicPart(name)}/${from}`;
    const payload = this.#config.format === 'raw' ? blob.slice() : JSON.stringify({ app: name, app_id: toHex(appId), node: from, data: base64(blob), text: printable(blob) });
    if (this.#client.connected && this.#queue.length === 0) this.#publish(topic, payload);
    else this.#enqueue(topic, payload);
  }

  #enqueue(topic: string, payload: Uint8Array | string): void {
    this.#queue.push({ topic, payload });
    this.counters.queued++;
    while (this.#queue.length > this.#config.queueLimit) {
      this.#queue.shift();
      this.counters.dropped++;
    }
  }

  #publish(topic: string, payload: Uint8Array | string): void {
    this.#client.publish(topic, payload, { qos: 1 }, (error) => {
      if (!error) this.counters.published++;
    });
  }

  /** `{ "app": name or hex id, "to": node id hex or "broadcast", "text" or "data" (base64), "hold": lifetime ms }`. */
  #inject(topic: string, payload: Uint8Array): void {
    if (topic !== `${this.#config.prefix}/inject`) return;
    const refuse = (why: string) => {
      this.counters.injectRefused++;
      this.#log(`mqtt: inject refused: ${why}`);
    };
    let m: Record<string, unknown>;
    try {
      m = JSON.parse(utf8Decode(payload)) as Record<string, unknown>;
    } catch {
      return refuse('not JSON');
    }
    const apps = this.#node.apps;
    const app = apps.find((a) => a.name === m.app) ?? apps.find((a) => toHex(a.id) === m.app);
    if (!app) return refuse(`no app ${String(m.app)} on this node`);
    const data = typeof m.text === 'string' ? utf8Encode(m.text) : typeof m.data === 'string' ? fromBase64(m.data) : undefined;
    if (!data) return refuse('no text or data');
    const p = this.#node.packager;
    if (m.to === 'broadcast') {
      const r = p.broadcast(app.id, data);
      return r.ok ? void this.counters.injected++ : refuse(r.error.code);
    }
    const to = typeof m.to === 'string' ? fromHex(m.to) : undefined;
    if (!to || to.length !== 32) return refuse('"to" must be a node id (64 hex digits) or "broadcast"');
    const sf = this.#node.app(StoreForward);
    const r = m.hold !== undefined && sf ? sf.send(app.id, to, data, typeof m.hold === 'number' ? { lifetimeMs: m.hold } : {}) : p.send(app.id, data, { nodeId: to });
    if (r.ok) this.counters.injected++;
    else refuse(r.error.code);
  }
}

/** A topic level: no wildcards or separators. */
function topicPart(name: string): string {
  return name.replace(/[#+/\s]+/g, '-').toLowerCase() || 'app';
}

function base64(b: Uint8Array): string {
  return Buffer.from(b).toString('base64');
}

function fromBase64(s: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s)) return undefined;
  return new Uint8Array(Buffer.from(s, 'base64'));
}

/** The bytes as text when they are printable UTF-8, else undefined (JSON leaves it out). */
function printable(b: Uint8Array): string | undefined {
  try {
    const t = new TextDecoder('utf-8', { fatal: true }).decode(b);
    for (let i = 0; i < t.length; i++) {
      const c = t.charCodeAt(i);
      if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) return undefined;
    }
    return t;
  } catch {
    return undefined;
  }
}

/** Load the `mqtt` package (a dependency of the Linux host only) and answer its connect. */
export async function loadMqtt(): Promise<MqttConnect> {
  try {
    const name = 'mqtt'; // not a literal: bundlers and tsc leave an optional package alone
    const m = (await import(name)) as unknown as { connect?: MqttConnect; default?: { connect: MqttConnect } };
    const connect = m.connect ?? m.default?.connect;
    if (!connect) throw new Error('no connect export');
    return connect;
  } catch (e) {
    throw new Error(`--mqtt needs the "mqtt" package (npm install): ${(e as Error).message}`);
  }
}
