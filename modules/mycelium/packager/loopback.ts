/**
 * The loopback (upstream's InterAppInterface, protocol.md §7.3): frames sent or broadcast come
 * back to the same node, later (from a zero-delay timer, never synchronously), with no MAC.
 * Upstream attaches it to every node, so a node's own broadcasts reach its apps too.
 */
import { SCHEMA_IDS } from '../wire/schemas.js';
import type { Timers } from '../platform/platform.js';
import type { Radio } from './radio.js';

export const LOOPBACK_NAME = 'InterAppInterface';
export const LOOPBACK_BITRATE = 1_000_000_000;

export class LoopbackRadio implements Radio {
  // Constants on the prototype, not a slot each per node (issue 21).
  get name(): string {
    return LOOPBACK_NAME;
  }

  get bitrate(): number {
    return LOOPBACK_BITRATE;
  }

  get schemaIds(): readonly number[] {
    return SCHEMA_IDS;
  }

  /** Any schema's frame fits (relay schemas are 254 bytes). */
  get mtu(): number {
    return 256;
  }

  onReceive: ((frame: Uint8Array, mac: Uint8Array | undefined) => void) | undefined;
  /** Told when a frame came back (Radio.onSent: the loopback holds it no longer). */
  onSent: ((mac: Uint8Array | undefined, delivered: boolean) => void) | undefined;
  /** Frames dropped because the queue was full (upstream keeps 10). */
  dropped = 0;

  private readonly timers: Timers;
  private readonly limit: number;
  private readonly queue: Uint8Array[] = [];

  constructor(timers: Timers, limit = 10) {
    this.timers = timers;
    this.limit = limit;
  }

  send(_mac: Uint8Array, frame: Uint8Array): boolean {
    return this.push(frame);
  }

  broadcast(frame: Uint8Array): boolean {
    return this.push(frame);
  }

  private push(frame: Uint8Array): boolean {
    if (this.queue.length >= this.limit) {
      this.dropped++;
      return false;
    }
    this.queue.push(frame.slice());
    if (this.queue.length === 1) this.timers.setTimeout(() => this.drain(), 0);
    return true;
  }

  private drain(): void {
    while (this.queue.length) {
      const frame = this.queue.shift() as Uint8Array;
      this.onReceive?.(frame, undefined);
      this.onSent?.(undefined, true);
    }
  }
}
