/**
 * Observability hooks with upstream's names (protocol.md §4.15): several callables per name,
 * de-duplicated. A hook that throws is contained and counted; it never breaks the caller.
 */
import type { Counters } from './counters.js';

export type Hook = (...args: never[]) => void;

export class Hooks {
  readonly #hooks = new Map<string, Hook[]>();
  readonly #counters: Counters;

  constructor(counters: Counters) {
    this.#counters = counters;
  }

  add(name: string, hook: Hook): void {
    const list = this.#hooks.get(name) ?? [];
    if (!list.includes(hook)) list.push(hook);
    this.#hooks.set(name, list);
  }

  remove(name: string, hook: Hook): void {
    const list = this.#hooks.get(name);
    if (!list) return;
    const i = list.indexOf(hook);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.#hooks.delete(name);
  }

  clear(name?: string): void {
    if (name === undefined) this.#hooks.clear();
    else this.#hooks.delete(name);
  }

  has(name: string): boolean {
    return this.#hooks.has(name);
  }

  call(name: string, ...args: unknown[]): void {
    const list = this.#hooks.get(name);
    if (!list) return;
    for (const h of list.slice()) {
      try {
        (h as (...a: unknown[]) => void)(...args);
      } catch {
        this.#counters.inc('hook_error');
      }
    }
  }
}
