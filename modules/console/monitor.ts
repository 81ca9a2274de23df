/**
 * `monitor`: upstream's debug hooks (protocol.md §8.2) as console lines, filtered by grep words.
 *
 * Hooks run inside the Packager's receive and send paths, so a hook only formats one bounded
 * line and queues it; the queue is written out from a platform timer a few ms later. Writing to
 * a serial port from inside the radio path would slow it down, and a burst (a 40-fragment
 * sequence) must not flood a small screen: the queue keeps the newest MONITOR_QUEUE_LIMIT lines
 * (upstream's debug queue holds 25) and says how many older ones it dropped.
 */
import type { Node } from '../mycelium/node.js';
import type { Packager } from '../mycelium/packager/packager.js';
import type { PackagerEventName } from '../mycelium/packager/events.js';
import type { Platform, TimerHandle } from '../mycelium/platform/platform.js';
import { toHex } from '../mycelium/wire/bytes.js';
import { describe } from './format.js';
import { truncate } from '../status/format.js';

/** The Packager hooks upstream's console traces, in its order. */
export const MONITOR_HOOKS: readonly PackagerEventName[] = Object.freeze<PackagerEventName[]>([
  'send',
  'broadcast',
  'receive',
  'receive:rns',
  'receive:nia',
  'rns',
  'send_packet',
  'deliver',
  'add_peer',
  'add_route',
  'set_addr',
  'remove_peer',
  'deliver:checksum_failed',
  'deliver:receive_failed',
  'modemsleep',
  'sleepskip',
]);

export const MONITOR_QUEUE_LIMIT = 25; // upstream's debug-queue size
export const MONITOR_FLUSH_MS = 10; // upstream's console polls every 10 ms
export const MONITOR_LINE_CHARS = 200; // one hook line; a 64-hex id and a packet fit
const MAX_ARG_CHARS = 80;
const MAX_GREP_WORDS = 16;

export class Monitor {
  readonly #node: Node;
  readonly #packager: Packager;
  readonly #platform: Platform;
  readonly #print: (line: string) => void;
  /** Lower-cased; a line is shown when it contains any of them (all lines when empty). */
  readonly #grep: string[];
  readonly #hooks: [PackagerEventName, (...args: unknown[]) => void][] = [];
  readonly #queue: string[] = [];
  /** Dropped since the last flush (reported then), and in total. */
  #dropped = 0;
  #droppedTotal = 0;
  #timer: TimerHandle | undefined;
  #running = false;

  constructor(node: Node, grep: readonly string[], print: (line: string) => void) {
    this.#node = node;
    this.#packager = node.packager;
    this.#platform = node.platform;
    this.#print = print;
    this.#grep = grep.slice(0, MAX_GREP_WORDS).map((w) => w.toLowerCase());
  }

  get running(): boolean {
    return this.#running;
  }

  /** Lines dropped so far because the queue was full. */
  get dropped(): number {
    return this.#droppedTotal;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    for (const name of MONITOR_HOOKS) {
      const hook = (...args: unknown[]) => this.#onHook(name, args);
      this.#hooks.push([name, hook]);
      this.#packager.addHook(name, hook);
    }
  }

  /** Remove the hooks and the timer; lines already queued are written first. */
  stop(): void {
    if (!this.#running) return;
    this.#running = false;
    for (const [name, hook] of this.#hooks) this.#packager.removeHook(name, hook);
    this.#hooks.length = 0;
    if (this.#timer !== undefined) this.#platform.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#flush();
  }

  #onHook(name: PackagerEventName, args: unknown[]): void {
    if (!this.#running) return;
    const line = this.#format(name, args);
    const lower = line.toLowerCase();
    if (this.#grep.length && !this.#grep.some((w) => lower.includes(w))) return;
    if (this.#queue.length >= MONITOR_QUEUE_LIMIT) {
      this.#queue.shift();
      this.#dropped++;
      this.#droppedTotal++;
    }
    this.#queue.push(line);
    if (this.#timer === undefined) {
      this.#timer = this.#platform.setTimeout(() => {
        this.#timer = undefined;
        this.#flush();
      }, MONITOR_FLUSH_MS);
    }
  }

  #format(name: PackagerEventName, args: unknown[]): string {
    const names = (hex: string) => {
      const app = this.#node.apps.find((a) => toHex(a.id) === hex);
      return app?.name;
    };
    const text = args.map((a) => describe(a, MAX_ARG_CHARS, names)).join(', ');
    return truncate(`${name}: ${text}`, MONITOR_LINE_CHARS);
  }

  #flush(): void {
    if (this.#dropped) this.#print(`(${this.#dropped} monitor lines dropped)`);
    this.#dropped = 0;
    const lines = this.#queue.splice(0, this.#queue.length);
    for (const line of lines) this.#print(line);
  }
}
