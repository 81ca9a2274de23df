/**
 * Our own acked unicasts that found no way into their target's tree yet (`no_address`: we hold no
 * address in that tree, and no neighbour or known gateway leads into it). That is a passing state
 * more often than not: we booted a moment ago and our tree has not reached us, or a neighbour's
 * reboot cut us off into a tree of our own that is about to merge back. Refused at once, such a
 * message was simply lost (`churn-100`: about a third of what the mesh lost, every seed; docs/routing.md
 * "Sends that wait for a way"). So, while we hold no address or took our tree moments ago
 * (Neighbours.newInTree), it waits as its end-to-end retries would have: tried again after each
 * retry delay (doubling as they do with `sendRetryMaxBackoff`: retry-backoff.ts), as many times as
 * it had retries, and given up after the last with
 * `message_failed` (its number was handed out when it was taken, as for any unicast). A node
 * settled in its tree that knows no way into another tree would wait for nothing (a border it
 * has not heard of): refused at once, as before.
 *
 * Bounded: at most `HELD` wait, `HELD_BYTES` of blob in all (a blob of many fragments is
 * refused as before: 4 of them would be a device's heap); one more is refused as before. One
 * timer serves them all. A send that asks no ack, or no retries, is refused as before: nothing
 * would have tried it again.
 */
import type { PackagerContext } from './context.js';
import type { SendTarget } from './outbound-store.js';
import type { Result } from '../wire/result.js';
import type { Metric } from '../wire/constants.js';
import { retryWaitPeriods } from './retry-backoff.js';

/** Messages waiting at once, and their blobs' bytes in all. */
const HELD = 4;
const HELD_BYTES = 1024;
const TIMER = 'HW';

/** A held message: what `Sending.send` needs to try it again, and what is left of its tries. */
export interface HeldSend {
  readonly appId: Uint8Array;
  readonly blob: Uint8Array;
  readonly target: SendTarget;
  readonly metric: Metric;
  /** Its end-to-end retries once it goes. */
  readonly retries: number;
  readonly message: number;
  /** Tries still to make after the one that is due. */
  readonly tries: number;
  readonly due: number;
}

export class HeldSends {
  readonly #ctx: PackagerContext;
  readonly #send: (h: HeldSend) => Result<unknown>;
  // Made with the first: most nodes never hold one (issue 21).
  #held: HeldSend[] | undefined;
  /** When the timer is armed for (the earliest due when it was armed). */
  #armedFor = Infinity;

  /** `send` tries a held message again (Sending.send with its number and tries). */
  constructor(ctx: PackagerContext, send: (h: HeldSend) => Result<unknown>) {
    this.#ctx = ctx;
    this.#send = send;
  }

  /**
   * Hold a message (`message`: its number, kept from an earlier hold) that has `tries` left; its
   * number, or undefined when it cannot wait (no tries left, or the table is full).
   */
  hold(appId: Uint8Array, blob: Uint8Array, target: SendTarget, metric: Metric, retries: number, tries: number, message?: number): number | undefined {
    const ctx = this.#ctx;
    if (tries <= 0) return undefined;
    const held = (this.#held ??= []);
    let bytes = blob.length;
    for (let i = 0; i < held.length; i++) bytes += held[i].blob.length;
    if (held.length >= HELD || bytes > HELD_BYTES) {
      ctx.counters.inc('send_held_full');
      return undefined;
    }
    const number = message ?? ctx.nextMessageNumber();
    const now = ctx.platform.now();
    // Its try number `retries - tries` waits what that retry would have.
    const due = now + ctx.timings.sendRetryDelayMs * retryWaitPeriods(retries - tries, ctx.timings.sendRetryMaxBackoff);
    const to: SendTarget = target.nodeId ? { ...target, nodeId: target.nodeId.slice() } : target; // the app's bytes may change
    held.push({ appId: appId.slice(), blob: blob.slice(), target: to, metric, retries, message: number, tries: tries - 1, due });
    if (message === undefined) ctx.counters.inc('send_held'); // messages, not their tries
    this.arm(due, now);
    return number;
  }

  /** Arm the one timer for `due` unless it is already armed for that or sooner. */
  private arm(due: number, now: number): void {
    const ctx = this.#ctx;
    if (ctx.scheduler.has(TIMER) && this.#armedFor <= due) return;
    this.#armedFor = due;
    ctx.schedule(TIMER, Math.max(1, due - now), () => this.tick());
  }

  clear(): void {
    this.#held = undefined;
  }

  /** Try the due ones again; one that fails now is given up (a send that holds it again succeeded). */
  private tick(): void {
    const ctx = this.#ctx;
    const now = ctx.platform.now();
    const held = this.#held ?? [];
    const due = held.filter((h) => h.due <= now);
    this.#held = held.filter((h) => h.due > now);
    for (const h of due) {
      const r = this.#send(h);
      if (r.ok) continue;
      ctx.counters.inc('send_held_failed');
      ctx.hooks.call('message_failed', h.message, r.error.code);
    }
    const next = this.#held.reduce((m, h) => Math.min(m, h.due), Infinity);
    if (next !== Infinity) this.arm(next, now);
  }
}
