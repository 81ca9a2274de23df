/**
 * What the sender of held messages is told (docs/store-forward.md "Status"): the status of each
 * of its recent bundles, newest kept, and listeners called on every change. A final status
 * (delivered, expired, evicted) is never undone by late news such as an IN_CUSTODY that
 * arrives after the receipt.
 */
export type HeldStatus = 'queued' | 'in_custody' | 'delivered' | 'expired' | 'evicted';

/** Told about every change: the bundle's key, its new status, its app id and destination. */
export type StatusListener = (key: string, status: HeldStatus, app: Uint8Array, dest: Uint8Array) => void;

const FINAL: ReadonlySet<HeldStatus> = new Set(['delivered', 'expired', 'evicted']);

export class HeldStatuses {
  /** key → status, app, destination; oldest first, at most `limit`. */
  readonly #tracked = new Map<string, { status: HeldStatus; app: Uint8Array; dest: Uint8Array }>();
  readonly #listeners: StatusListener[] = [];
  readonly #limit: number;
  /** A listener threw (counted by the owner; the others still run). */
  readonly #onError: () => void;

  constructor(limit: number, onError: () => void) {
    this.#limit = Math.max(1, limit);
    this.#onError = onError;
  }

  listen(listener: StatusListener): () => void {
    this.#listeners.push(listener);
    return () => {
      const i = this.#listeners.indexOf(listener);
      if (i >= 0) this.#listeners.splice(i, 1);
    };
  }

  get(key: string): HeldStatus | undefined {
    return this.#tracked.get(key)?.status;
  }

  entries(): IterableIterator<[string, { status: HeldStatus; dest: Uint8Array }]> {
    return this.#tracked.entries();
  }

  /** A new bundle of ours. */
  start(key: string, app: Uint8Array, dest: Uint8Array): void {
    this.#tracked.set(key, { status: 'queued', app, dest });
    while (this.#tracked.size > this.#limit) this.#tracked.delete(this.#tracked.keys().next().value as string);
    this.#emit(key, 'queued', app, dest);
  }

  set(key: string, status: HeldStatus): void {
    const t = this.#tracked.get(key);
    if (!t || t.status === status || FINAL.has(t.status)) return;
    t.status = status;
    this.#emit(key, status, t.app, t.dest);
  }

  #emit(key: string, status: HeldStatus, app: Uint8Array, dest: Uint8Array): void {
    for (const l of this.#listeners.slice()) {
      try {
        l(key, status, app, dest);
      } catch {
        this.#onError();
      }
    }
  }
}
