/**
 * Named event counters: every frame the node drops is counted under its reason, so a user can
 * ask "why did my packet vanish?" and read the answer in `node.state()`. Names are checked
 * against `CounterName` (counter-names.ts).
 */
import type { CounterName } from './counter-names.js';

export type { CounterName } from './counter-names.js';

export class Counters {
  private readonly values: Record<string, number> = Object.create(null) as Record<string, number>;

  inc(name: CounterName, by = 1): void {
    this.values[name] = (this.values[name] ?? 0) + by;
  }

  get(name: CounterName): number {
    return this.values[name] ?? 0;
  }

  /** A copy, names sorted, for display and reports. */
  snapshot(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const k of Object.keys(this.values).sort()) out[k] = this.values[k];
    return out;
  }

  clear(): void {
    for (const k of Object.keys(this.values)) delete this.values[k];
  }
}
