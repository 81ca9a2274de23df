/**
 * The console on stdin/stdout. On a terminal: the console's prompt, and output that arrives in
 * the background (ping reports, chat messages) printed above the line being typed. On pipes
 * (scripts, tests): plain lines, no prompt.
 */
import { createInterface, clearLine, cursorTo, type Interface } from 'node:readline';
import { PROMPT } from '../../modules/console/console.js';

export class TerminalConsole {
  readonly #stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly #stdout: NodeJS.WritableStream & { isTTY?: boolean };
  #rl: Interface | undefined;

  constructor(stdin: NodeJS.ReadableStream & { isTTY?: boolean }, stdout: NodeJS.WritableStream & { isTTY?: boolean }) {
    this.#stdin = stdin;
    this.#stdout = stdout;
  }

  get #tty(): boolean {
    return !!this.#stdin.isTTY && !!this.#stdout.isTTY;
  }

  write(line: string): void {
    if (this.#rl && this.#tty) {
      clearLine(this.#stdout, 0);
      cursorTo(this.#stdout, 0);
      this.#stdout.write(line + '\n');
      this.#rl.prompt(true);
    } else this.#stdout.write(line + '\n');
  }

  start(onLine: (line: string) => void, onEnd: () => void): void {
    const rl = createInterface({ input: this.#stdin, output: this.#tty ? this.#stdout : undefined, terminal: this.#tty, prompt: PROMPT });
    this.#rl = rl;
    rl.on('line', (line) => {
      onLine(line);
      if (this.#tty) rl.prompt();
    });
    rl.on('close', () => {
      if (this.#rl === rl) onEnd();
    });
    if (this.#tty) rl.prompt();
  }

  stop(): void {
    const rl = this.#rl;
    this.#rl = undefined;
    rl?.close();
  }
}
