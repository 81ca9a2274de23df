/**
 * Real-time mode: advance a VirtualClock with wall time, so external nodes (over the UDP hub)
 * and in-process nodes share one timeline. Each tick advances by the wall time elapsed since
 * the previous one (times `speed`), so a late tick catches up rather than drifting.
 */
import type { VirtualClock } from './virtual-clock.js';

export interface RealtimeOptions {
  /** Wall ms between ticks (default 5). */
  tickMs?: number;
  /** Simulated ms per wall ms (default 1). */
  speed?: number;
  /** Wall clock in ms (default performance.now). */
  wallNow?: () => number;
  /** Do not keep the process alive for the ticks alone (default false). */
  unref?: boolean;
}

export class RealtimeDriver {
  readonly #clock: VirtualClock;
  readonly #tickMs: number;
  readonly #speed: number;
  readonly #wallNow: () => number;
  readonly #unref: boolean;
  #timer: ReturnType<typeof setInterval> | undefined;
  #lastWall = 0;

  constructor(clock: VirtualClock, options: RealtimeOptions = {}) {
    this.#clock = clock;
    this.#tickMs = options.tickMs ?? 5;
    this.#speed = options.speed ?? 1;
    this.#wallNow = options.wallNow ?? (() => performance.now());
    this.#unref = options.unref ?? false;
  }

  get running(): boolean {
    return this.#timer !== undefined;
  }

  start(): void {
    if (this.#timer) return;
    this.#lastWall = this.#wallNow();
    this.#timer = setInterval(() => this.tick(), this.#tickMs);
    if (this.#unref) (this.#timer as { unref?: () => void }).unref?.();
  }

  /** Advance by the wall time since the last tick; returns the number of timers fired. */
  tick(): number {
    const wall = this.#wallNow();
    const elapsed = (wall - this.#lastWall) * this.#speed;
    this.#lastWall = wall;
    return elapsed > 0 ? this.#clock.advance(elapsed) : 0;
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
