/**
 * Observability hooks (protocol.md §4.15): several callables per event name, de-duplicated,
 * typed by an event map (name → argument tuple). A hook that throws is contained and counted;
 * it never breaks the caller.
 */
import type { Counters } from './counters.js';

/** An event map: each name's hooks receive that tuple of arguments. */
export type EventMap<E> = { [K in keyof E]: unknown[] };

export type Hook<A extends unknown[]> = (...args: A) => void;

/** How a hook is stored: the map's typing is enforced at `add` and `call`. */
type StoredHook = (...args: unknown[]) => void;

export class Hooks<E extends EventMap<E>> {
  readonly #hooks = new Map<keyof E, StoredHook[]>();
  readonly #counters: Counters;

  constructor(counters: Counters) {
    this.#counters = counters;
  }

  add<K extends keyof E>(name: K, hook: Hook<E[K]>): void {
    const list = this.#hooks.get(name) ?? [];
    if (!list.includes(hook as unknown as StoredHook)) list.push(hook as unknown as StoredHook);
    this.#hooks.set(name, list);
  }

  remove<K extends keyof E>(name: K, hook: Hook<E[K]>): void {
    const list = this.#hooks.get(name);
    if (!list) return;
    const i = list.indexOf(hook as unknown as StoredHook);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.#hooks.delete(name);
  }

  clear(name?: keyof E): void {
    if (name === undefined) this.#hooks.clear();
    else this.#hooks.delete(name);
  }

  has(name: keyof E): boolean {
    return this.#hooks.has(name);
  }

  call<K extends keyof E>(name: K, ...args: E[K]): void {
    const list = this.#hooks.get(name);
    if (!list) return;
    for (const h of list.slice()) {
      try {
        h(...args);
      } catch {
        this.#counters.inc('hook_error');
      }
    }
  }
}
