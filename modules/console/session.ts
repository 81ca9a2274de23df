/**
 * The console's state between commands: where output goes, and what is running in the
 * background (a monitor, a wait, ping tests). Commands get a Session; MeshConsole is its facade.
 *
 * Output discipline: nothing a caller's `write` throws escapes, every line is bounded, and
 * output scheduled by a command (ping progress, DebugApp answers) goes through a writer that
 * `stop()` mutes, since apps may keep the writer after the console is gone.
 */
import type { Node } from '../mycelium/node.js';
import type { Packager } from '../mycelium/packager/packager.js';
import { Ping } from '../mycelium/apps/ping.js';
import { DebugApp } from '../mycelium/apps/debug.js';
import type { ConsoleHost } from './host.js';
import type { Monitor } from './monitor.js';
import { TrafficMeter } from './traffic-meter.js';
import { truncate } from '../status/format.js';
import { errorResult, type CommandResult } from './results.js';
import { formatResult } from './printer.js';

export const MAX_OUTPUT_LINE_CHARS = 4096; // a DebugApp answer listing 64 peers fits
export const MAX_PING_TESTS = 4; // concurrent ping tests started from this console
/** Longest JSON answer: a line cut short would not parse, so a longer one is an error instead. */
export const MAX_JSON_LINE_CHARS = 16384;

/** A ping test this console started: its event ids (to cancel) and whether its report came. */
export interface RunningPing {
  eventIds: readonly string[];
  done: boolean;
}

/**
 * Where the console's lines go. `origin` is given for output that comes later (a ping report, a
 * monitor line, an app's answer): the command line that started it, so a host can put it with
 * that command (the simulator's transcript) or label it; answers printed at once have none.
 */
export type ConsoleWrite = (line: string, origin?: string) => void;

export class Session {
  readonly host: ConsoleHost;
  readonly #write: ConsoleWrite;
  /** The command line being run (set by MeshConsole.exec): later output's origin. */
  command = '';
  /** Bumped by stop(): writers handed out before it go quiet. */
  #generation = 0;
  #monitor: Monitor | undefined;
  /** Output items still awaited by `wait` (-1: until interrupted). */
  #waitRemaining: number | undefined;
  readonly #pings: RunningPing[] = [];
  /** The command being run asked for JSON (`json …` or `… --json`): answers are JSON lines. */
  json = false;
  /** `status` rates: the host's meter, else one of our own (started now, stopped by stop()). */
  readonly traffic: TrafficMeter;
  readonly #ownMeter: TrafficMeter | undefined;

  constructor(host: ConsoleHost, write: ConsoleWrite) {
    this.host = host;
    this.#write = write;
    this.#ownMeter = host.traffic ? undefined : new TrafficMeter(host.node);
    this.traffic = host.traffic ?? (this.#ownMeter as TrafficMeter);
    this.#ownMeter?.start();
  }

  get node(): Node {
    return this.host.node;
  }

  get packager(): Packager {
    return this.host.node.packager;
  }

  // ---------------------------------------------------------------- output

  /** Write one line now (`origin`: the command that started it, for later output). */
  print(line: string, max = MAX_OUTPUT_LINE_CHARS, origin?: string): void {
    try {
      const text = truncate(typeof line === 'string' ? line : String(line), max);
      if (origin === undefined) this.#write(text);
      else this.#write(text, origin);
    } catch {
      // the host's writer failed (serial port gone, socket closed): nothing sensible to do here
    }
  }

  /** Print a command's answer (printer.ts makes the lines). */
  show(result: CommandResult | undefined): void {
    if (!result) return;
    if (this.json) this.print(jsonLine(result), MAX_JSON_LINE_CHARS);
    else for (const line of formatResult(result)) this.print(line);
  }

  error(message: string): void {
    this.show(errorResult(message));
  }

  /** One item of background output (a ping report, a debug answer); counts toward `wait`. */
  printItem(lines: readonly string[], origin?: string): void {
    for (const line of lines) this.print(line, MAX_OUTPUT_LINE_CHARS, origin);
    if (this.#waitRemaining !== undefined && this.#waitRemaining > 0 && --this.#waitRemaining === 0) this.#waitRemaining = undefined;
  }

  /** A writer for output that arrives later (one item per call); silent once `stop()` has run. */
  laterWriter(): (item: string | readonly string[]) => void {
    const generation = this.#generation;
    const origin = this.command;
    return (item) => {
      if (generation !== this.#generation) return;
      // Apps call this; do not trust them to pass strings.
      this.printItem(Array.isArray(item) ? item : [typeof item === 'string' ? item : String(item)], origin);
    };
  }

  /** laterWriter for results: each result is one background item, printed by printer.ts. */
  laterResults(): (result: CommandResult) => void {
    const later = this.laterWriter();
    const json = this.json; // a `json ping …` reports in JSON too
    return (result) => later(json ? [jsonLine(result)] : formatResult(result));
  }

  // ---------------------------------------------------------------- background work

  get monitoring(): boolean {
    return this.#monitor !== undefined;
  }

  get waiting(): boolean {
    return this.#waitRemaining !== undefined;
  }

  startMonitor(monitor: Monitor): void {
    this.#monitor?.stop();
    this.#monitor = monitor;
    monitor.start();
  }

  startWait(count: number): void {
    this.#waitRemaining = count;
  }

  /** Track a ping test (the caller checked `runningPings < MAX_PING_TESTS` first). */
  addPing(test: RunningPing): void {
    this.#pings.push(test);
  }

  get runningPings(): number {
    this.#prunePings();
    return this.#pings.length;
  }

  /** A monitor, a wait or a ping test is running. */
  get busy(): boolean {
    return this.monitoring || this.waiting || this.runningPings > 0;
  }

  /** Enter pressed: stop monitoring or waiting (ping tests go on and print their report). */
  interrupt(): boolean {
    const was = this.monitoring || this.waiting;
    this.#monitor?.stop();
    this.#monitor = undefined;
    this.#waitRemaining = undefined;
    return was;
  }

  /** Cancel everything this console started and mute writers handed out so far. */
  stop(): void {
    this.interrupt();
    for (const p of this.#pings) for (const id of p.eventIds) this.packager.cancel(id);
    this.#pings.length = 0;
    this.#ownMeter?.stop();
    this.#generation++;
  }

  /** A test is over when its report came, or when its report event is gone (node stopped). */
  #prunePings(): void {
    for (let i = this.#pings.length - 1; i >= 0; i--) {
      const p = this.#pings[i];
      const reportId = p.eventIds[p.eventIds.length - 1];
      if (p.done || (reportId !== undefined && !this.packager.isScheduled(reportId))) this.#pings.splice(i, 1);
    }
  }

  // ---------------------------------------------------------------- apps

  ping(): Ping | undefined {
    return this.node.app(Ping);
  }

  debug(): DebugApp | undefined {
    return this.node.app(DebugApp);
  }
}

/** A result as one line of JSON (results are plain data), or a JSON error when it is too long. */
export function jsonLine(result: CommandResult): string {
  let text: string;
  try {
    text = JSON.stringify(result);
  } catch {
    text = '';
  }
  if (text === '' || text.length > MAX_JSON_LINE_CHARS) return JSON.stringify(errorResult(`the answer does not fit in ${MAX_JSON_LINE_CHARS} characters`));
  return text;
}
