/**
 * Puts a scenario's timed events on the clock: churn (nodes down/up, links cut/restored, the
 * root or the head of the largest branch killed, named partitions and their heals) and modem-sleep windows. The medium side is applied here; the runner is told
 * through hooks so it can stop/start its `Node` objects and find the current root.
 */
import type { Clock, Timers } from '../../modules/mycelium/platform/platform.js';
import type { Medium } from '../medium/medium.js';
import { Partitions } from './partition.js';
import type { ChurnEvent, Scenario } from './types.js';

export interface ChurnHooks {
  /** After the medium marked the node down (stop its Node here). */
  nodeDown?(node: number): void;
  /** After the medium marked the node up again (restart its Node here). */
  nodeUp?(node: number): void;
  /** The node index that is the tree root now (e.g. the root most live nodes agree on), if any. */
  currentRoot?(): number | undefined;
  /** The live node heading the largest branch of a tree now, if any (a relay_kill's choice). */
  largestBranch?(): number | undefined;
  /** Every applied event, with the node a root_kill or relay_kill chose (undefined when there was none). */
  applied?(event: ChurnEvent, node: number | undefined): void;
}

/** Schedules every churn event (times are absolute, from the clock's current origin). */
export function scheduleChurn(scenario: Scenario, clock: Clock & Timers, medium: Medium, hooks: ChurnHooks = {}): void {
  // Same-time events keep their file order (the clock fires ties in the order set).
  const partitions = new Partitions();
  for (const event of scenario.churn) {
    clock.setTimeout(() => applyChurn(event, medium, hooks, partitions), event.at_ms - clock.now());
  }
}

export function applyChurn(event: ChurnEvent, medium: Medium, hooks: ChurnHooks = {}, partitions = new Partitions()): void {
  switch (event.action) {
    case 'partition':
      partitions.partition(medium, event.name, event.nodes);
      hooks.applied?.(event, undefined);
      return;
    case 'heal':
      partitions.heal(medium, event.name);
      hooks.applied?.(event, undefined);
      return;
    case 'node_down':
      medium.setUp(event.node, false);
      hooks.nodeDown?.(event.node);
      hooks.applied?.(event, event.node);
      return;
    case 'node_up':
      medium.setUp(event.node, true);
      hooks.nodeUp?.(event.node);
      hooks.applied?.(event, event.node);
      return;
    case 'link_cut':
      medium.cut(event.a, event.b, event.one_way);
      hooks.applied?.(event, undefined);
      return;
    case 'link_restore':
      medium.restore(event.a, event.b, event.one_way);
      hooks.applied?.(event, undefined);
      return;
    case 'root_kill':
    case 'relay_kill': {
      const chosen = event.action === 'root_kill' ? hooks.currentRoot?.() : hooks.largestBranch?.();
      if (chosen !== undefined && medium.isUp(chosen)) {
        medium.setUp(chosen, false);
        hooks.nodeDown?.(chosen);
      }
      hooks.applied?.(event, chosen);
      return;
    }
  }
}

/** Schedules the scenario's modem-sleep windows (repeating ones until duration_ms). */
export function scheduleSleepWindows(scenario: Scenario, clock: Clock & Timers, medium: Medium): void {
  const end = scenario.duration_ms;
  for (const w of scenario.sleep) {
    const nodes = w.nodes === 'all' ? Array.from({ length: medium.size }, (_, i) => i) : w.nodes;
    const at = (t: number): void => {
      clock.setTimeout(() => {
        for (const i of nodes) medium.sleep(i, w.duration_ms);
        if (w.every_ms !== undefined && t + w.every_ms < end) at(t + w.every_ms);
      }, t - clock.now());
    };
    at(w.at_ms);
  }
}
