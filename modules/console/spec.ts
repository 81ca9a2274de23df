/** The shape of a console command: its names, its one-line help, and what it does. */
import type { Session } from './session.js';
import type { CommandResult } from './results.js';

export interface CommandSpec {
  readonly name: string;
  readonly aliases: readonly string[];
  /** Arguments as shown by `help`, e.g. `[count]`. */
  readonly usage: string;
  readonly summary: string;
  /**
   * Gets the words after the command name and returns its answer as data (printer.ts prints it;
   * undefined: nothing to print, as when output comes later). May throw: MeshConsole turns it
   * into `Error: …`.
   */
  readonly run: (session: Session, args: readonly string[]) => CommandResult | undefined;
}
