/**
 * The node console: upstream mpnode's commands (protocol.md §8.2) plus `status` and `config`,
 * as one class that any host drives with lines of text — the serial port on a board, stdin or a
 * websocket in the simulator, the browser dashboard.
 *
 * Command handlers return their answer as data (results.ts) and printer.ts prints it.
 * `exec` never throws: a failing command prints `Error: <message>`. Output, including what
 * arrives later (ping reports, monitor lines, debug answers), goes to the `write` given here.
 * Timers come from the node's platform, so the console runs on a virtual clock in tests.
 */
import { tokenize } from './tokenize.js';
import { messageOf } from './format.js';
import { Session, type ConsoleWrite } from './session.js';
import { appCommands } from './app-commands.js';
import { BUILTIN_NAMES, COMMANDS, findCommand } from './commands/table.js';
import type { ConsoleHost } from './host.js';

export type { ConfigStore, ConsoleHost } from './host.js';
export type { CommandSpec } from './spec.js';
export type { CommandResult } from './results.js';
export type { ConsoleWrite } from './session.js';
export { formatResult } from './printer.js';
export { COMMANDS };

/**
 * The words without the JSON request (`json` first, or `--json` anywhere after the command), or
 * the same array when there is none.
 */
function jsonWords(words: readonly string[]): readonly string[] {
  if (words[0]?.toLowerCase() === 'json') return words.slice(1);
  const at = words.indexOf('--json');
  return at > 0 ? [...words.slice(0, at), ...words.slice(at + 1)] : words;
}

/** Upstream's prompt. */
export const PROMPT = '\u03bcpycelium> ';

export class MeshConsole {
  readonly prompt: string = PROMPT;
  readonly #session: Session;

  constructor(host: ConsoleHost, write: ConsoleWrite) {
    this.#session = new Session(host, write);
  }

  /**
   * Run one command line. While a monitor or wait runs, a line first stops it (upstream: Enter
   * stops them). An empty line does nothing else: pressing Enter at the prompt is not an error.
   */
  exec(line: string): void {
    const s = this.#session;
    try {
      const text = typeof line === 'string' ? line : String(line);
      s.command = text.trim();
      const stopped = s.interrupt();
      const tokens = tokenize(text);
      if (!tokens.ok) {
        if (text.trim() === '') return;
        void stopped;
        return s.error(tokens.error);
      }
      const words = jsonWords(tokens.words);
      s.json = words !== tokens.words;
      if (words.length === 0) return s.error('usage: json COMMAND [args] (or COMMAND [args] --json)');
      const [first, ...args] = words;
      const name = first.toLowerCase();
      const spec = findCommand(name);
      if (spec) return s.show(spec.run(s, args));
      const fromApp = appCommands(s, BUILTIN_NAMES).find((c) => c.name.toLowerCase() === name);
      if (fromApp) return fromApp.run(args, s.laterWriter());
      s.error(`unknown command "${first}" (type help for the list of commands)`);
    } catch (e) {
      s.error(messageOf(e));
    } finally {
      s.json = false;
    }
  }

  /** A monitor, a wait or a ping test is running. */
  get busy(): boolean {
    try {
      return this.#session.busy;
    } catch {
      return false;
    }
  }

  /** What "Hit Enter to stop" does: stop a monitor or a wait (ping tests run to their report). */
  interrupt(): void {
    try {
      this.#session.interrupt();
    } catch (e) {
      this.#session.error(messageOf(e));
    }
  }

  /** Remove every hook and timer this console installed and cancel its ping tests. */
  stop(): void {
    try {
      this.#session.stop();
    } catch (e) {
      this.#session.error(messageOf(e));
    }
  }
}
