/**
 * The RYLR-998 drivers' counters of a run, per node, summed over the node's boots (each boot
 * has a fresh driver): what the radios shed for the duty limit, dropped as stale or refused,
 * which the Packager never sees. The report lists them per node (`per_node[i].radio_counters`)
 * and summed (`drops.radio`), so a LoRa run's losses in the radios' queues are visible.
 */
import type { Rylr998Radio } from '../../modules/rylr998/rylr998-radio.js';

/** Driver counters that mean a frame was lost before or on its way to the air. */
export const RADIO_DROP_COUNTERS = Object.freeze([
  'tx_shed_duty',
  'tx_stale_dropped',
  'tx_queue_full',
  'tx_errors',
  'tx_refused',
  'cmd_timeouts',
  'rx_buffer_full',
  'rx_malformed',
  'rx_overlong',
  'rx_undecodable',
] as const);

export class RadioTally {
  /** Counters of each node's closed boots. */
  readonly #closed = new Map<number, Record<string, number>>();
  /** Each node's radios open now. */
  readonly #open = new Map<number, Set<Rylr998Radio>>();

  open(index: number, radio: Rylr998Radio): void {
    let set = this.#open.get(index);
    if (!set) this.#open.set(index, (set = new Set()));
    set.add(radio);
  }

  close(index: number, radio: Rylr998Radio): void {
    if (!this.#open.get(index)?.delete(radio)) return;
    const sum = this.#closed.get(index) ?? {};
    addInto(sum, radio.counters);
    this.#closed.set(index, sum);
  }

  /**
   * Counters of node `index`'s boots that ran elsewhere (an XS worker's own tally, summed over
   * its boots), taken as closed ones.
   */
  addClosed(index: number, counters: Readonly<Record<string, number>>): void {
    const sum = this.#closed.get(index) ?? {};
    addInto(sum, counters);
    this.#closed.set(index, sum);
  }

  /** Node `index`'s non-zero counters, over every boot so far (undefined: it never had a RYLR-998). */
  counters(index: number): Record<string, number> | undefined {
    const open = this.#open.get(index);
    const closed = this.#closed.get(index);
    if (!open?.size && !closed) return undefined;
    const sum: Record<string, number> = { ...closed };
    for (const r of open ?? []) addInto(sum, r.counters);
    const out: Record<string, number> = {};
    for (const k of Object.keys(sum).sort()) if (sum[k] > 0) out[k] = sum[k];
    return out;
  }
}

function addInto(sum: Record<string, number>, counters: Readonly<Record<string, number>>): void {
  for (const [k, v] of Object.entries(counters)) sum[k] = (sum[k] ?? 0) + v;
}
