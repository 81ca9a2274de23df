/**
 * The dashboard's node consoles: one MeshConsole (modules/console) per node the user opened,
 * created on the first command, and created again when the node was restarted (churn makes a
 * new SimNode). Output lines go to `write` (the trace's console records, which the page shows).
 *
 * Convenience for a simulator: in a command line, `n12` stands for node 12's id (64 hex
 * digits) and `@12` for its current tree address, so `ping n12` or `ping @12` work without
 * copying ids; the expanded line is echoed.
 */
import { MeshConsole } from '../../../modules/console/console.js';
import type { SimNode } from '../../runner/sim-node.js';
import type { ConsoleControl, ConsoleState } from './server.js';

export interface ConsoleSessionsOptions {
  readonly n: number;
  /** The live SimNode at i (undefined: powered off). */
  simNode(i: number): SimNode | undefined;
  /** Node i's id, hex. */
  nodeId(i: number): string;
  /** Node i's current tree address text (e.g. "68-3210::"), if it has one. */
  address(i: number): string | undefined;
  /** One line of node i's console output. */
  write(i: number, line: string): void;
  /** Called before each command (the session keeps simulated time moving after the run). */
  beforeExec?(i: number): void;
  readonly version?: string;
}

interface Open {
  readonly sim: SimNode;
  readonly console: MeshConsole;
}

export class ConsoleSessions implements ConsoleControl {
  readonly #o: ConsoleSessionsOptions;
  readonly #open = new Map<number, Open>();

  constructor(options: ConsoleSessionsOptions) {
    this.#o = options;
  }

  exec(i: number, line: string): ConsoleState | { error: string } {
    if (!this.#valid(i)) return { error: `no node ${i} (the scenario has ${this.#o.n})` };
    this.#o.beforeExec?.(i);
    const open = this.#session(i);
    if (!open) {
      this.#o.write(i, `> ${line}`);
      this.#o.write(i, `n${i} is powered off: no console`);
      return { node: i, prompt: '', busy: false };
    }
    const expanded = this.expand(line);
    this.#o.write(i, `${open.console.prompt}${line}`);
    if (expanded !== line) this.#o.write(i, `  (${expanded})`);
    open.console.exec(expanded);
    return this.#stateOf(i, open);
  }

  interrupt(i: number): ConsoleState | { error: string } {
    if (!this.#valid(i)) return { error: `no node ${i}` };
    const open = this.#open.get(i);
    open?.console.interrupt();
    return this.state(i);
  }

  state(i: number): ConsoleState | { error: string } {
    if (!this.#valid(i)) return { error: `no node ${i}` };
    const open = this.#open.get(i);
    return open ? this.#stateOf(i, open) : { node: i, prompt: '', busy: false };
  }

  states(): ConsoleState[] {
    return [...this.#open].map(([i, open]) => this.#stateOf(i, open));
  }

  /** Whether any console waits for output (a ping test, a monitor). */
  get busy(): boolean {
    for (const open of this.#open.values()) if (open.console.busy) return true;
    return false;
  }

  /** `n12` → node 12's id, `@12` → its address (unknown ones are left as they are). */
  expand(line: string): string {
    return line.replace(/(^|\s)([n@])(\d+)(?=\s|$)/g, (all, space: string, kind: string, digits: string) => {
      const j = Number(digits);
      if (!this.#valid(j)) return all;
      const value = kind === 'n' ? this.#o.nodeId(j) : this.#o.address(j);
      return value === undefined ? all : space + value;
    });
  }

  stopAll(): void {
    for (const open of this.#open.values()) open.console.stop();
    this.#open.clear();
  }

  #valid(i: number): boolean {
    return Number.isInteger(i) && i >= 0 && i < this.#o.n;
  }

  #session(i: number): Open | undefined {
    const sim = this.#o.simNode(i);
    const open = this.#open.get(i);
    if (open && open.sim === sim) return open;
    if (open) {
      open.console.stop();
      this.#open.delete(i);
      this.#o.write(i, `(n${i} was restarted: a new console)`);
    }
    if (!sim) return undefined;
    const write = (text: string): void => {
      for (const line of String(text).split('\n')) this.#o.write(i, line);
    };
    const console = new MeshConsole({ node: sim.node, version: this.#o.version }, write);
    const fresh = { sim, console };
    this.#open.set(i, fresh);
    return fresh;
  }

  #stateOf(i: number, open: Open): ConsoleState {
    return { node: i, prompt: open.console.prompt, busy: open.console.busy };
  }
}
