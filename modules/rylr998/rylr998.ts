/**
 * The RYLR-998 driver: AT commands over an injected UART. It parses what the module says
 * (at-parser), runs one command at a time (command-queue), configures the module, sends frames
 * with AT+SEND and reports +RCV frames. It knows nothing of the mesh: the Radio is built on it.
 */
import { AtParser, DEFAULT_LINE_CAPACITY, type AtEvent } from './at-parser.js';
import { CommandQueue, DEFAULT_COMMAND_QUEUE_CAP, type Done } from './command-queue.js';
import { configCommands, configProblem, MAX_SEND_BYTES, type Rylr998Config } from './config.js';
import { newCounters, type RylrCounters } from './counters.js';
import { driverError, type CommandResult, type RylrError } from './errors.js';
import type { DriverClock } from './timers.js';
import type { Uart } from './uart.js';

export interface Rylr998Options {
  readonly uart: Uart;
  readonly clock: DriverClock;
  /** Line buffer bytes (default 300: a full +RCV line). */
  readonly lineCapacity?: number;
  /** Commands waiting behind the one in flight (default 8). */
  readonly commandQueue?: number;
  /** Answer timeout per command (default 1000 ms). */
  readonly commandTimeoutMs?: number;
}

export type FrameListener = (address: number, data: Uint8Array, rssi: number, snr: number) => void;


export class Rylr998 {
  readonly counters: RylrCounters = newCounters();
  /** The last error the module or the driver reported (shown by status/console). */
  lastError: RylrError | undefined;
  /** RSSI/SNR of the last frame heard. */
  lastRssi = 0;
  lastSnr = 0;
  /** Called for each +RCV (data is a fresh copy). */
  onFrame: FrameListener | undefined;
  /** Called when the module says +READY (power-on, AT+RESET). */
  onReady: (() => void) | undefined;
  readonly #uart: Uart;
  readonly #parser: AtParser;
  readonly #queue: CommandQueue;
  readonly #timeoutMs: number;
  readonly #clock: DriverClock;

  constructor(options: Rylr998Options) {
    this.#uart = options.uart;
    this.#clock = options.clock;
    this.#timeoutMs = options.commandTimeoutMs ?? 1000;
    this.#parser = new AtParser((e) => this.#event(e), this.counters, options.lineCapacity ?? DEFAULT_LINE_CAPACITY);
    this.#queue = new CommandQueue((line, payload) => this.#write(line, payload), this.#clock, options.commandQueue ?? DEFAULT_COMMAND_QUEUE_CAP);
    this.#queue.onUnsolicited = () => this.counters.rx_unsolicited++;
    this.#queue.onTimeout = () => this.counters.cmd_timeouts++;
    this.#uart.onData = (bytes) => this.#parser.feed(bytes);
  }

  /** True when no command is in flight or waiting. */
  get idle(): boolean {
    return this.#queue.idle;
  }

  /** Run any AT command (e.g. "AT", "AT+MODE=1", "AT+VER?"); `done` gets +OK/value or the error. */
  command(line: string, done: Done, timeoutMs = this.#timeoutMs): void {
    this.#queue.run(line, this.#noting(done), timeoutMs);
  }

  /** Put the module into `config`, one command after another; stops at the first error. */
  configure(config: Rylr998Config, done: Done): void {
    const problem = configProblem(config);
    if (problem) {
      const error = driverError('invalid', problem);
      this.lastError = error;
      this.#clock.setTimeout(() => done({ ok: false, error }), 0);
      return;
    }
    const lines = ['AT', ...configCommands(config)];
    let i = 0;
    const step = (r: CommandResult): void => {
      if (!r.ok || i === lines.length) return done(r);
      this.command(lines[i++], step);
    };
    this.command(lines[i++], step);
  }

  /**
   * AT+SEND=<address>,<length>,<data>: `data` goes to the UART as it is, so the caller chooses its
   * encoding. `done` gets +OK (the module took the frame and is transmitting it) or the error.
   */
  send(address: number, data: Uint8Array, done: Done, timeoutMs = this.#timeoutMs): void {
    if (!Number.isInteger(address) || address < 0 || address > 65535 || data.length === 0 || data.length > MAX_SEND_BYTES) {
      const error = driverError('invalid', `AT+SEND needs an address 0..65535 and 1..${MAX_SEND_BYTES} bytes, got ${address} and ${data.length}`);
      this.#clock.setTimeout(() => done({ ok: false, error }), 0);
      return;
    }
    this.#queue.run(`AT+SEND=${address},${data.length},`, this.#noting(done), timeoutMs, data);
  }

  /** Fail pending commands and stop listening to the UART. */
  close(): void {
    this.#uart.onData = undefined;
    this.#queue.close();
  }

  #noting(done: Done): Done {
    return (r) => {
      if (!r.ok) this.lastError = r.error;
      done(r);
    };
  }

  #write(line: string, payload: Uint8Array | undefined): void {
    const n = line.length;
    const out = new Uint8Array(n + (payload?.length ?? 0) + 2);
    for (let i = 0; i < n; i++) out[i] = line.charCodeAt(i) & 0x7f;
    if (payload) out.set(payload, n);
    out[out.length - 2] = 13; // CR LF (no module-level typed array: it would be read-only when preloaded)
    out[out.length - 1] = 10;
    this.#uart.write(out);
  }

  #event(e: AtEvent): void {
    switch (e.type) {
      case 'ok':
        return this.#queue.ok();
      case 'error':
        return this.#queue.error(e.code);
      case 'ready':
        this.#parser.reset();
        this.#queue.value('READY', '');
        return this.onReady?.();
      case 'value':
        return this.#queue.value(e.name, e.value);
      case 'rcv':
        this.counters.rx_frames++;
        this.lastRssi = e.rssi;
        this.lastSnr = e.snr;
        return this.onFrame?.(e.address, e.data, e.rssi, e.snr);
    }
  }
}
