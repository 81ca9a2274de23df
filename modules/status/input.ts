/**
 * What the status screen and the console's `status` read from a node's one state shape
 * (`node.state()`, NodeState in modules/mycelium/node.ts): the frame and drop totals its
 * counters hold, the root once there is one, and the host's battery gauge added to it.
 */
import type { NodeState } from '../mycelium/node.js';

/** Totals and the root, as both the screen and the console show them. */
export interface StatusFigures {
  /** Frames sent and received on every radio, and packets dropped (all `drop_*` counters). */
  readonly tx: number;
  readonly rx: number;
  readonly drop: number;
  /** Root id of the tree we follow, hex; undefined without a SpanningTree or before it ran. */
  readonly root: string | undefined;
}

export function statusFigures(state: NodeState): StatusFigures {
  let drop = 0;
  for (const [name, n] of Object.entries(state.counters)) if (name.startsWith('drop_')) drop += n;
  const root = state.tree?.root;
  return {
    tx: state.counters.tx_frames ?? 0,
    rx: state.counters.rx_frames ?? 0,
    drop,
    root: root !== undefined && /[^0]/.test(root) ? root : undefined, // all zeros: not started yet
  };
}

/** `state` plus the gauge's reading as a whole percent; unchanged when absent, failing or nonsense. */
export function withBattery(state: NodeState, gauge: (() => number | undefined) | undefined): NodeState {
  if (typeof gauge !== 'function') return state;
  let v: unknown;
  try {
    v = gauge();
  } catch {
    return state;
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) return state;
  return { ...state, battery: Math.min(100, Math.max(0, Math.round(v))) };
}
