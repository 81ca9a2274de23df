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
import type { InterfaceOptions, PackagerOptions } from './packager/options.js';
import type { Application } from './packager/application.js';
import { ModemSleep, type ModemSleepOptions } from './packager/modem-sleep.js';

/** Storage key of the persisted node id. */
export const NODE_ID_KEY = 'node_id';

/** An app the Node starts and stops with itself. */
export interface NodeApp extends Application {
  start?(node: Node): void;
  stop?(): void;
  /** What this app adds to `node.state()` (the SpanningTree: the tree). Must not change anything. */
  addState?(): AppState;
}

export interface NodeOptions {
  readonly platform: Platform;
  /** The node id; otherwise derived from `uniqueId`, else the stored one, else random (then stored). */
  readonly nodeId?: Uint8Array;
  /**
   * Signed and mixed modes (issue 20): the node's key pair (signed/node-key.ts); the node id is
   * then its public key, and `nodeId`/`uniqueId` are ignored.
   */
  readonly key?: { readonly publicKey: Uint8Array };
  /** The chip's unique id: node id = SHA-256(SHA-256(uniqueId)), as upstream. */
  readonly uniqueId?: Uint8Array;
  /**
   * The node's radios; one given with `options` is attached with interface timings of its own
   * (a bridge's LoRa radio beside its ESP-NOW: docs/lora.md "Bridges").
   */
  readonly radios?: readonly (Radio | { readonly radio: Radio; readonly options?: InterfaceOptions })[];
  /** Attach a loopback so the node's own broadcasts reach its apps, as upstream (default true). */
  readonly loopback?: boolean;
  readonly packager?: Omit<PackagerOptions, 'nodeId'>;
  /** Run upstream's modem-sleep cycle while started (90 ms asleep / 40 ms awake; default off). */
  readonly modemSleep?: boolean | ModemSleepOptions;
}

/**
 * A node's state in one plain-data shape (it crosses the XS worker boundary as JSON). The
 * console's `status`, the status screen, the dashboard panel, the simulator's report and the
 * mesh API's peers/routes are all derived from it.
 */
export interface NodeState {
  /** Node id, hex (64 digits). */
  readonly nodeId: string;
  readonly running: boolean;
  readonly uptimeMs: number;
  /** The address packets are sent from now (upstream text, e.g. `1-10::`); undefined before the tree assigns one. */
  readonly address: string | undefined;
  /** Every own tree address, newest last. */
  readonly addresses: string[];
  /** The spanning tree as this node follows it; undefined without a SpanningTree app. */
  readonly tree: TreeState | undefined;
  readonly peers: PeerState[];
  readonly routes: RouteState[];
  /** App names (hex id when unnamed), in the order they were added. */
  readonly apps: string[];
  /** The Packager's counters. */
  readonly counters: Record<string, number>;
  /** The Packager's tables: entries and caps. */
  readonly sizes: Record<string, { size: number; limit: number }>;
  readonly modemSleep: ModemSleepState;
  /** Battery charge in percent: only a host with a gauge adds it (MeshHost.state()). */
  readonly battery?: number;
}

export type ModemSleepState = 'off' | 'awake' | 'asleep';

export interface PeerState {
  /** Node id, hex. */
  readonly id: string;
  /** Its known tree addresses, newest last. */
  readonly addrs: string[];
  readonly lastRxAgoMs: number;
  readonly timeout: number;
  /** Datagrams waiting for it to wake. */
  readonly queued: number;
}

export interface RouteState {
  readonly address: string;
  /** Node id of the route's destination, hex. */
  readonly nodeId: string;
}

export interface TreeState {
  /** Root node id, hex (all zeros until the tree app first starts). */
  readonly root: string;
  /** Whether the tree app runs (it keeps its last root when stopped). */
  readonly running: boolean;
  /** Node id of the parent, hex; undefined at a root. */
  readonly parent: string | undefined;
  /** Node ids of the children, hex. */
  readonly children: string[];
  /** Hops below the root (this address's coordinates); undefined without an address. */
  readonly depth: number | undefined;
}

/** What apps add to NodeState. */
export interface AppState {
  readonly tree?: Omit<TreeState, 'depth'>;
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
    this.packager = new Packager(options.platform, { ...options.packager, nodeId: resolveNodeId(options) });
    // The Packager's copy: one 32-byte id per node, not the caller's array besides it (issue 21).
    this.nodeId = this.packager.nodeId;
    if (options.loopback ?? true) {
      this.loopback = new LoopbackRadio(options.platform);
      this.packager.addInterface(this.loopback);
    }
    for (const r of options.radios ?? []) {
      if ('send' in r) this.addRadio(r);
      else this.addRadio(r.radio, r.options);
    }
    if (options.modemSleep) {
      this.modemSleep = new ModemSleep(this.packager, options.modemSleep === true ? {} : options.modemSleep);
    }
  }

  addRadio(radio: Radio, options?: InterfaceOptions): void {
    const r = this.packager.addInterface(radio, options);
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
    // An index loop: apps look each other up on every frame, and a for-of costs an iterator on XS.
    const apps = this.#apps;
    const n = apps.length;
    let i = 0;
    for (; i < n; i++) if (apps[i] instanceof type) return apps[i] as T;
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

  /**
   * A snapshot of this node (and of what its apps add); reading it changes nothing. Its parts
   * (uptimeMs, peerStates, routeStates, treeState) can be read alone where building the whole
   * snapshot would waste heap (the mesh API answers a mod's `system()` or `root()` with them).
   */
  state(): NodeState {
    const p = this.packager;
    return {
      nodeId: toHex(this.nodeId),
      running: this.#running,
      uptimeMs: this.uptimeMs,
      address: p.address?.toString(),
      addresses: p.addresses.map((a) => a.toString()),
      tree: this.treeState(),
      peers: this.peerStates(),
      routes: this.routeStates(),
      apps: this.#apps.map((a) => a.name ?? toHex(a.id)),
      counters: p.counters.snapshot(),
      sizes: p.sizes(),
      modemSleep: !this.modemSleep || !this.#running ? 'off' : this.modemSleep.asleep ? 'asleep' : 'awake',
    };
  }

  /** Milliseconds since start(); 0 while stopped. */
  get uptimeMs(): number {
    return this.#running ? this.platform.now() - this.#startedAt : 0;
  }

  /** NodeState's `peers`. */
  peerStates(): PeerState[] {
    const now = this.platform.now();
    return this.packager.peers.map((peer) => ({
      id: peer.key,
      addrs: peer.addrs.map((a) => a.toString()),
      lastRxAgoMs: now - peer.lastRx,
      timeout: peer.timeout,
      queued: peer.queue.length,
    }));
  }

  /** NodeState's `routes`. */
  routeStates(): RouteState[] {
    return this.packager.routes.map((r) => ({ address: r.address.toString(), nodeId: r.nodeKey }));
  }

  /** NodeState's `tree`: what the tree app adds, with this node's depth. */
  treeState(): TreeState | undefined {
    let tree: TreeState | undefined;
    for (const app of this.#apps) {
      const part = app.addState?.();
      if (part?.tree) tree = { ...part.tree, depth: this.packager.address?.coords.length };
    }
    return tree;
  }
}

function resolveNodeId(options: NodeOptions): Uint8Array {
  const { platform } = options;
  if (options.key) return options.key.publicKey.slice();
  if (options.nodeId) return options.nodeId;
  if (options.uniqueId) return nodeIdFromUniqueId(platform, options.uniqueId);
  const stored = platform.storage?.get(NODE_ID_KEY);
  if (stored && stored.length === 32) return stored;
  const id = nodeIdFromUniqueId(platform, platform.randomBytes(new Uint8Array(16)));
  platform.storage?.set(NODE_ID_KEY, id);
  return id;
}
