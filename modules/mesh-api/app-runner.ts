/**
 * Runs one mesh app (the default export of a mod's entry module) on a node: gives it a fresh
 * mesh API, and stops it the first time it throws, from `start` or from any callback the mesh
 * makes into it (receive, timers, console commands). Stopping undoes everything it set up
 * (mesh-api.ts `close`), reports the error once through `onFailure`, and leaves the node and
 * the other apps running. Nothing here throws at the host.
 */
import { createMeshApi, type MeshApiHandle, type MeshApiHost } from './mesh-api.js';
import type { AppInstance, AppMain } from './api.js';

export type AppState = 'running' | 'stopped' | 'failed';

export interface AppStatus {
  readonly name: string;
  readonly state: AppState;
  /** What it threw, when `failed`. */
  readonly error?: string;
}

export interface AppRunnerHost extends MeshApiHost {
  /** The app threw and was stopped (default: a log line). */
  onFailure?(name: string, error: string): void;
}

export class AppRunner {
  readonly name: string;
  readonly #host: AppRunnerHost;
  #handle: MeshApiHandle | undefined;
  #instance: AppInstance | undefined;
  #state: AppState = 'stopped';
  #error: string | undefined;

  /** `name` is how the host calls the app (its mod or scenario name), for status and errors. */
  constructor(name: string, host: AppRunnerHost) {
    this.name = name;
    this.#host = host;
  }

  get status(): AppStatus {
    return Object.freeze({ name: this.name, state: this.#state, ...(this.#error !== undefined && { error: this.#error }) });
  }

  /** The API handle while running (tests look at what the app registered). */
  get handle(): MeshApiHandle | undefined {
    return this.#handle;
  }

  /** Start `main` with `options`; false when it threw (then the status says why). */
  start(main: unknown, options: Readonly<Record<string, unknown>> = {}): boolean {
    if (this.#state === 'running') this.stop();
    this.#error = undefined;
    if (typeof main !== 'function') {
      this.#fail(new TypeError('the app module has no default export function (export default function start(mesh, options) { … })'));
      return false;
    }
    const handle = createMeshApi(this.#host, (fn, ...args) => this.#guarded(handle, fn as unknown as (...a: never[]) => void, args));
    this.#handle = handle;
    this.#state = 'running';
    try {
      const instance = (main as AppMain)(handle.api, Object.freeze({ ...options }));
      if (handle.closed) return false; // it failed inside a callback it triggered itself
      this.#instance = instance && typeof instance === 'object' ? instance : undefined;
      return true;
    } catch (e) {
      this.#fail(e);
      return false;
    }
  }

  /** Ask the app to stop (its `stop()`), then undo what it set up. */
  stop(): void {
    if (this.#state !== 'running') return;
    const instance = this.#instance;
    this.#instance = undefined;
    try {
      if (typeof instance?.stop === 'function') instance.stop();
    } catch {
      // It is stopping anyway; a failing stop() is not worth a report.
    }
    this.#handle?.close();
    this.#state = 'stopped';
  }

  #guarded(handle: MeshApiHandle, fn: (...a: never[]) => void, args: readonly unknown[]): void {
    if (handle.closed || handle !== this.#handle) return;
    try {
      (fn as (...a: unknown[]) => void)(...args);
    } catch (e) {
      this.#fail(e);
    }
  }

  #fail(e: unknown): void {
    this.#instance = undefined;
    this.#state = 'failed';
    this.#error = errorText(e);
    this.#host.node.packager.counters.inc('app_failed');
    try {
      this.#handle?.close();
    } catch {
      // Closing undoes the app's registrations; a failure there must not reach the host.
    }
    try {
      if (this.#host.onFailure) this.#host.onFailure(this.name, this.#error);
      else this.#host.log(`app ${this.name} stopped: ${this.#error}`);
    } catch {
      // The report is best effort: the node must keep running.
    }
  }
}

/**
 * What `e` says, for the status and the report. A mod chooses what it throws: an Error whose
 * `message` is a Symbol, whose `name` getter throws, a Proxy whose prototype trap throws. Each
 * step is guarded, so describing the failure can never become a second failure in the host.
 */
function errorText(e: unknown): string {
  try {
    if (e instanceof Error) return `${text(() => e.name, 'Error')}: ${text(() => e.message, '')}`;
  } catch {
    // instanceof itself can throw (a Proxy): fall through to String.
  }
  return text(() => e, 'an unprintable value');
}

/** `read()` as a string, or `fallback` when reading or converting it throws. */
function text(read: () => unknown, fallback: string): string {
  try {
    const v = read();
    return typeof v === 'string' ? v : String(v);
  } catch {
    return fallback;
  }
}
