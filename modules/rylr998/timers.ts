/**
 * The clock and timers the driver needs, structurally the same as the mesh platform's (a
 * `Platform` fits), declared here because a driver imports nothing outside its folder on XS.
 */
export type TimerHandle = unknown;

export interface Timers {
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export interface DriverClock extends Timers {
  now(): number;
  /** Fills `into` with random bytes (jitter). */
  randomBytes(into: Uint8Array): Uint8Array;
}
