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
