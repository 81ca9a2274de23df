/**
 * Spreading our own routed messages over a few seconds (Timings `sendSpreadMs`, LoRa under a
 * duty limit only; 0 elsewhere). Apps send on periods — a reading a minute — and two
 * neighbours' periods that happen to start within one frame's airtime of each other collide at
 * a common neighbour on every period, for as long as both run: a LoRa module cannot sense the
 * channel, the radio's backoff (1.5 airtimes) is too short to part them, and an unacked routed
 * message has no retry to escape by. On `lora-20` seed 3 three whole flows delivered 1, 2 and 8
 * of their 100 messages that way (docs/lora.md "Where messages are lost"). Each message is held
 * for a random time in [0, sendSpreadMs) before it is handed to its first hop, so two such flows
 * meet on a message only with the chance that two draws fall within an airtime of each other.
 * An acked message is spread too (its retry counts from when it left): retries drawn within a
 * second of each other did not part flows whose every attempt crossed the same relays (under a
 * 10 % limit three flows of `lora-20` seed 3 delivered 55–65 of 100 after four attempts each;
 * docs/lora.md "Session 27").
 *
 * Bounded: at most `HELD` messages wait; one more goes at once (as without spreading). The next
 * hop is looked up when the message leaves (unless one was chosen at send time and is still a
 * neighbour), so a route that changed meanwhile is followed.
 */
import type { PackagerContext } from './context.js';
import type { Forwarding } from './forwarding.js';
import type { Neighbours } from './neighbours.js';
import type { Destination } from './outbound-store.js';
import type { Peer } from './peer.js';

/** Messages held at once; an app sending faster than this per spread window is not spread. */
const HELD = 8;
const TIMER = 'SS';

interface Held {
  readonly frame: Uint8Array;
  readonly dest: Destination;
  /** The first hop chosen at send time (a weak link routed around), if any. */
  readonly via: Peer | undefined;
  readonly due: number;
}

export class SendSpread {
  private readonly ctx: PackagerContext;
  private readonly forwarding: Forwarding;
  private readonly neighbours: Neighbours;
  private readonly held: Held[] = [];

  constructor(ctx: PackagerContext, forwarding: Forwarding, neighbours: Neighbours) {
    this.ctx = ctx;
    this.forwarding = forwarding;
    this.neighbours = neighbours;
  }

  /**
   * Send `frame` to `dest` at a random time within `spreadMs` (at once when full). Returns how
   * long it is held, from which an acked message's retry counts.
   */
  send(frame: Uint8Array, dest: Destination, via: Peer | undefined, spreadMs: number): number {
    const ctx = this.ctx;
    if (this.held.length >= HELD) {
      ctx.counters.inc('tx_spread_full');
      this.forwarding.toDestination(frame, dest, via);
      return 0;
    }
    const r = ctx.platform.randomBytes(new Uint8Array(2));
    const now = ctx.platform.now();
    const due = now + Math.floor((((r[0] << 8) | r[1]) / 65536) * spreadMs);
    this.held.push({ frame, dest, via, due });
    ctx.counters.inc('tx_spread');
    const pending = ctx.scheduler.due(TIMER);
    if (pending === undefined || pending > due) ctx.schedule(TIMER, Math.max(0, due - now), release, this);
    return due - now;
  }

  get size(): number {
    return this.held.length;
  }

  clear(): void {
    this.held.length = 0;
    this.ctx.cancel(TIMER);
  }

  /** Hand every due message to its first hop; wait for the next. */
  flush(): void {
    const now = this.ctx.platform.now();
    let next = Infinity;
    for (let i = 0; i < this.held.length; ) {
      const h = this.held[i];
      if (h.due <= now) {
        this.held.splice(i, 1);
        // The first hop chosen then, while it is still a neighbour; else the route's now.
        const via = h.via && this.neighbours.hasPeer(h.via.key) ? h.via : undefined;
        this.forwarding.toDestination(h.frame, h.dest, via);
        continue;
      }
      if (h.due < next) next = h.due;
      i++;
    }
    if (next !== Infinity) this.ctx.schedule(TIMER, Math.max(0, next - now), release, this);
  }
}

/** The timer's handler: one function for every instance (no closure per node). */
function release(spread: SendSpread): void {
  spread.flush();
}
