/**
 * Broadcasts made while our radio sleeps in the aligned cycle (docs/sleep.md): the neighbours on
 * our schedule sleep too, so the frames wait for our next window instead of being refused by the
 * radio. Capped; when full the oldest frame goes (counted `drop_wake_queue_full`): everything
 * queued here is our own (hellos, adverts, gossip), so only our own chatter can fill it, and the
 * newest state is the one worth sending.
 */
import type { PackagerContext } from './context.js';
import type { Radio } from './radio.js';

interface Deferred {
  readonly radio: Radio;
  readonly frame: Uint8Array;
}

const EVENT = 'wake-queue';
/** Frames held at most: a few windows' worth of our own broadcasts. */
export const WAKE_QUEUE_CAP = 24;

export class WakeQueue {
  private readonly ctx: PackagerContext;
  private readonly frames: Deferred[] = [];

  constructor(ctx: PackagerContext) {
    this.ctx = ctx;
  }

  get size(): number {
    return this.frames.length;
  }

  push(radio: Radio, frame: Uint8Array): void {
    if (this.frames.length >= WAKE_QUEUE_CAP) {
      this.frames.shift();
      this.ctx.counters.inc('drop_wake_queue_full');
    }
    this.frames.push({ radio, frame });
  }

  /**
   * The window opened: send what waits, a few ms into it (a random share of `spreadMs`) so that
   * the neighbours flushing their own queues at the same instant do not all collide.
   */
  flushSoon(spreadMs: number): void {
    if (this.frames.length === 0 || this.ctx.scheduler.has(EVENT)) return;
    const r = this.ctx.platform.randomBytes(new Uint8Array(1))[0];
    this.ctx.schedule(EVENT, 1 + Math.floor((r / 256) * spreadMs), () => this.flush());
  }

  flush(): void {
    if (this.ctx.ownSleep?.asleep) return; // the window closed meanwhile: the next one
    for (const d of this.frames.splice(0)) {
      if (!this.send(d.radio, d.frame)) continue;
      this.ctx.ownSleep?.echoForUpstream(() => this.send(d.radio, d.frame));
    }
  }

  /** One broadcast now, counted; false when the radio refused it. */
  send(radio: Radio, frame: Uint8Array): boolean {
    const ok = radio.broadcast(frame);
    this.ctx.counters.inc(ok ? 'tx_frames' : 'radio_refused');
    if (ok) this.ctx.ownSleep?.frameHanded();
    return ok;
  }

  clear(): void {
    this.frames.length = 0;
    this.ctx.cancel(EVENT);
  }
}
