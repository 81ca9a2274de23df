/**
 * How many unicast answers a Hello app gives per hello period, to whoever asks (a probe's answer,
 * hello-probe.ts; a HERE, hello-where.ts): at most `limit`, one per asker. What a flood of
 * questions can cost us; the list never holds more than `limit` entries.
 */
export class AnswerBudget {
  readonly #limit: number;
  /** Whom we answered and when, oldest first. */
  readonly #recent: { key: string; at: number }[] = [];

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** Whether `asker` may be answered at `now` (then it is counted), within the last `periodMs`. */
  take(asker: string, now: number, periodMs: number): boolean {
    const recent = this.#recent;
    while (recent.length > 0 && now - recent[0].at >= periodMs) recent.shift();
    if (recent.length >= this.#limit || recent.some((a) => a.key === asker)) return false;
    recent.push({ key: asker, at: now });
    return true;
  }
}
