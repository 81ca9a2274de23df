/**
 * Whether a live run keeps up with `--speed`, for the page (the "behind" badge) and the terminal
 * (one line when the run falls behind, one every LOG_EVERY_MS while it stays behind, one when it
 * catches up). A run counts as behind when it is late by more than BEHIND_WALL_MS of wall time
 * (wall time so far minus what its simulated time should have taken at `speed`): a single slow
 * slice is not worth a word.
 */

export interface PaceInfo {
  /** Simulated ms per wall ms asked for. */
  readonly speed: number;
  /** Simulated ms the run trails the wall clock × speed (0: on time). */
  readonly behind_ms: number;
  /** Whether the run is late by more than BEHIND_WALL_MS of wall time (it is going flat out). */
  readonly behind: boolean;
  /** Simulated time reached. */
  readonly now_ms: number;
}

const BEHIND_WALL_MS = 1000;
const LOG_EVERY_MS = 10_000;

export class PaceWatch {
  readonly #speed: number;
  readonly #log: (line: string) => void;
  #info: PaceInfo;
  #loggedAt = -Infinity;

  constructor(speed: number, log: (line: string) => void) {
    this.#speed = speed;
    this.#log = log;
    this.#info = { speed, behind_ms: 0, behind: false, now_ms: 0 };
  }

  get info(): PaceInfo {
    return this.#info;
  }

  /** Pacing.onPace. */
  update(behindMs: number, simulatedMs: number, lateWallMs: number): void {
    const was = this.#info.behind;
    const behind = lateWallMs > BEHIND_WALL_MS;
    this.#info = { speed: this.#speed, behind_ms: Math.round(behindMs), behind, now_ms: Math.round(simulatedMs) };
    const wall = performance.now();
    if (behind && (!was || wall - this.#loggedAt >= LOG_EVERY_MS)) {
      this.#loggedAt = wall;
      this.#log(`dashboard: behind by ${(behindMs / 1000).toFixed(1)} s of simulated time at ×${this.#speed}, running as fast as it can`);
    } else if (!behind && was) {
      this.#log(`dashboard: caught up with ×${this.#speed}`);
    }
  }

  /** The run is over: nothing trails any more. */
  end(): void {
    this.#info = { ...this.#info, behind_ms: 0, behind: false };
  }
}
