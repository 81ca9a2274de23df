/**
 * The base of every mesh app (upstream's `Application`, protocol.md §4.14, §6): an id derived
 * from name, description and version; per-node parameters over defaults; named callbacks that
 * can be invoked remotely or from the console (`invoke`/`available`); app hooks; console
 * commands. One instance per Node: nothing is shared between nodes or kept at module level.
 */
import { appId } from '../wire/ids.js';
import { toHex } from '../wire/bytes.js';
import { unwrap } from '../wire/result.js';
import type { Hashes } from '../platform/platform.js';
import type { Node, NodeApp } from '../node.js';
import type { Packager } from '../packager/packager.js';
import type { Delivery } from '../packager/application.js';

export type Callback = (...args: never[]) => unknown;

/** An app hook (upstream's: one per name). */
export type AppHook = (...args: unknown[]) => void;

/** A console command an app offers: `run` gets the words after the command name. */
export interface ConsoleCommand {
  readonly name: string;
  readonly help: string;
  run(args: readonly string[], output: (line: string) => void): void;
}

/** `node` and `packager` of an app not started: reading either throws (frozen: shared by every app). */
const NOT_STARTED: PropertyDescriptor = Object.freeze({ configurable: true, get: notStarted });

function notStarted(this: { readonly name: string }): never {
  throw new Error(`${this.name} is not started`);
}

/**
 * An app's `node` and `packager` as its first two own properties: a data property each while
 * started, the throwing accessor above otherwise. On XS a property read walks the object's own
 * properties in the order they were made, then each prototype's: as getters on MeshApp they
 * were a call each, found after every field of the app and every method of its class (≈ 19
 * steps for `packager`, read 1.37 M times on telemetry-25; `node` ≈ 29; issue 21). A base class
 * because its constructor runs before any field of MeshApp or its subclasses is made.
 */
abstract class StartedPorts {
  declare readonly node: Node;
  declare readonly packager: Packager;

  constructor() {
    Object.defineProperty(this, 'node', NOT_STARTED);
    Object.defineProperty(this, 'packager', NOT_STARTED);
  }
}

export abstract class MeshApp<P extends object = Record<string, unknown>> extends StartedPorts implements NodeApp {
  readonly id: Uint8Array;
  readonly idHex: string;
  readonly name: string;
  readonly description: string;
  readonly version: number;
  readonly params: P;
  /** Created when first asked for (console, remote invoke): most nodes never are (issue 21). */
  #callbacks: Map<string, Callback> | undefined;
  #callbacksReady = false;
  /** A hook, or a hook with the `this` it is called with (a method and its app: no closure, issue 21). */
  // Made on the first hook: most apps never get one (an empty Map 80 B on XS, issue 21).
  #hooks: Map<string, AppHook | readonly [AppHook, object]> | undefined;
  #node: Node | undefined;

  constructor(hashes: Hashes, name: string, description: string, version: number, defaults: P, params: Partial<P> = {}) {
    super();
    this.name = name;
    this.description = description;
    this.version = version;
    this.id = unwrap(appId(hashes, name, description, version));
    this.idHex = toHex(this.id);
    // Without overrides the app keeps `defaults` itself: the standard apps pass frozen constants,
    // shared by every node, instead of a copy of 10–30 properties each (issue 21). An app that
    // changes its params at run time (DebugApp) passes a fresh object.
    this.params = Object.keys(params).length > 0 ? { ...defaults, ...params } : defaults;
  }

  get started(): boolean {
    return this.#node !== undefined;
  }

  /** Platform ms on the node; 0 while not started. The clock an app's tables read (issue 21: no closure). */
  now(): number {
    return this.#node ? this.#node.platform.now() : 0;
  }

  /** Gives the app its node (`node`, `packager`: see StartedPorts), then starts it. */
  start(node: Node): void {
    this.#node = node;
    Object.defineProperty(this, 'node', { configurable: true, value: node });
    Object.defineProperty(this, 'packager', { configurable: true, value: node.packager });
    this.onStart();
  }

  stop(): void {
    if (!this.#node) return;
    this.onStop();
    this.#node = undefined;
    Object.defineProperty(this, 'node', NOT_STARTED);
    Object.defineProperty(this, 'packager', NOT_STARTED);
  }

  /** Verified blobs addressed to this app. */
  receive(blob: Uint8Array, from: Delivery): void {
    if (this.#hooks !== undefined) this.callHook('receive', blob, from);
    if (this.#node) this.onReceive(blob, from);
  }

  protected abstract onReceive(blob: Uint8Array, from: Delivery): void;
  protected onStart(): void {}
  protected onStop(): void {}

  // ------------------------------------------------------------ callbacks (upstream invoke/available)

  protected expose(name: string, fn: Callback): void {
    (this.#callbacks ??= new Map()).set(name, fn);
  }

  /**
   * Where an app exposes its callbacks (with `expose`): called once, the first time a callback
   * is asked for, so that a node nobody invokes holds no closure per callback (issue 21).
   */
  protected exposeCallbacks(): void {}

  #exposed(): Map<string, Callback> {
    if (!this.#callbacksReady) {
      this.#callbacksReady = true;
      this.exposeCallbacks();
    }
    return (this.#callbacks ??= new Map());
  }

  /** The callable names, or whether one exists. */
  available(name?: string): string[] | boolean {
    const callbacks = this.#exposed();
    return name === undefined ? [...callbacks.keys()] : callbacks.has(name);
  }

  /** Call a callback by name (hooks `invoke` then one named like the callback run first). */
  invoke(name: string, ...args: unknown[]): unknown {
    const fn = this.#exposed().get(name);
    if (!fn) throw new Error(`${this.name} has no callback "${name}"`);
    this.callHook('invoke', name, ...args);
    this.callHook(name, ...args);
    return (fn as (...a: unknown[]) => unknown)(...args);
  }

  // ------------------------------------------------------------ app hooks (one per name, as upstream)

  addHook(name: string, hook: AppHook, thisArg?: object): void {
    (this.#hooks ??= new Map()).set(name, thisArg === undefined ? hook : [hook, thisArg]);
  }

  removeHook(name: string): void {
    this.#hooks?.delete(name);
  }

  /** Run a hook; a failing hook is counted on the node, never thrown. */
  callHook(name: string, ...args: unknown[]): void {
    const h = this.#hooks?.get(name);
    if (!h) return;
    try {
      if (typeof h === 'function') h(...args);
      else h[0].apply(h[1], args);
    } catch {
      this.#node?.packager.counters.inc('app_hook_error');
    }
  }

  /** Console commands this app adds (the console registers them by name). */
  commands(): ConsoleCommand[] {
    return [];
  }

  /** An event id private to this app and node. */
  protected eventId(suffix: string): string {
    return this.idHex + ':' + suffix;
  }
}
