/**
 * A mesh node: one Packager with its radios, apps and platform, plus identity and stats.
 * Hosts (boards, the simulator, tests) build one per node; nothing here is global.
 */
import { nodeIdFromUniqueId } from './wire/ids.js';
import { bytesEqual, toHex } from './wire/bytes.js';
import type { Platform } from './platform/platform.js';
import type { Radio } from './packager/radio.js';
import { LoopbackRadio } from './packager/loopback.js';
import { Packager } from './packager/packager.js';
import type { PackagerOptions } from './packager/options.js';
import type { Application } from './packager/application.js';
import { ModemSleep, type ModemSleepOptions } from './packager/modem-sleep.js';

/** Storage key of the persisted node id. */
export const NODE_ID_KEY = 'node_id';

/** An app the Node starts and stops with itself. */
export interface NodeApp extends Application {
  start?(node: Node): void;
  stop?(): void;
}

export interface NodeOptions {
  readonly platform: Platform;
  /** The node id; otherwise derived from `uniqueId`, else the stored one, else random (then stored). */
  readonly nodeId?: Uint8Array;
  /** The chip's unique id: node id = SHA-256(SHA-256(uniqueId)), as upstream. */
  readonly uniqueId?: Uint8Array;
  readonly radios?: readonly Radio[];
  /** Attach a loopback so the node's own broadcasts reach its apps, as upstream (default true). */
  readonly loopback?: boolean;
  readonly packager?: Omit<PackagerOptions, 'nodeId'>;
  /** Run upstream's modem-sleep cycle while started (90 ms asleep / 40 ms awake; default off). */
  readonly modemSleep?: boolean | ModemSleepOptions;
}

export interface NodeStats {
  readonly nodeId: string;
  readonly running: boolean;
  readonly uptimeMs: number;
  readonly addresses: string[];
  readonly peers: { id: string; addrs: string[]; lastRxAgoMs: number; timeout: number; queued: number }[];
  readonly routes: { address: string; nodeId: string }[];
  readonly apps: string[];
  readonly counters: Record<string, number>;
  readonly sizes: Record<string, { size: number; limit: number }>;
}

export class Node {
  readonly platform: Platform;
  readonly nodeId: Uint8Array;
  readonly packager: Packager;
  readonly loopback: LoopbackRadio | undefined;
  readonly modemSleep: ModemSleep | undefined;
  readonly #apps: NodeApp[] = [];
  #running = false;
  #startedAt = 0;

  constructor(options: NodeOptions) {
    this.platform = options.platform;
    this.nodeId = resolveNodeId(options);
    this.packager = new Packager(options.platform, { ...options.packager, nodeId: this.nodeId });
    if (options.loopback ?? true) {
      this.loopback = new LoopbackRadio(options.platform);
      this.packager.addInterface(this.loopback);
    }
    for (const r of options.radios ?? []) this.addRadio(r);
    if (options.modemSleep) {
      this.modemSleep = new ModemSleep(this.packager, options.modemSleep === true ? {} : options.modemSleep);
    }
  }

  addRadio(radio: Radio): void {
    const r = this.packager.addInterface(radio);
    if (!r.ok) throw new TypeError(`radio "${radio.name}" cannot be attached: ${r.error.message}`);
  }

  /**
   * Register an app; it starts now if the node is running. The node's list is the one registry
   * of apps (the Packager only keeps its delivery map by id), so an app whose id another app
   * already has is refused.
   */
  addApp(app: NodeApp): void {
    if (this.#apps.includes(app)) return;
    if (this.#apps.some((a) => bytesEqual(a.id, app.id))) throw new TypeError(`an app with the id of "${app.name ?? '?'}" is already on this node`);
    const r = this.packager.addApplication(app);
    if (!r.ok) throw new TypeError(`app "${app.name ?? '?'}" cannot be added: ${r.error.message}`);
    this.#apps.push(app);
    if (this.#running) app.start?.(this);
  }

  removeApp(app: NodeApp): void {
    const i = this.#apps.indexOf(app);
    if (i < 0) return;
    this.#apps.splice(i, 1);
    if (this.#running) app.stop?.();
    this.packager.removeApplication(app);
  }

  /** The apps on this node, in the order they were added (the order beacons advertise). */
  get apps(): readonly NodeApp[] {
    return this.#apps;
  }

  /** The app of this class on the node, if any: `node.app(Gossip)`. The one way to find an app. */
  app<T extends NodeApp>(type: abstract new (...args: never[]) => T): T | undefined {
    for (const a of this.#apps) if (a instanceof type) return a;
    return undefined;
  }

  get running(): boolean {
    return this.#running;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#startedAt = this.platform.now();
    for (const app of this.#apps) app.start?.(this);
    this.modemSleep?.start();
  }

  /** Stop the apps and every pending timer; radios stay attached so `start()` can resume. */
  stop(): void {
    if (!this.#running) return;
    this.#running = false;
    this.modemSleep?.stop();
    for (const app of this.#apps.slice().reverse()) app.stop?.();
    this.packager.cancelAllEvents();
    this.packager.callHook('stop');
  }

  stats(): NodeStats {
    const p = this.packager;
    const now = this.platform.now();
    return {
      nodeId: toHex(this.nodeId),
      running: this.#running,
      uptimeMs: this.#running ? now - this.#startedAt : 0,
      addresses: p.addresses.map((a) => a.toString()),
      peers: p.peers.map((peer) => ({
        id: peer.key,
        addrs: peer.addrs.map((a) => a.toString()),
        lastRxAgoMs: now - peer.lastRx,
        timeout: peer.timeout,
        queued: peer.queue.length,
      })),
      routes: p.routes.map((r) => ({ address: r.address.toString(), nodeId: r.nodeKey })),
      apps: this.#apps.map((a) => a.name ?? toHex(a.id)),
      counters: p.counters.snapshot(),
      sizes: p.sizes(),
    };
  }
}

function resolveNodeId(options: NodeOptions): Uint8Array {
  const { platform } = options;
  if (options.nodeId) return options.nodeId;
  if (options.uniqueId) return nodeIdFromUniqueId(platform, options.uniqueId);
  const stored = platform.storage?.get(NODE_ID_KEY);
  if (stored && stored.length === 32) return stored;
  const id = nodeIdFromUniqueId(platform, platform.randomBytes(new Uint8Array(16)));
  platform.storage?.set(NODE_ID_KEY, id);
  return id;
}
