/** The shape of a console command: its names, its one-line help, and what it does. */
import type { Session } from './session.js';

export interface CommandSpec {
  readonly name: string;
  readonly aliases: readonly string[];
  /** Arguments as shown by `help`, e.g. `[count]`. */
  readonly usage: string;
  readonly summary: string;
  /** Gets the words after the command name. May throw: MeshConsole turns it into `Error: …`. */
  readonly run: (session: Session, args: readonly string[]) => void;
}
