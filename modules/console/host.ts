/**
 * What the console needs from the machine it runs on. A board host, the desktop simulator and
 * the browser dashboard each build one; every part except the node is optional, and a command
 * whose part is missing says so instead of failing.
 */
import type { Node } from '../mycelium/node.js';
import type { TrafficMeter } from './traffic-meter.js';

/** Persisted settings (Preferences on a device, a Map in the simulator). */
export interface ConfigStore {
  keys(): string[];
  get(key: string): string | number | boolean | undefined;
  /** The store validates and converts the text; its error is shown to the user as is. */
  set(key: string, value: string): { ok: true } | { ok: false; error: string };
}

export interface ConsoleHost {
  /** The node; the console finds its apps with `node.app(Ping)` and the like. */
  readonly node: Node;
  readonly config?: ConfigStore;
  /** Firmware version, printed by `version`. */
  readonly version?: string;
  /** `reset`: restart the machine. Absent → "reset is not available on this host". */
  reset?(): void;
  /** `q` / `quit`: end the node's program, where that means something. */
  quit?(): void;
  /**
   * Names of other nodes, where the host knows some (a name directory, the simulator's node
   * names): `ping alice` and `nodes` use them. This node's own name comes from `config`.
   */
  names?(): Iterable<{ readonly id: string; readonly name: string }>;
  /** Battery charge in percent, for `status`. */
  battery?(): number | undefined;
  /**
   * The node's traffic meter, running since boot, for `status` rates; shared by every console
   * of the host. Without one, each console measures from when it was opened.
   */
  readonly traffic?: TrafficMeter;
}
