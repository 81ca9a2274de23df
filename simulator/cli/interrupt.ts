/**
 * Ctrl-C during a run: the first SIGINT stops the simulation where it is (the run still builds
 * its report, marked partial); the listener is gone once the run is over, so a second Ctrl-C
 * during the writing ends the process the usual way.
 */
export interface Interrupt {
  readonly signal: AbortSignal;
  readonly interrupted: () => boolean;
  /** Stop listening (call when the run returned). */
  readonly dispose: () => void;
}

/** Exit code of a run stopped by Ctrl-C (128 + SIGINT, as shells report it). */
export const INTERRUPTED_EXIT = 130;

export function listenForInterrupt(): Interrupt {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  return {
    signal: controller.signal,
    interrupted: () => controller.signal.aborted,
    dispose: () => void process.off('SIGINT', stop),
  };
}
