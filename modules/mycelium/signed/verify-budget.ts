/**
 * How many signatures each neighbour may make us verify per tree round (issue 20): a flood of
 * bad signatures from one neighbour costs at most `perRound` verifications per `roundMs`, and
 * the rest are dropped unverified (counted by the caller). Bounded: at most `limit` neighbours
 * tracked, the least recently charged forgotten first.
 */
export class VerifyBudget {
  readonly #perRound: () => number;
  readonly #roundMs: () => number;
  readonly #limit: () => number;
  readonly #spent = new Map<string, { start: number; used: number }>();

  constructor(perRound: () => number, roundMs: () => number, limit: () => number) {
    this.#perRound = perRound;
    this.#roundMs = roundMs;
    this.#limit = limit;
  }

  /** Charge `n` verifications to `peerKey`; false (and nothing charged) when over its budget. */
  take(peerKey: string, n: number, now: number): boolean {
    let s = this.#spent.get(peerKey);
    if (!s || now - s.start >= this.#roundMs()) s = { start: now, used: 0 };
    if (s.used + n > this.#perRound()) return false;
    s.used += n;
    this.#spent.delete(peerKey);
    this.#spent.set(peerKey, s);
    if (this.#spent.size > this.#limit()) this.#spent.delete(this.#spent.keys().next().value as string);
    return true;
  }
}
