/**
 * Timers longer than a host's timer can count. Moddable's `Timer.set` reads its delay with
 * `xsmcToInteger` (a signed 32-bit integer) and Node's `setTimeout` turns any delay past
 * 2^31 − 1 ms (24.8 days) into 1 ms: such a timer fired at once. The Packager's scheduler then
 * runs its earliest event, which was not due yet. A settings change (a period in seconds, a
 * lifetime) could ask for one; this chains timers of at most `MAX_TIMER_MS` instead.
 */
/** Moddable's `timer` module, as far as we use it. */
export interface TimerApi {
  set(callback: () => void, delayMs: number): unknown;
  clear(timer: unknown): void;
}

/** The longest delay every host's timer takes as it is, ms. */
export const MAX_TIMER_MS = 0x7fffffff;

/** A timer in steps of at most MAX_TIMER_MS: `handle` is the step's. */
class LongTimer {
  handle: unknown;
  constructor(handle: unknown) {
    this.handle = handle;
  }
}

/** `timer.set` for any delay (negative: 0), returning a handle `clearLong` takes. */
export function setLong(timer: TimerApi, callback: () => void, delayMs: number): unknown {
  const ms = delayMs > 0 ? delayMs : 0;
  if (ms <= MAX_TIMER_MS) return timer.set(callback, ms);
  const long = new LongTimer(undefined);
  let left = ms;
  const step = (): void => {
    left -= MAX_TIMER_MS;
    if (left > MAX_TIMER_MS) long.handle = timer.set(step, MAX_TIMER_MS);
    else long.handle = timer.set(callback, left);
  };
  long.handle = timer.set(step, MAX_TIMER_MS);
  return long;
}

/** Clear a handle `setLong` gave. */
export function clearLong(timer: TimerApi, handle: unknown): void {
  if (handle === undefined) return;
  timer.clear(handle instanceof LongTimer ? handle.handle : handle);
}
