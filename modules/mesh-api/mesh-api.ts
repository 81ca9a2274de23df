/**
 * The mesh API object a host gives one app (api.ts says what an app sees). Built from closures
 * over the host's Node, so the app holds no reference to the Packager, the radio or the apps,
 * and frozen, so the app cannot change what the host relies on.
 *
 * Everything the app sets up (registered apps, timers, console commands, topics, its screen
 * page) is recorded here and undone by `close()`; every call the mesh makes into the app goes
 * through `guard`, which the runner (app-runner.ts) turns into "stop the app and report".
 * After `close()` every call is a no-op that answers `{ ok: false, error: 'stopped' }`.
 */
import type { Node } from '../mycelium/node.js';
import type { Hashes } from '../mycelium/platform/platform.js';
import type { TimerHandle } from '../mycelium/platform/platform.js';
import type { ConsoleCommand } from '../mycelium/apps/app.js';
import { Gossip } from '../mycelium/apps/gossip.js';
import { StoreForward } from '../mycelium/apps/store-forward.js';
import { Address } from '../mycelium/wire/address.js';
import { concatBytes, fromHex, toHex, utf8Decode, utf8Encode } from '../mycelium/wire/bytes.js';
import { Metric, NODE_ID_BYTES } from '../mycelium/wire/constants.js';
import { TOPIC_BYTES } from '../mycelium/wire/messages/gossip.js';
import { ChannelApp } from './channel-app.js';
import type { AppPort, AppSpec, Received, CommandSpec, MeshApi, PeerInfo, RouteInfo, ScreenLine, SendOptions, SendResult, SystemInfo, TimerId } from './api.js';

export const MESH_API_VERSION = 1;

export interface MeshApiLimits {
  readonly apps: number;
  readonly timers: number;
  readonly commands: number;
  readonly topics: number;
  readonly screenLines: number;
  readonly screenChars: number;
  /** Largest `data` of one send, broadcast or publish; larger answers `too_large` (nothing is copied or held). */
  readonly messageBytes: number;
}

export const DEFAULT_MESH_API_LIMITS: Readonly<MeshApiLimits> = Object.freeze({ apps: 4, timers: 16, commands: 8, topics: 8, screenLines: 9, screenChars: 40, messageBytes: 16 * 1024 });

/** What the host lends the API. */
export interface MeshApiHost {
  readonly node: Node;
  readonly hashes: Hashes;
  /** Board name setting. */
  readonly name?: string;
  battery?(): number | undefined;
  freeHeap?(): number | undefined;
  log(line: string): void;
  /** The app's screen page changed (no lines: remove it). */
  screen?(title: string, lines: readonly ScreenLine[]): void;
  /** Console commands that an app may not take. */
  readonly reservedCommands?: ReadonlySet<string>;
  readonly limits?: Partial<MeshApiLimits>;
  /** Sees every message the app sends and receives (the simulator's app ledger). */
  readonly observer?: MeshApiObserver;
}

/** Host-side view of an app's traffic; the app never sees it. `data` must not be changed. */
export interface MeshApiObserver {
  /** `code`: the error code when the mesh refused the call. */
  sent(app: string, how: 'send' | 'broadcast' | 'publish', data: Uint8Array, to: { readonly node?: string; readonly address?: string; readonly topic?: string }, ok: boolean, code?: string): void;
  /** `own`: the app's own publish, which Gossip hands back to its subscriber inside publish(). */
  received(app: string, data: Uint8Array, info: Received, own: boolean): void;
  subscribed(app: string, topic: string, on: boolean): void;
}

/** Runs a call into the app; the runner catches what it throws. */
export type Guard = <A extends unknown[]>(fn: (...args: A) => void, ...args: A) => void;

export interface MeshApiHandle {
  readonly api: MeshApi;
  /** Undo everything the app set up; the API goes dead. */
  close(): void;
  readonly closed: boolean;
  /** The mesh apps this API registered (tests, status). */
  readonly apps: readonly ChannelApp[];
}

const STOPPED: SendResult = Object.freeze({ ok: false, error: 'stopped' });
const OK: SendResult = Object.freeze({ ok: true });
const NAME_RE = /^[\x20-\x7e]{1,32}$/;
const COMMAND_RE = /^[a-z][a-z0-9_-]{0,23}$/;
const MAX_TOPIC_CHARS = 64;

export function createMeshApi(host: MeshApiHost, guard: Guard): MeshApiHandle {
  const limits = { ...DEFAULT_MESH_API_LIMITS, ...host.limits };
  const { node, hashes } = host;
  const platform = node.platform;
  const packager = node.packager;
  const apps: ChannelApp[] = [];
  const timers = new Map<number, TimerHandle>();
  const commands: ConsoleCommand[] = [];
  /** Status listeners on StoreForward, removed by close(). */
  const unlisten: (() => void)[] = [];
  let nextTimer = 1;
  let closed = false;
  let screenShown = false;
  /** The apps publishing right now, innermost last (see MeshApiObserver.received's `own`). */
  const publishing: ChannelApp[] = [];
  /** Holds the console commands when the app registered no mesh app. */
  let commandHolder: ChannelApp | undefined;

  const fail = (error: string): SendResult => Object.freeze({ ok: false, error });
  const bytesArg = (data: unknown, what: string): Uint8Array => {
    if (!(data instanceof Uint8Array)) throw new TypeError(`${what} must be a Uint8Array`);
    return data;
  };
  const topicId = (app: ChannelApp, name: string): Uint8Array => {
    if (typeof name !== 'string' || name.length === 0 || name.length > MAX_TOPIC_CHARS) throw new TypeError(`topic must be a string of 1-${MAX_TOPIC_CHARS} characters`);
    // Scoped to the app: two apps using the topic name "news" do not read each other.
    return hashes.sha256(concatBytes(app.id, utf8Encode(name))).slice(0, TOPIC_BYTES);
  };
  const appCommands = (): ConsoleCommand[] => commands.slice();

  function register(spec: AppSpec): AppPort {
    if (closed) throw new TypeError('the app is stopped');
    if (!spec || typeof spec !== 'object') throw new TypeError('register needs { name, receive? }');
    const { name, description = '', version = 0, receive, status } = spec;
    if (typeof name !== 'string' || !NAME_RE.test(name)) throw new TypeError('app name must be 1-32 printable ASCII characters');
    if (typeof description !== 'string' || description.length > 128) throw new TypeError('description must be a string of at most 128 characters');
    if (!Number.isInteger(version) || version < 0 || version > 0xffffffff) throw new TypeError('version must be an integer 0..2^32-1');
    if (receive !== undefined && typeof receive !== 'function') throw new TypeError('receive must be a function');
    if (status !== undefined && typeof status !== 'function') throw new TypeError('status must be a function');
    if (apps.length >= limits.apps) throw new TypeError(`an app may register at most ${limits.apps} mesh apps`);
    const observer = host.observer;
    const handler =
      (receive || observer) &&
      ((data: Uint8Array, info: Received) => {
        observer?.received(name, data, info, publishing[publishing.length - 1] === app);
        if (receive) guard(receive, data, info);
      });
    // Console commands hang on the first registered app (the console lists each name once).
    const app: ChannelApp = new ChannelApp(hashes, name, description, version, handler, (): ConsoleCommand[] => (app === apps[0] ? appCommands() : []));
    if (packager.application(app.id)) throw new TypeError(`an app with the id of "${name}" v${version} already runs on this node`);
    if (commandHolder) {
      node.removeApp(commandHolder);
      commandHolder = undefined;
    }
    apps.push(app);
    node.addApp(app);
    const sf = node.app(StoreForward);
    if (status && sf) {
      const appId = app.idHex;
      unlisten.push(sf.onStatus((key, s, a) => {
        if (!closed && toHex(a) === appId) guard(status, key, s);
      }));
    }
    return portOf(app);
  }

  function portOf(app: ChannelApp): AppPort {
    const gossip = () => node.app(Gossip);
    return hardened({
      id: app.idHex,
      send(to: string, data: Uint8Array, options: SendOptions = {}): SendResult {
        if (closed) return STOPPED;
        if (bytesArg(data, 'data').length > limits.messageBytes) return fail('too_large');
        const nodeId = typeof to === 'string' && to.length === NODE_ID_BYTES * 2 ? fromHex(to) : undefined;
        let address: Address | undefined;
        if (options.address !== undefined) {
          const a = typeof options.address === 'string' ? Address.parse(options.address) : undefined;
          if (!a?.ok) return fail('bad_address');
          address = a.value;
        }
        if (!nodeId && !address) return fail('bad_node_id');
        const metric = options.metric === 'dCPL' ? Metric.dCPL : Metric.dTree;
        const copy = data.slice();
        if (options.hold) {
          const sf = node.app(StoreForward);
          if (!sf?.started) return fail('no_store_forward');
          if (!nodeId) return fail('bad_node_id');
          const lifetimeMs = typeof options.hold === 'object' ? options.hold.lifetimeMs : undefined;
          if (lifetimeMs !== undefined && !(typeof lifetimeMs === 'number' && lifetimeMs > 0)) throw new TypeError('hold.lifetimeMs must be a positive number');
          const r = sf.send(app.id, nodeId, copy, { ...(lifetimeMs !== undefined && { lifetimeMs }), ...(address && { address }) });
          host.observer?.sent(app.name, 'send', copy, { node: to, ...(address && { address: options.address }) }, r.ok, r.ok ? undefined : r.error.code);
          return r.ok ? Object.freeze({ ok: true, id: r.value }) : fail(r.error.code === 'busy' ? 'store_full' : r.error.code);
        }
        const r = packager.send(app.id, copy, { ...(nodeId && { nodeId }), ...(address && { address }) }, { metric });
        host.observer?.sent(app.name, 'send', copy, { ...(nodeId && { node: to }), ...(address && { address: options.address }) }, r.ok, r.ok ? undefined : r.error.code);
        return r.ok ? OK : fail(r.error.code);
      },
      broadcast(data: Uint8Array): SendResult {
        if (closed) return STOPPED;
        if (bytesArg(data, 'data').length > limits.messageBytes) return fail('too_large');
        const copy = data.slice();
        const r = packager.broadcast(app.id, copy);
        host.observer?.sent(app.name, 'broadcast', copy, {}, r.ok, r.ok ? undefined : r.error.code);
        return r.ok ? OK : fail(r.error.code);
      },
      publish(topic: string, data: Uint8Array): SendResult {
        if (closed) return STOPPED;
        const id = topicId(app, topic);
        if (bytesArg(data, 'data').length > limits.messageBytes) return fail('too_large');
        const g = gossip();
        if (!g?.started) return fail('no_gossip');
        const copy = data.slice();
        publishing.push(app);
        let published = false;
        try {
          // Gossip drops a message it has seen (same topic and bytes) within its memory.
          published = g.publish(id, copy);
        } finally {
          publishing.pop();
        }
        host.observer?.sent(app.name, 'publish', copy, { topic }, published, published ? undefined : 'duplicate');
        return published ? OK : fail('duplicate');
      },
      subscribe(topic: string): SendResult {
        if (closed) return STOPPED;
        const id = topicId(app, topic);
        const key = toHex(id);
        const g = gossip();
        if (!g) return fail('no_gossip');
        if (!app.topics.has(key) && topicCount() >= limits.topics) return fail('too_many_topics');
        if (!g.subscribe(id, app.id)) return fail('topic_table_full');
        app.topics.set(key, topic);
        host.observer?.subscribed(app.name, topic, true);
        return OK;
      },
      held(id: string) {
        return closed || typeof id !== 'string' ? undefined : node.app(StoreForward)?.status(id);
      },
      unsubscribe(topic: string): void {
        if (closed) return;
        const id = topicId(app, topic);
        gossip()?.unsubscribe(id, app.id);
        if (app.topics.delete(toHex(id))) host.observer?.subscribed(app.name, topic, false);
      },
    });
  }

  const topicCount = () => apps.reduce((n, a) => n + a.topics.size, 0);

  function setTimer(callback: () => void, delayMs: number, repeat: boolean): TimerId {
    if (closed) return 0;
    if (typeof callback !== 'function') throw new TypeError('timer callback must be a function');
    if (typeof delayMs !== 'number' || !(delayMs >= 0) || delayMs > 0x7fffffff) throw new TypeError('timer delay must be 0..2^31-1 ms');
    if (repeat && delayMs < 10) throw new TypeError('an interval must be at least 10 ms');
    if (timers.size >= limits.timers) throw new TypeError(`an app may have at most ${limits.timers} pending timers`);
    const id = nextTimer++;
    const arm = (): void => {
      timers.set(
        id,
        platform.setTimeout(() => {
          if (closed || !timers.has(id)) return;
          if (repeat) arm();
          else timers.delete(id);
          guard(callback);
        }, delayMs),
      );
    };
    arm();
    return id;
  }

  function clearTimer(id: TimerId): void {
    const h = timers.get(id);
    if (h === undefined) return;
    timers.delete(id);
    platform.clearTimeout(h);
  }

  function command(spec: CommandSpec): void {
    if (closed) return;
    if (!spec || typeof spec.run !== 'function') throw new TypeError('command needs { name, help, run }');
    const name = spec.name;
    if (typeof name !== 'string' || !COMMAND_RE.test(name)) throw new TypeError('command name must be lower-case letters, digits, _ or -, starting with a letter');
    if (host.reservedCommands?.has(name)) throw new TypeError(`"${name}" is a built-in console command`);
    const i = commands.findIndex((c) => c.name === name);
    if (i < 0 && commands.length >= limits.commands) throw new TypeError(`an app may add at most ${limits.commands} commands`);
    const run = spec.run;
    const entry: ConsoleCommand = Object.freeze({
      name,
      help: String(spec.help ?? '').slice(0, 120),
      run: (args: readonly string[], output: (line: string) => void) => guard(run, Object.freeze(args.slice()), (line: string) => output(String(line))),
    });
    if (i >= 0) commands[i] = entry;
    else commands.push(entry);
    if (apps.length === 0 && !commandHolder) {
      commandHolder = new ChannelApp(hashes, 'app console', 'mesh api', 0, undefined, appCommands);
      node.addApp(commandHolder);
    }
  }

  function screen(title: string, lines: readonly ScreenLine[]): void {
    if (closed || !host.screen) return;
    if (!Array.isArray(lines)) throw new TypeError('screen lines must be an array of { label, value }');
    const cut = (s: unknown) => String(s ?? '').slice(0, limits.screenChars);
    const rows = lines.slice(0, limits.screenLines).map((l) => Object.freeze({ label: cut(l?.label), value: cut(l?.value) }));
    screenShown = rows.length > 0;
    host.screen(cut(title), Object.freeze(rows));
  }

  // peers, routes, system and root: the mesh-API contract's names, mapped from the parts of
  // node.state() each needs (a mod may ask on every reading: no whole snapshot for one figure).

  function peers(): PeerInfo[] {
    if (closed) return [];
    return node.peerStates().map((p) => Object.freeze({ id: p.id, addresses: Object.freeze(p.addrs), lastHeardMs: p.lastRxAgoMs }));
  }

  function routes(): RouteInfo[] {
    if (closed) return [];
    return node.routeStates().map((r) => Object.freeze({ id: r.nodeId, address: r.address }));
  }

  function system(): SystemInfo {
    const heap = safe(host.freeHeap);
    const battery = safe(host.battery);
    return Object.freeze({ uptimeMs: node.uptimeMs, ...(heap !== undefined && { freeHeap: heap }), ...(battery !== undefined && { battery }) });
  }

  function root(): string | undefined {
    const tree = node.treeState();
    return tree?.running ? tree.root : undefined;
  }

  const api: MeshApi = hardened({
    apiVersion: MESH_API_VERSION,
    nodeId: toHex(node.nodeId),
    nodeName: host.name ?? '',
    register,
    address: () => (closed ? undefined : packager.address?.toString()),
    root,
    peers,
    routes,
    system,
    now: () => platform.now(),
    setTimeout: (callback: () => void, delayMs: number) => setTimer(callback, delayMs, false),
    setInterval: (callback: () => void, everyMs: number) => setTimer(callback, everyMs, true),
    clearTimer,
    command,
    screen,
    log: (line: string) => {
      if (!closed) host.log(String(line).slice(0, 200));
    },
    randomBytes: (count: number) => {
      if (!Number.isInteger(count) || count < 1 || count > 64) throw new TypeError('randomBytes takes a count of 1-64');
      return platform.randomBytes(new Uint8Array(count));
    },
    encodeText: (text: string) => utf8Encode(String(text)),
    decodeText: (bytes: Uint8Array) => utf8Decode(bytesArg(bytes, 'bytes')),
  });

  return {
    api,
    get closed() {
      return closed;
    },
    get apps() {
      return apps;
    },
    close(): void {
      if (closed) return;
      closed = true;
      for (const u of unlisten.splice(0)) u();
      for (const h of timers.values()) platform.clearTimeout(h);
      timers.clear();
      const g = node.app(Gossip);
      for (const app of apps) {
        for (const [key, topic] of app.topics) {
          const id = fromHex(key);
          if (id) g?.unsubscribe(id, app.id);
          host.observer?.subscribed(app.name, topic, false);
        }
        node.removeApp(app);
      }
      if (commandHolder) node.removeApp(commandHolder);
      commandHolder = undefined;
      commands.length = 0;
      if (screenShown) host.screen?.('', []);
    },
  };
}

/** Freeze the object and the functions on it, so an app cannot hang anything on them. */
function hardened<T extends object>(o: T): T {
  for (const v of Object.values(o)) if (typeof v === 'function') Object.freeze(v);
  return Object.freeze(o);
}

function safe(f: (() => number | undefined) | undefined): number | undefined {
  try {
    const v = f?.();
    return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
  } catch {
    return undefined;
  }
}
