/**
 * One AT command in flight at a time: the module answers commands in order and has no way to
 * tag an answer with its command, so the next is written only when the previous one's answer
 * (+OK, +ERR=n, or the value line of a query) or its timeout has come. Bounded: at most `cap`
 * commands wait; more are refused with a typed error, never queued without limit.
 */
import type { Timers, TimerHandle } from './timers.js';
import { driverError, moduleError, type CommandResult } from './errors.js';

export type Done = (result: CommandResult) => void;

interface Pending {
  readonly line: string;
  /** Raw bytes written after `line` and before CR LF (AT+SEND's data). */
  readonly payload: Uint8Array | undefined;
  /** A query's answer name (AT+ADDRESS? → "ADDRESS"), or undefined for +OK. */
  readonly answer: string | undefined;
  readonly timeoutMs: number;
  readonly done: Done;
}

export const DEFAULT_COMMAND_TIMEOUT_MS = 1000;
export const DEFAULT_COMMAND_QUEUE_CAP = 8;

/** The answer name a command waits for, if it answers with a value instead of +OK. */
export function answerOf(line: string): string | undefined {
  if (line === 'AT+RESET') return 'READY'; // "+RESET" then "+READY": done when ready
  if (line === 'AT+FACTORY') return 'FACTORY';
  const m = /^AT\+([A-Z]+)\?$/.exec(line);
  return m ? m[1] : undefined;
}

export class CommandQueue {
  readonly #write: (line: string, payload: Uint8Array | undefined) => void;
  readonly #timers: Timers;
  readonly #cap: number;
  readonly #waiting: Pending[] = [];
  #current: Pending | undefined;
  #timer: TimerHandle | undefined;
  #closed = false;
  /** Answers that came with nothing waiting (driver counts them). */
  onUnsolicited: (() => void) | undefined;
  /** A command's timeout passed (driver counts it). */
  onTimeout: ((line: string) => void) | undefined;

  constructor(write: (line: string, payload: Uint8Array | undefined) => void, timers: Timers, cap = DEFAULT_COMMAND_QUEUE_CAP) {
    this.#write = write;
    this.#timers = timers;
    this.#cap = cap;
  }

  get idle(): boolean {
    return this.#current === undefined && this.#waiting.length === 0;
  }

  get length(): number {
    return this.#waiting.length + (this.#current ? 1 : 0);
  }

  /** Queue `line` (without CR LF; `payload` follows it); `done` is called exactly once, never synchronously. */
  run(line: string, done: Done, timeoutMs = DEFAULT_COMMAND_TIMEOUT_MS, payload?: Uint8Array): void {
    if (this.#closed || this.#waiting.length >= this.#cap) {
      const error = this.#closed ? driverError('closed', 'the RYLR-998 driver is closed') : driverError('queue_full', `command queue full (${this.#cap})`);
      this.#timers.setTimeout(() => done({ ok: false, error }), 0);
      return;
    }
    this.#waiting.push({ line, payload, answer: answerOf(line), timeoutMs, done });
    if (!this.#current) this.#next();
  }

  /** +OK from the module. */
  ok(): void {
    const c = this.#current;
    if (!c || c.answer !== undefined) return this.onUnsolicited?.();
    this.#finish({ ok: true, value: '' });
  }

  /** +ERR=code from the module: ends whatever command is in flight. */
  error(code: number): void {
    if (!this.#current) return this.onUnsolicited?.();
    this.#finish({ ok: false, error: moduleError(code) });
  }

  /** +NAME=value (or +READY, as name READY) from the module. */
  value(name: string, value: string): void {
    const c = this.#current;
    if (c && c.answer === name) this.#finish({ ok: true, value });
    else if (name !== 'RESET' && name !== 'READY') this.onUnsolicited?.();
  }

  /** Fail everything pending and refuse new commands. */
  close(): void {
    this.#closed = true;
    const all = this.#current ? [this.#current, ...this.#waiting] : [...this.#waiting];
    this.#waiting.length = 0;
    this.#current = undefined;
    if (this.#timer !== undefined) this.#timers.clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const p of all) p.done({ ok: false, error: driverError('closed', 'the RYLR-998 driver is closed') });
  }

  #next(): void {
    const c = this.#waiting.shift();
    this.#current = c;
    if (!c) return;
    this.#timer = this.#timers.setTimeout(() => {
      this.#timer = undefined;
      this.onTimeout?.(c.line);
      this.#finish({ ok: false, error: driverError('timeout', `no answer to ${c.line.slice(0, 24)} within ${c.timeoutMs} ms`) });
    }, c.timeoutMs);
    this.#write(c.line, c.payload);
  }

  #finish(result: CommandResult): void {
    const c = this.#current;
    if (!c) return;
    if (this.#timer !== undefined) this.#timers.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#current = undefined;
    c.done(result);
    if (!this.#closed && !this.#current) this.#next();
  }
}
