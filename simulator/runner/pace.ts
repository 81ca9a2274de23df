/**
 * Pacing a run by the wall clock (`--realtime`, `--dashboard`) without starving the process:
 * simulated work runs in slices of at most `sliceMs` wall ms, and between slices the event loop
 * gets a turn (HTTP requests of the dashboard, the hub's UDP packets, Ctrl-C). When the run
 * cannot keep up with `speed` it runs flat out, one slice after the other, and says how far
 * behind it is through `onPace`.
 *
 * Slicing never changes what happens in simulated time: the same timers run in the same order,
 * only the wall-clock moments at which they run differ. A run's report is therefore the same at
 * any speed (unless something outside the run, a console or an external node, acts on it).
 */
import type { VirtualClock } from '../engine/virtual-clock.js';

export interface Pacing {
  /** Simulated ms per wall ms. */
  readonly speed: number;
  /** Wall ms to wait between slices once the run is on time (default 5). */
  readonly tickMs?: number;
  /** Wall ms of simulated work at most before the event loop gets a turn (default 50). */
  readonly sliceMs?: number;
  /**
   * After every slice: how many simulated ms the run trails the wall clock × speed (0 when on
   * time; at most what is left of the run), the simulated time reached, and the wall ms the run
   * is late (wall time so far minus the wall time its simulated time should have taken).
   */
  readonly onPace?: (behindMs: number, simulatedMs: number, lateWallMs: number) => void;
}

/**
 * Runs timers up to `target`, stopping early (resolving to false) once the wall clock passes
 * `deadline`; resolves to true when every timer up to `target` ran.
 */
export type RunUntil = (target: number, deadline: number) => Promise<boolean>;

/** Runs until `end`, or until `signal` aborts (Ctrl-C). */
export async function runPaced(pacing: Pacing, clock: Pick<VirtualClock, 'now'>, end: number, runUntil: RunUntil, signal?: AbortSignal): Promise<void> {
  const { speed, tickMs = 5, sliceMs = 50 } = pacing;
  const wallStart = performance.now();
  while (clock.now() < end && !signal?.aborted) {
    const done = await runUntil(Math.min(end, (performance.now() - wallStart) * speed), performance.now() + sliceMs);
    const wall = performance.now() - wallStart;
    pacing.onPace?.(Math.max(0, Math.min(end, wall * speed) - clock.now()), clock.now(), Math.max(0, wall - clock.now() / speed));
    // On time: sleep a tick. Behind: only let pending I/O and timers run (setImmediate comes
    // after the poll phase, so a waiting HTTP request is answered), then go on flat out.
    await new Promise<void>((resolve) => (done ? setTimeout(resolve, tickMs) : setImmediate(resolve)));
  }
}
