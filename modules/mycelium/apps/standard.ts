/**
 * The standard node: upstream's five apps (Beacon, Gossip, SpanningTree, Ping, DebugApp) and our
 * Hello (link quality and tree heartbeat, docs/routing.md; upstream ignores its app id), built
 * and added to a Node in one place, so boards, the desktop host and the simulator run the same
 * set in the same order (the order is the order of app ids in beacons, so it is on the air).
 *
 * Per-app parameters override the defaults; `debug: false` leaves DebugApp out (the simulator
 * does, and puts its own traffic app after the others).
 */
import type { Hashes } from '../platform/platform.js';
import type { Node } from '../node.js';
import { Beacon, type BeaconParams } from './beacon.js';
import { Gossip, type GossipParams } from './gossip.js';
import { SpanningTree, type SpanningTreeParams } from './spanning-tree.js';
import { Ping, type PingParams } from './ping.js';
import { DebugApp, type DebugParams } from './debug.js';
import { Hello, type HelloParams } from './hello.js';
import { RouteVector, type RouteVectorParams } from './route-vector.js';

export interface StandardAppOptions {
  readonly beacon?: Partial<BeaconParams>;
  readonly gossip?: Partial<GossipParams>;
  readonly spanningTree?: Partial<SpanningTreeParams>;
  readonly ping?: Partial<PingParams>;
  /** DebugApp parameters, or false to run without DebugApp (default: with it). */
  readonly debug?: Partial<DebugParams> | false;
  /** Hello parameters, or false for a node that speaks only upstream's protocol (no link estimates, slow repair). */
  readonly hello?: Partial<HelloParams> | false;
  /** RouteVector parameters (ours: hop counts that spread the relaying, on in the LoRa defaults); absent or false: not run. */
  readonly routeVector?: Partial<RouteVectorParams> | false;
}

/**
 * What a node in modem sleep runs differently unless told otherwise (docs/sleep.md "Session 21").
 * Its tree advert is gossiped when its address changes and every 4 minutes, not at every
 * maintenance round as upstream does: each round's adverts flood the whole mesh, and in an aligned
 * sleep mesh all of it falls in the shared windows (65 % of the bytes on air on
 * `sleep-random-lossy-40`, pings seconds late). Its tree lasts 3 minutes without a refresh, not
 * 1: below a parent that does not speak Hello (an upstream node, asleep in its own cycle) the
 * refresh comes only from that parent's adverts, of which a sleeper hears a share; with 1 minute
 * whole branches aged out together (`sleep-mixed-40` 88 % without the floods, 97.8 % with 3
 * minutes). Where the root's heartbeat reaches, it repairs the tree in seconds whatever the age.
 */
export const SLEEPING_TREE: Partial<SpanningTreeParams> = Object.freeze({ pub_each_round: false, pub_refresh_ms: 240_000, max_tree_age: 180 });

/** The standard apps of one node, typed, and in the order they were added. */
export type StandardApp = Beacon | Gossip | SpanningTree | Ping | DebugApp | Hello | RouteVector;

export interface StandardApps {
  readonly beacon: Beacon;
  readonly gossip: Gossip;
  readonly tree: SpanningTree;
  readonly ping: Ping;
  readonly debug: DebugApp | undefined;
  readonly hello: Hello | undefined;
  readonly routeVector: RouteVector | undefined;
  readonly list: readonly StandardApp[];
}

/** Build the standard apps (not yet on a node: the simulator builds them once to learn ids). */
export function standardApps(hashes: Hashes, options: StandardAppOptions = {}): StandardApps {
  const beacon = new Beacon(hashes, options.beacon);
  const gossip = new Gossip(hashes, options.gossip);
  const tree = new SpanningTree(hashes, options.spanningTree);
  const ping = new Ping(hashes, options.ping);
  const debug = options.debug === false ? undefined : new DebugApp(hashes, options.debug);
  const hello = options.hello === false ? undefined : new Hello(hashes, options.hello);
  const routeVector = options.routeVector ? new RouteVector(hashes, options.routeVector) : undefined;
  const list: StandardApp[] = [beacon, gossip, tree, ping];
  if (debug) list.push(debug);
  if (hello) list.push(hello);
  if (routeVector) list.push(routeVector);
  return { beacon, gossip, tree, ping, debug, hello, routeVector, list: Object.freeze(list) };
}

/**
 * Build the standard apps and add them to `node` (they start with it, or now if it runs).
 * `hashes` defaults to the node's platform (the simulator passes its memoizing one).
 */
export function addStandardApps(node: Node, options: StandardAppOptions = {}, hashes: Hashes = node.platform): StandardApps {
  const sleeping = node.modemSleep ? { ...options, spanningTree: { ...SLEEPING_TREE, ...options.spanningTree } } : options;
  const apps = standardApps(hashes, sleeping);
  for (const app of apps.list) node.addApp(app);
  return apps;
}
