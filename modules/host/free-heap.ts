/**
 * Free heap in bytes for apps' `system()`, from Moddable's instrumentation. Debug and `-i`
 * builds have it (mods are installed on debug builds); a release build's `map` answers
 * undefined, and then the reader does too. Moddable-only.
 */
import Instrumentation from 'instrumentation';

export function freeHeapReader(): () => number | undefined {
  let index: number | undefined;
  try {
    index = Instrumentation.map('System Free Memory');
  } catch {
    index = undefined;
  }
  if (typeof index !== 'number') return () => undefined;
  const at = index;
  // 0 means the platform registered no reading (the desktop simulator).
  return () => {
    const v = Instrumentation.get(at);
    return typeof v === 'number' && v > 0 ? v : undefined;
  };
}

/**
 * Live XS heap in bytes (slots + chunks in use, this build's slot size), for hosts/sim's
 * `memory:` line (issue 21; `npm run test:moddable` prints it). Undefined where the build has no
 * such instruments (a release build) or the platform reports none.
 */
export function heapUsedReader(): () => number | undefined {
  let at: number[] = [];
  try {
    at = (['XS Slot Heap Used', 'XS Chunk Heap Used'] as const).map((name) => Instrumentation.map(name) as number);
  } catch {
    at = [];
  }
  if (at.length !== 2 || at.some((i) => typeof i !== 'number')) return () => undefined;
  return () => {
    const [slots, chunks] = at.map((i) => Instrumentation.get(i));
    return typeof slots === 'number' && typeof chunks === 'number' && slots > 0 ? slots + chunks : undefined;
  };
}
