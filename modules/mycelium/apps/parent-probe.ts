/**
 * When a child asks its parent whether it is alive (apps/hello-probe.ts carries the question and
 * the answer; docs/routing.md "Fast tree repair", item 8). Two moments, one clock:
 *
 * - **A silent parent**: its hellos have missed all but the last PROBE_PERIODS of the silence that
 *   makes us give it up (LinkEstimate.silenceLimit). Asked once per its period; its answer
 *   restarts the silence. A parent that answers nothing for ANSWER_WAIT_MS is down: given up
 *   then (`unanswered`), not two hello periods later at the end of its silence limit.
 * - **The root, before we give it up** as our parent (its link went bad, or silent): a root given
 *   up is poisoned for the whole tree, which re-forms. On a one-way link a child stops hearing
 *   the root's hellos while the root still hears it, and a unicast answer, retried by the radio,
 *   gets through (lossy-asym-50 seed 16: a child of the root poisoned a live root for 44 nodes).
 *   The root's answer is a heartbeat. We keep the root while it answers; one question
 *   unanswered for ANSWER_WAIT_MS, and the root is given up as before.
 */
import type { Peer } from '../packager/peer.js';

/** Periods of silence before giving a parent up in which we probe it: two tries. */
export const PROBE_PERIODS = 2;
/** How long an answer may take (a unicast and its radio retries each way: tens of ms). */
export const ANSWER_WAIT_MS = 1000;

/** What the probes need of Hello (hello.ts): the question, and its answer rate. */
export interface Prober {
  /** `root`: the root before it is given up, asked in modem sleep too (its loss re-forms the whole tree). */
  probe(peer: Peer, root?: boolean): boolean;
  readonly params: { readonly interval_ms: number };
}

export class ParentProbe {
  /** When we last asked our parent (either moment). */
  #askedAt = -Infinity;
  /** The silent parent we asked then (`silent`), undefined once heard or when the root was asked. */
  #silentKey: string | undefined;

  /** A silent parent: ask it now if due (see the header). True when asked. */
  silent(prober: Prober | undefined, parent: Peer, link: NonNullable<Peer['link']>, now: number): boolean {
    if (!prober || link.silentPeriods(now) <= link.silenceLimit() - PROBE_PERIODS || now - this.#askedAt < this.spacing(prober, link)) return false;
    const sent = prober.probe(parent);
    // Only a question sent counts as asked: in modem sleep none goes to a silent parent, and an
    // `#askedAt` set anyway made `rootAnswers` take the root for asked and unanswered a second
    // later, and give it up unasked (sleepy-leaves-lossy-40 seed 44: the tree re-formed twice).
    if (sent) this.#askedAt = now;
    this.#silentKey = sent ? parent.key : undefined;
    return sent;
  }

  /**
   * Once per the parent's hello period, and no sooner than it answers again (one answer per
   * asker and hello period of the answerer's, hello-probe.ts): a root says hello every second,
   * and its children's second question in a period went unanswered although it lived.
   */
  private spacing(prober: Prober, link: NonNullable<Peer['link']>): number {
    return Math.max(link.intervalMs, prober.params.interval_ms + ANSWER_WAIT_MS / 2);
  }

  /**
   * The silent parent we asked has said nothing for ANSWER_WAIT_MS since (no answer, no hello):
   * it is down. A unicast question is retried by the radio until acked, and a live parent answers
   * at once, so waiting out the rest of its silence limit (two more hello periods: 6 s on a clean
   * link) only keeps our subtree on a dead branch: churn-100 lost its pings there at local minima.
   */
  unanswered(parent: Peer, link: NonNullable<Peer['link']>, now: number): boolean {
    // Nothing asked (the common case) is answered before the parent's key is read: a Packager's
    // peer makes it when asked (node-slots.ts), and this runs for every hello of the parent.
    const asked = this.#silentKey;
    if (asked === undefined || asked !== parent.key) return false;
    if (link.lastHeard >= this.#askedAt) {
      this.#silentKey = undefined;
      return false;
    }
    return now - this.#askedAt >= ANSWER_WAIT_MS;
  }

  /**
   * The root, our parent, is about to be given up (see the header): true to keep it for now —
   * asked and waiting, or it answered (`lastBeat`, the last heartbeat we hold, came after our
   * question). Asked again once per its answer period and a half second (one answer per asker and
   * period, hello-probe.ts).
   */
  rootAnswers(prober: Prober | undefined, root: Peer | undefined, lastBeat: number, now: number): boolean {
    if (!prober || !root) return false;
    const since = now - this.#askedAt;
    // Past the root's answer period by a margin: asked at its edge, the root may still count our last question.
    if (since >= prober.params.interval_ms + ANSWER_WAIT_MS / 2) {
      if (!prober.probe(root, true)) return false;
      this.#askedAt = now;
      this.#silentKey = undefined;
      return true;
    }
    if (lastBeat >= this.#askedAt) return true;
    return since < ANSWER_WAIT_MS;
  }
}
