/**
 * One simulated node: a full `Node` (Packager + the standard apps without DebugApp, see
 * modules/mycelium/apps/standard.ts, and the simulator's traffic app) on a given platform and
 * radio, the scenario's mesh apps (chat, telemetry, ...: simulator/mods/registry.ts) each under
 * an AppRunner through the mesh API, a console for the scenario's commands, plus what the run
 * needs to see of it. Pure ECMAScript:
 * the in-process runner builds these in Node, the XS runner inside xsnap workers, from the same
 * inputs, so both runs make the same decisions.
 */
import type { Beacon } from '../../modules/mycelium/apps/beacon.js';
import type { Gossip } from '../../modules/mycelium/apps/gossip.js';
import type { Ping } from '../../modules/mycelium/apps/ping.js';
import type { SpanningTree } from '../../modules/mycelium/apps/spanning-tree.js';
import { addStandardApps, standardApps, type StandardAppOptions } from '../../modules/mycelium/apps/standard.js';
import { roomBelow } from '../../modules/mycelium/apps/tree-claims.js';
import { Node, type NodeOptions, type NodeState, type TreeState } from '../../modules/mycelium/node.js';
import type { Delivery } from '../../modules/mycelium/packager/application.js';
import type { Radio } from '../../modules/mycelium/packager/radio.js';
import type { InterfaceOptions } from '../../modules/mycelium/packager/options.js';
import type { Hashes, Platform } from '../../modules/mycelium/platform/platform.js';
import { Address } from '../../modules/mycelium/wire/address.js';
import { fromHex, toHex } from '../../modules/mycelium/wire/bytes.js';
import type { Metric } from '../../modules/mycelium/wire/constants.js';
import { PingOp, parsePing } from '../../modules/mycelium/wire/messages/ping.js';
import { MeshConsole } from '../../modules/console/console.js';
import { BUILTIN_NAMES } from '../../modules/console/commands/table.js';
import { AppRunner } from '../../modules/mesh-api/app-runner.js';
import type { MeshApiObserver } from '../../modules/mesh-api/mesh-api.js';
import type { AppMain } from '../../modules/mesh-api/api.js';
import { simApp } from '../mods/registry.js';
import { SimTraffic } from './traffic-app.js';
import { NodeKey } from '../../modules/mycelium/signed/node-key.js';
import { signedTreeAppId } from '../../modules/mycelium/signed/signed-tree.js';
import { addSignedTree } from '../../modules/mycelium/signed/add-signed-tree.js';
import type { SecurityOptions } from '../../modules/mycelium/signed/security.js';
import { loadRootWork, ROOT_WORK_FLOOR_BITS, ROOT_WORK_MAX_ATTEMPTS } from '../../modules/mycelium/signed/root-work.js';
import { addStoreForward, StoreForward, type StoreForwardParams } from '../../modules/mycelium/apps/store-forward.js';

/** What a node tells the run (the XS runner relays these from the workers). */
export interface SimNodeEvents {
  /** A SimTraffic message arrived at `node`. */
  message(node: number, messageId: number, hops: number): void;
  /** A Ping REQUEST from `fromId` (hex node id) arrived at `node`. */
  pingRequest(node: number, fromId: string, nonce: number, hops: number): void;
  /** A Ping RESPOND came back to `node`. */
  pingResponse(node: number, nonce: number): void;
  /**
   * A mesh app on `node` called send/publish/broadcast (`ok`: the mesh accepted it). `key`
   * identifies the bytes (bytesKey); `to` is the destination node id (hex) of a send, `address`
   * its tree address if the app gave one, `topic` the topic of a publish; `code` the mesh's
   * error code when it refused the call.
   */
  appSent(node: number, app: string, how: 'send' | 'publish' | 'broadcast', key: string, to: string | null, address: string | null, topic: string | null, ok: boolean, code: string | null): void;
  /** A mesh app on `node` received bytes `key` (hops: null when the mesh does not know). */
  appReceived(node: number, app: string, key: string, hops: number | null, topic: string | null): void;
  appSubscribed(node: number, app: string, topic: string, on: boolean): void;
  /** The app (its scenario name) threw and was stopped. */
  appFailed(node: number, app: string, error: string): void;
  /** A held message (traffic kind `held`) sent from `node` changed status (docs/store-forward.md). */
  heldStatus(node: number, messageId: number, status: string): void;
  /** `node`'s StoreForward store reached a new peak: bundles and bytes. */
  heldStore(node: number, count: number, bytes: number): void;
  /** A mesh app `app` started on `node` with app id `id` (hex): the run names its frames. */
  appRegistered(node: number, app: string, id: string): void;
  /**
   * A line of `node`'s console output: a scenario command's answer, or later output, which
   * names the command line that started it (`origin`).
   */
  console(node: number, line: string, origin?: string): void;
}

/** A scenario app on one node: its registry name and its options (plain JSON). */
export interface SimAppSpec {
  readonly app: string;
  readonly options: Readonly<Record<string, unknown>>;
}

/**
 * A short, stable name for a message's bytes, the same in Node and XS: length and two 32-bit
 * FNV-1a style hashes (different offsets), so the ledger can tell messages apart cheaply.
 */
export function bytesKey(data: Uint8Array): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ data.length;
  for (let i = 0; i < data.length; i++) {
    a = Math.imul(a ^ data[i], 0x01000193);
    b = Math.imul(b ^ data[i], 0x5bd1e995);
    b ^= b >>> 15;
  }
  return `${data.length}:${(a >>> 0).toString(16).padStart(8, '0')}${(b >>> 0).toString(16).padStart(8, '0')}`;
}

/**
 * The tree as one node sees it, sampled every second (plain data: it crosses the XS boundary as
 * JSON): NodeState's running flag, tree root and address, without the rest of the state the
 * run does not need each second, plus the address bytes it sends traffic to.
 */
export interface TreeView {
  readonly running: NodeState['running'];
  /** Root node id, hex (NodeState.tree.root). */
  readonly root: TreeState['root'];
  /** Own tree address bytes, hex; undefined before the tree assigns one. */
  readonly address: string | undefined;
  readonly treeState: number;
  /** Readable address, e.g. "3.1.2" (NodeState.address). */
  readonly addressText: NodeState['address'];
  /** The node we follow as our parent in the tree (its id, hex); undefined for a root. */
  readonly parent: string | undefined;
  /** The root's claim score, hex (lowest wins): orders trees that meet (convergence.ts). */
  readonly score: string;
  /** No new child could get an address under ours (SpanningTree.roomForChild): a border, not a tree still forming. */
  readonly full: boolean;
  /**
   * A node settled in a worse tree beside us would not cross to us: our child would have fewer
   * than join_margin levels below it (tree-claims.ts mayCross). A border too, from such a node.
   */
  readonly nearFull: boolean;
  /** We have a parent or children (tree-claims.ts mayCross): we cross only with the margin. */
  readonly settled: boolean;
}

/** What to send: the destination as the run knows it (its id and current address). */
export interface TrafficOrder {
  readonly kind: 'ping' | 'blob' | 'held';
  readonly messageId: number;
  /** `held`: the message's lifetime, ms. */
  readonly lifetimeMs?: number;
  readonly size: number;
  readonly metric: Metric;
  /** Destination node id, hex. */
  readonly dstId: string;
  /** Destination address bytes, hex, and tree state; undefined = send by node id only. */
  readonly dstAddress: string | undefined;
  readonly dstTreeState: number;
}

/**
 * `node_options` of a scenario (SCENARIOS.md): Node options plus app parameters. Anything else
 * is ignored here; the Node and the apps check their own values.
 */
export interface SimNodeOptions {
  readonly modemSleep?: NodeOptions['modemSleep'];
  readonly packager?: NodeOptions['packager'];
  readonly beacon?: Record<string, unknown>;
  readonly gossip?: Record<string, unknown>;
  readonly spanning_tree?: Record<string, unknown>;
  readonly ping?: Record<string, unknown>;
  /** false: no Hello (the LoRa default, modules/rylr998/timings.ts). */
  readonly hello?: Record<string, unknown> | false;
  /** RouteVector parameters: present = the node runs it (the LoRa default); false = not. */
  readonly route_vector?: Record<string, unknown> | false;
  /** StoreForward parameters: present (even `{}`) = the node runs it. */
  readonly store_forward?: Record<string, unknown>;
}

export interface SimNodeConfig {
  readonly index: number;
  readonly nodeId: Uint8Array;
  readonly platform: Platform;
  readonly hashes: Hashes;
  readonly radio: Radio;
  /** Radios beside `radio` (a bridge's RYLR-998), each with its interface options. */
  readonly extraRadios?: readonly { readonly radio: Radio; readonly options: InterfaceOptions }[];
  readonly options: SimNodeOptions;
  readonly events: SimNodeEvents;
  /** The scenario's apps on this node, started at every boot. */
  readonly apps?: readonly SimAppSpec[];
  /** Module apps' entry functions by name (runner/app-modules.ts); other names come from the registry. */
  readonly appMains?: Readonly<Record<string, AppMain>>;
  /** Signed modes (issue 20): the node's key seed (its id is then the public key) and the security options. */
  readonly keySeed?: Uint8Array;
  readonly security?: SecurityOptions;
}

/**
 * The standard apps as the simulator runs them: without DebugApp (the reports never had it),
 * with the scenario's `node_options` parameters.
 */
export function simStandardOptions(o: SimNodeOptions): StandardAppOptions {
  return { beacon: o.beacon, gossip: o.gossip, spanningTree: o.spanning_tree, ping: o.ping, hello: o.hello, routeVector: o.route_vector, debug: false };
}

/** The apps every simulated node runs, by id and name; `data` names the run's own traffic. */
export class SimNodeApps {
  readonly all: readonly { id: Uint8Array; name: string }[];
  readonly data: readonly string[];
  constructor(hashes: Hashes) {
    // StoreForward's bundles carry the traffic app's messages: data, named in bytes_by_kind.
    const sf = new StoreForward(hashes);
    const apps = [...standardApps(hashes, simStandardOptions({ route_vector: {} })).list, new SimTraffic(hashes), sf, sf.marker];
    this.all = [...apps.map((a) => ({ id: a.id, name: a.name })), { id: signedTreeAppId(hashes), name: 'SignedTree' }];
    this.data = ['Ping', 'SimTraffic', 'StoreForward'];
  }
}

export class SimNode {
  readonly index: number;
  readonly node: Node;
  readonly beacon: Beacon;
  readonly gossip: Gossip;
  readonly tree: SpanningTree;
  readonly ping: Ping;
  readonly traffic: SimTraffic;
  /** StoreForward, when the scenario's node_options ask for it. */
  readonly sf: StoreForward | undefined;
  /** Bundle key → the run's message id, for the held messages sent from here not yet final. */
  readonly #heldIds = new Map<string, number>();
  #storePeak = 0;
  /** The scenario's apps, in scenario order. */
  readonly apps: readonly AppRunner[];
  readonly #appSpecs: readonly SimAppSpec[];
  readonly #appMains: Readonly<Record<string, AppMain>>;
  readonly #events: SimNodeEvents;
  #console: MeshConsole | undefined;
  #view: TreeView | undefined;
  #viewRoot: Uint8Array | undefined;
  #viewAddress: Address | undefined;

  constructor(c: SimNodeConfig) {
    this.index = c.index;
    const o = c.options;
    const signed = c.security && c.security.mode !== 'open' && c.keySeed && c.platform.signatures ? c.security : undefined;
    const key = signed ? NodeKey.fromSeed(c.platform.signatures!, c.keySeed!) : undefined;
    this.node = new Node({ platform: c.platform, nodeId: c.nodeId, key, radios: [c.radio], packager: o.packager, modemSleep: o.modemSleep });
    // A bridge hears its LoRa neighbours' beacons only at LoRa's pace: any frame keeps them.
    const bridged = c.extraRadios?.length ? { ...o, beacon: { any_frame_keeps_peer: true, ...o.beacon } } : o;
    const standard = addStandardApps(this.node, simStandardOptions(bridged), c.hashes);
    // A bridge's second radio: Hello and Gossip stay off it (modules/rylr998/bridge.ts).
    const quiet = [standard.gossip.id, ...(standard.hello ? [standard.hello.id] : [])];
    for (const x of c.extraRadios ?? []) this.node.addRadio(x.radio, { ...x.options, quietApps: [...(x.options.quietApps ?? []), ...quiet] });
    // root_work: the key's work, ground to the floor once (kept in the node's storage, when it has one).
    const work = signed?.root_work && key ? loadRootWork(c.platform, key.publicKey, ROOT_WORK_MAX_ATTEMPTS, signed.root_work_floor ?? ROOT_WORK_FLOOR_BITS) : undefined;
    if (signed && key) addSignedTree(this.node, work ? { publicKey: key.publicKey, sign: (m) => key.sign(m), rootWork: work } : key, signed, {}, c.hashes);
    this.beacon = standard.beacon;
    this.gossip = standard.gossip;
    this.tree = standard.tree;
    this.ping = standard.ping;
    this.traffic = new SimTraffic(c.hashes);
    this.node.addApp(this.traffic);
    this.sf = o.store_forward ? addStoreForward(this.node, o.store_forward as Partial<StoreForwardParams>, c.hashes) : undefined;
    const events = c.events;
    const index = c.index;
    this.#events = events;
    this.#appSpecs = c.apps ?? [];
    this.#appMains = c.appMains ?? {};
    const observer = this.#observer();
    const platform = c.platform;
    this.apps = this.#appSpecs.map(
      (spec) =>
        new AppRunner(spec.app, {
          node: this.node,
          hashes: c.hashes,
          name: `n${index}`,
          log: (line) => platform.log('info', line),
          reservedCommands: BUILTIN_NAMES,
          observer,
          onFailure: (app, error) => {
            platform.log('warn', `app ${app} stopped: ${error}`);
            events.appFailed(index, app, error);
          },
        }),
    );
    this.traffic.onMessage = (id, hops) => events.message(index, id, hops);
    this.sf?.onStatus((key, status) => {
      const id = this.#heldIds.get(key);
      if (id === undefined) return;
      if (status !== 'queued' && status !== 'in_custody') this.#heldIds.delete(key);
      events.heldStatus(index, id, status);
    });
    // The store's peak, told as it rises (the run keeps the largest of any node).
    this.node.packager.addHook('queue_event', () => {
      const sf = this.sf;
      if (sf && sf.store.peakCount > this.#storePeak) {
        this.#storePeak = sf.store.peakCount;
        events.heldStore(index, sf.store.peakCount, sf.store.peakBytes);
      }
    });
    this.ping.addHook('receive', (...args: unknown[]) => {
      const pm = parsePing(args[0] as Uint8Array);
      if (!pm.ok) return;
      const hops = (args[1] as Delivery).hops ?? 0;
      if (pm.value.op === PingOp.REQUEST) events.pingRequest(index, toHex(pm.value.nodeId), pm.value.nonce, hops);
      else if (pm.value.op === PingOp.RESPOND) events.pingResponse(index, pm.value.nonce);
    });
  }

  /** Power on: the node, then its apps (in scenario order). */
  start(): void {
    this.node.start();
    this.apps.forEach((runner, k) => {
      const spec = this.#appSpecs[k];
      const main = Object.prototype.hasOwnProperty.call(this.#appMains, spec.app) ? this.#appMains[spec.app] : simApp(spec.app);
      runner.start(main, spec.options);
      for (const a of runner.handle?.closed === false ? runner.handle.apps : []) this.#events.appRegistered(this.index, a.name, a.idHex);
    });
  }

  /** Power off: every timer and all state go (a node that comes back is a new SimNode). */
  shutdown(): void {
    this.#console?.stop();
    this.#console = undefined;
    for (const runner of this.apps) runner.stop();
    this.node.stop();
    this.node.packager.close();
  }

  /** Run one console line; its output (now and later) goes to SimNodeEvents.console. */
  command(line: string): void {
    this.#console ??= new MeshConsole({ node: this.node, version: 'mycelium-sim' }, (out, origin) =>
      this.#events.console(this.index, out, origin),
    );
    this.#console.exec(line);
  }

  /** The mesh API observer of this node's apps: events for the run's app ledger. */
  #observer(): MeshApiObserver {
    const events = this.#events;
    const index = this.index;
    return {
      sent: (app, how, data, to, ok, code) => events.appSent(index, app, how, bytesKey(data), to.node ?? null, to.address ?? null, to.topic ?? null, ok, code ?? null),
      // A publisher's own copy is not a delivery (the ledger expects the other subscribers).
      received: (app, data, info, own) => {
        if (!own) events.appReceived(index, app, bytesKey(data), info.hops ?? null, info.topic ?? null);
      },
      subscribed: (app, topic, on) => events.appSubscribed(index, app, topic, on),
    };
  }

  view(): TreeView {
    const a = this.node.packager.address;
    const root = this.tree.root;
    // The run samples every node every second: reuse the view while root and address objects
    // are the same (both are replaced, never mutated, when they change).
    const running = this.node.running;
    const last = this.#view;
    // Room for a child also moves with the leases of our children's coordinates: asked each time.
    const full = a !== undefined && !this.tree.roomForChild(this.node.platform.now());
    const settled = a !== undefined && (a.coords.length > 0 || this.tree.leads);
    const parent = this.tree.parentKey;
    if (last && this.#viewRoot === root && this.#viewAddress === a && last.running === running && last.full === full && last.settled === settled && last.parent === parent) return last;
    this.#viewRoot = root;
    this.#viewAddress = a;
    this.#view = {
      running,
      root: toHex(root),
      address: a ? toHex(a.bytes) : undefined,
      treeState: a ? a.treeState : 0,
      addressText: a ? a.toString() : undefined,
      parent,
      score: toHex(this.tree.rootScore),
      full,
      nearFull: a !== undefined && !roomBelow(a.coords, this.tree.params.join_margin, this.tree.params.address_levels),
      settled,
    };
    return this.#view;
  }

  /** Send one traffic message; an error code when the node refused it at once. */
  send(order: TrafficOrder): string | undefined {
    const nodeId = fromHex(order.dstId);
    if (!nodeId) return 'bad_argument';
    let address: Address | undefined;
    if (order.dstAddress !== undefined) {
      const bytes = fromHex(order.dstAddress);
      const parsed = bytes ? Address.fromBytes(order.dstTreeState, bytes) : undefined;
      if (!parsed?.ok) return 'bad_argument';
      address = parsed.value;
    }
    if (order.kind === 'ping') {
      const r = this.ping.request(address ?? nodeId, order.metric, order.messageId & 0xff);
      return r.ok ? undefined : r.error.code;
    }
    if (order.kind === 'held') {
      if (!this.sf) return 'no_store_forward';
      const r = this.sf.send(this.traffic.id, nodeId, this.traffic.messageBlob(order.messageId, order.size), { lifetimeMs: order.lifetimeMs, ...(address && { address }) });
      if (!r.ok) return r.error.code;
      this.#heldIds.set(r.value, order.messageId);
      return undefined;
    }
    const r = this.traffic.sendMessage(order.messageId, order.size, address ? { nodeId, address } : { nodeId }, order.metric);
    return r.ok ? undefined : r.error.code;
  }
}
