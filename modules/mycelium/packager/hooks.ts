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

/**
 * Each name's hooks as pairs, flat: hook, `this` it is called with, hook, `this`, … An app hands
 * in a method of its class and itself rather than an arrow closing over itself (≈ 200 B each on
 * XS, issue 21); a plain function comes with `undefined`.
 */
type Pairs = unknown[];

export class Hooks<E extends EventMap<E>> {
  private readonly hooks = new Map<keyof E, Pairs>();
  private readonly counters: Counters;

  constructor(counters: Counters) {
    this.counters = counters;
  }

  /** Add `hook` (called with `thisArg` as `this`); the same pair twice is kept once. */
  add<K extends keyof E>(name: K, hook: Hook<E[K]>, thisArg?: object): void {
    const list = this.hooks.get(name) ?? [];
    if (indexOfPair(list, hook, thisArg) < 0) list.push(hook, thisArg);
    this.hooks.set(name, list);
  }

  remove<K extends keyof E>(name: K, hook: Hook<E[K]>, thisArg?: object): void {
    const list = this.hooks.get(name);
    if (!list) return;
    const i = indexOfPair(list, hook, thisArg);
    if (i >= 0) list.splice(i, 2);
    if (list.length === 0) this.hooks.delete(name);
  }

  clear(name?: keyof E): void {
    if (name === undefined) this.hooks.clear();
    else this.hooks.delete(name);
  }

  /**
   * Whether any hook listens for `name`. The per-frame and per-timer callers ask first: on XS a
   * `call` with nothing to call still costs the call, its rest arguments' array and a lookup
   * (350 K calls on telemetry-25, 13.9 K with a hook to run; issue 21).
   */
  has(name: keyof E): boolean {
    return this.hooks.has(name);
  }

  call<K extends keyof E>(name: K, ...args: E[K]): void {
    const list = this.hooks.get(name);
    if (!list) return;
    const pairs = list.slice();
    for (let i = 0; i < pairs.length; i += 2) {
      try {
        (pairs[i] as StoredHook).apply(pairs[i + 1], args);
      } catch {
        this.counters.inc('hook_error');
      }
    }
  }
}

function indexOfPair(list: Pairs, hook: unknown, thisArg: unknown): number {
  for (let i = 0; i < list.length; i += 2) if (list[i] === hook && list[i + 1] === thisArg) return i;
  return -1;
}
