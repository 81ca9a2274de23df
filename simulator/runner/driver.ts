/**
 * How a run drives its nodes, whatever engine they live in: the in-process driver calls
 * SimNode objects directly, the XS driver relays the same calls to xsnap workers. The run
 * never touches a node in any other way, so both give the same results.
 */
import type { NodeState } from '../../modules/mycelium/node.js';
import type { TrafficOrder, TreeView } from './sim-node.js';

export interface NodeDriver {
  /** Power node `i` on: a fresh node (same id) on its radio, started. */
  boot(i: number): void;
  /** Power node `i` off: its timers and state are gone. */
  shutdown(i: number): void;
  /** Hand a traffic message to node `i`; `done` gets the node's refusal code, if any. */
  send(i: number, order: TrafficOrder, done: (error: string | undefined) => void): void;
  /**
   * Type one console line on node `i` (its output arrives as SimNodeEvents.console); `done`
   * gets false when the node is powered off.
   */
  command(i: number, line: string, done: (ran: boolean) => void): void;
  /** Every node's tree view (undefined: powered off). */
  views(done: (views: (TreeView | undefined)[]) => void): void;
  /** Every node's stats (undefined: powered off). */
  stats(done: (stats: (NodeState | undefined)[]) => void): void;
  /** Every node's Packager counters (undefined: powered off): what the time series needs, far cheaper than stats. */
  counters(done: (counters: (Record<string, number> | undefined)[]) => void): void;
  /**
   * Work the calls above (and frames the medium delivered) queued for another engine: the run
   * awaits it after every clock event. Undefined when everything already ran (in-process).
   */
  flush(): Promise<void> | undefined;
  /** Engine-specific figures for the report (the XS heap), after the run. */
  extras(): Promise<Record<string, unknown> | undefined>;
  close(): Promise<void>;
}
