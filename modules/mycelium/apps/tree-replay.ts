/**
 * Replay defences of the SpanningTree (issue 19, class 9), on what upstream's tree messages
 * already carry. A captured SEND or ASSIGN replayed from a parent's MAC after the root died kept
 * the dead root's tree alive: the message's `age` is relative, so a replay always looks fresh.
 *
 * - Every tree message carries its sender's clock (`ts`, ms). Per direct sender we keep the
 *   highest `ts` heard; a message more than `windowMs` older than that is a replay and is
 *   dropped. The slack lets a unicast retried after a later message through. A sender whose
 *   clock restarted (a reboot) is told from a replay by its uptime: it cannot exceed the time
 *   since we last heard it.
 * - An ASSIGN is taken only as the answer to a REQUEST we sent that peer for that claim within
 *   `answerMs` (upstream parents too send ASSIGN only in answer to a REQUEST).
 *
 * Both tables are capped (least recently used first out). Messages forged afresh (any `ts`)
 * are not stopped here: that takes signatures (docs/security.md).
 *
 * A neighbour that leaves UNANSWERED_LIMIT REQUESTs in a row for its claim unanswered is not
 * asked again for IGNORE_MS (`ignoring`): the next best claim is chosen meanwhile. A parent one
 * nibble short of the 32 whose coordinates 1–8 are taken has no room for one more child, though
 * its address says it has (tree-assign.ts `roomForChild`); a node next to it kept asking it (318
 * refusals in random-2000's 10 minutes) and stayed a tree of its own beside one it could join. A neighbour that
 * advertises a good claim and never answers (lossy, or hostile) costs the same way.
 */
import { bytesEqual } from '../wire/bytes.js';
import type { NodeSlots } from '../packager/node-slots.js';
import { SlotPairs } from '../packager/slot-pairs.js';
import { LazyMap } from '../packager/lazy-map.js';

export interface TreeReplayParams {
  /** Entries per table. */
  readonly limit: () => number;
  /** A message this much older than its sender's newest is still taken (retries), ms. */
  readonly windowMs: () => number;
  /** An ASSIGN is taken this long after our REQUEST, ms. */
  readonly answerMs: () => number;
  /** The node's key index, which the senders' clocks are kept on (node-slots.ts). */
  readonly nodeSlots: () => NodeSlots;
}

/** REQUESTs in a row left unanswered before the neighbour is ignored. */
export const UNANSWERED_LIMIT = 3;
/** How long it is then ignored (after that, one more REQUEST tries it again). */
export const IGNORE_MS = 60_000;

export class TreeReplay {
  readonly #params: TreeReplayParams;
  /**
   * Sender → its highest `ts` heard and our ms then, on the node's key index (slot-pairs.ts: 24 B
   * a sender on XS beside its shared slot). Made on the first message.
   */
  #clocks: SlotPairs | undefined;
  /** Our last REQUEST per neighbour; `misses`: the REQUESTs before it left unanswered in a row. */
  readonly #asked = new LazyMap<string, { claim: Uint8Array; at: number; answered: boolean; misses: number }>();

  constructor(params: TreeReplayParams) {
    this.#params = params;
  }

  /** True when a message stamped `ts` from `key` is a replay; otherwise it is recorded. */
  stale(key: string, ts: number, now: number): boolean {
    const window = this.#params.windowMs();
    const clocks = (this.#clocks ??= new SlotPairs(this.#params.nodeSlots()));
    const high = clocks.first(key);
    if (high !== undefined && ts < high - window && ts > now - (clocks.second(key) as number) + window) return true;
    if (high === undefined || ts > high || ts < high - window) clocks.put(key, ts, now, this.#params.limit());
    return false;
  }

  /**
   * We send `key` a REQUEST for `claim`. True when our last REQUEST to it, for the same claim,
   * got no ASSIGN: it may not know us (SpanningTree introduce_on_retry).
   */
  asked(key: string, claim: Uint8Array, now: number): boolean {
    const prev = this.#asked.get(key);
    const unanswered = prev !== undefined && !prev.answered && bytesEqual(prev.claim, claim);
    put(this.#asked, key, { claim: claim.slice(), at: now, answered: false, misses: unanswered ? prev.misses + 1 : 0 }, this.#params.limit());
    return unanswered;
  }

  /**
   * Choosing a claim, pass `key` over: it is `ignoring` us over a link Hello measures clean.
   * Without Hello (upstream's apps, LoRa) an unanswered REQUEST is as likely lost on the air.
   */
  passOver(p: { peerByKey(key: string): { readonly link?: { good(now: number): boolean } } | undefined }, key: string, now: number): boolean {
    return this.ignoring(key, now) && p.peerByKey(key)?.link?.good(now) === true;
  }

  /**
   * Our last UNANSWERED_LIMIT REQUESTs to `key` in a row are unanswered (the last may still be
   * answered: its ASSIGN is taken), the last less than IGNORE_MS ago: ask another meanwhile.
   */
  ignoring(key: string, now: number): boolean {
    const a = this.#asked.get(key);
    return a !== undefined && !a.answered && a.misses >= UNANSWERED_LIMIT - 1 && now - a.at < IGNORE_MS;
  }

  /** Our last REQUEST to `key`, for `claim`, has had no ASSIGN yet. */
  pending(key: string, claim: Uint8Array): boolean {
    const a = this.#asked.get(key);
    return a !== undefined && !a.answered && bytesEqual(a.claim, claim);
  }

  /** An ASSIGN from `key` for `claim` answers a REQUEST of ours. */
  answers(key: string, claim: Uint8Array, now: number): boolean {
    const a = this.#asked.get(key);
    const ok = a !== undefined && now - a.at <= this.#params.answerMs() && bytesEqual(a.claim, claim);
    if (ok) a.answered = true;
    return ok;
  }
}

/** Set `key` as the most recently used entry, evicting the least recently used beyond `limit`. */
function put<T>(map: LazyMap<string, T>, key: string, value: T, limit: number): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > Math.max(1, limit)) map.delete(map.keys().next().value as string);
}
