/**
 * The report's convergence fields (schema: simulator/schema/report-convergence.schema.json,
 * definitions: docs/simulator.md, "Convergence and churn").
 */
import type { ConvergenceWatch, PartReport } from './convergence.js';
import type { TrafficLedger } from './ledger.js';
import { worstReconvergence, type Reconvergence } from './reconvergence.js';

export interface ConvergenceFields {
  /** First sample at which every part of the live mesh had one live root of its own; null = never. */
  readonly converged_ms: number | null;
  /** The run's last sample was converged. */
  readonly converged_at_end: boolean;
  /** First sample at which every part was one tree or trees joined by borders; null = never. */
  readonly joined_ms: number | null;
  /** The run's last sample was joined. */
  readonly joined_at_end: boolean;
  readonly reconvergence: readonly Reconvergence[];
  /** Longest time to a stable live tree over the churn events; 0 without churn; null if one never got there. */
  readonly reconverge_ms: number | null;
  /** Distinct roots followed by live nodes at the end. */
  readonly roots_at_end: number;
  /** The connected parts of the live mesh at the end, each with its tree. */
  readonly parts_at_end: readonly PartReport[];
  /** Node-seconds live nodes spent on or under a parent loop (their chain of parents came back on itself). */
  readonly looped_node_s: number;
  /** Node-seconds live nodes spent at an address another live node of their tree held too. */
  readonly shared_address_node_s: number;
}

export function convergenceFields(watch: ConvergenceWatch, ledger: TrafficLedger, endMs: number): ConvergenceFields {
  const reconvergence = watch.reconvergence(endMs, (from, to) => ledger.window(from, to));
  return {
    converged_ms: watch.convergedMs,
    converged_at_end: watch.convergedNow,
    joined_ms: watch.joinedMs,
    joined_at_end: watch.joinedNow,
    reconvergence,
    reconverge_ms: worstReconvergence(reconvergence),
    roots_at_end: watch.roots,
    parts_at_end: watch.parts,
    looped_node_s: watch.loopedNodeS,
    shared_address_node_s: watch.sharedAddressNodeS,
  };
}
