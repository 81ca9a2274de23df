/**
 * Upstream's modem-sleep cycle (protocol.md §4.10 `work`), event-driven: every `activeMs` the
 * node decides whether to sleep. Recent traffic (each send, broadcast and receive queues a
 * "sleep skip", at most 10) keeps it awake for one more period; otherwise every radio sleeps
 * for `sleepMs` and is woken again. Peers reach a sleeping node with RNS probes spaced to cover
 * one sleep + wake cycle. Off by default, as on upstream's device mains.
 */
import { MODEM_SLEEP_MS, MODEM_WAKE_MS } from '../wire/constants.js';
import type { Packager } from './packager.js';

export interface ModemSleepOptions {
  readonly sleepMs?: number;
  readonly activeMs?: number;
}

const EVENT = 'modem-sleep';

export class ModemSleep {
  readonly sleepMs: number;
  readonly activeMs: number;
  readonly #packager: Packager;
  #running = false;
  #asleep = false;
  /** Completed sleep periods and skipped decisions, for stats. */
  sleeps = 0;
  skips = 0;

  constructor(packager: Packager, options: ModemSleepOptions = {}) {
    this.#packager = packager;
    this.sleepMs = options.sleepMs ?? MODEM_SLEEP_MS;
    this.activeMs = options.activeMs ?? MODEM_WAKE_MS;
  }

  get asleep(): boolean {
    return this.#asleep;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#packager.schedule(EVENT, this.activeMs, () => this.#decide());
  }

  stop(): void {
    if (!this.#running) return;
    this.#running = false;
    this.#packager.cancel(EVENT);
    if (this.#asleep) this.#wake();
  }

  #decide(): void {
    if (!this.#running) return;
    if (this.#packager.takeSleepSkip()) {
      this.skips++;
      this.#packager.callHook('sleepskip');
      this.#packager.schedule(EVENT, this.activeMs, () => this.#decide());
      return;
    }
    this.#packager.callHook('modemsleep');
    this.#asleep = true;
    for (const i of this.#packager.interfaces) i.radio.sleep?.(this.sleepMs);
    this.#packager.schedule(EVENT, this.sleepMs, () => {
      this.#wake();
      this.sleeps++;
      if (this.#running) this.#packager.schedule(EVENT, this.activeMs, () => this.#decide());
    });
  }

  #wake(): void {
    this.#asleep = false;
    for (const i of this.#packager.interfaces) i.radio.wake?.();
    this.#packager.callHook('wake');
  }
}
