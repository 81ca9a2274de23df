/**
 * Store-and-forward figures of a run (docs/store-forward.md, report `store_forward`): of the
 * `held` traffic, what was sent while its destination was down or cut off ("held"), how much of
 * that arrived after it came back, what expired or was evicted (the senders' statuses), copies
 * beyond the first, and the largest store any node had.
 */
export interface HeldSummary {
  /** Messages of `held` flows handed to their source. */
  readonly sent: number;
  readonly delivered: number;
  readonly delivery_ratio: number;
  /** Of `sent`: those whose destination was down or unreachable when they were sent. */
  readonly held: number;
  /** Of `held`: those that arrived (after the destination returned). */
  readonly delivered_after_return: number;
  readonly held_delivery_ratio: number;
  /** Final statuses the senders heard. */
  readonly expired: number;
  readonly evicted: number;
  /** Messages that went into a custodian's care at least once. */
  readonly in_custody: number;
  /** Arrivals beyond the first copy. */
  readonly duplicates: number;
  /** The largest store of any node: bundles and bytes (and which node). */
  readonly storage_peak: { readonly count: number; readonly bytes: number; readonly node: number | null };
  /** Held messages neither delivered nor reported expired/evicted by the end of the run. */
  readonly outstanding: number;
  /** The status each sender last heard for its message, counted at the end (what a user would read from `held`). */
  readonly statuses: { readonly queued: number; readonly in_custody: number; readonly delivered: number; readonly expired: number; readonly evicted: number };
  /** Per traffic entry (its index in the scenario): sent, delivered, held, delivered after return. */
  readonly by_traffic: Record<string, { readonly sent: number; readonly delivered: number; readonly held: number; readonly delivered_after_return: number }>;
}

interface HeldMessage {
  readonly dst: number;
  readonly entry: number;
  readonly held: boolean;
  copies: number;
  custody: boolean;
  final: 'expired' | 'evicted' | undefined;
  /** The last status the sender heard. */
  last: 'queued' | 'in_custody' | 'delivered' | 'expired' | 'evicted';
}

export class HeldLedger {
  readonly #messages = new Map<number, HeldMessage>();
  #peak = { count: 0, bytes: 0, node: null as number | null };

  sent(id: number, dst: number, held: boolean, entry: number): void {
    this.#messages.set(id, { dst, entry, held, copies: 0, custody: false, final: undefined, last: 'queued' });
  }

  has(id: number): boolean {
    return this.#messages.has(id);
  }

  arrived(id: number, node: number): void {
    const m = this.#messages.get(id);
    if (m && m.dst === node) m.copies++;
  }

  status(id: number, status: string): void {
    const m = this.#messages.get(id);
    if (!m) return;
    if (status === 'queued' || status === 'in_custody' || status === 'delivered' || status === 'expired' || status === 'evicted') m.last = status;
    if (status === 'in_custody') m.custody = true;
    else if (status === 'expired' || status === 'evicted') m.final ??= status;
  }

  store(node: number, count: number, bytes: number): void {
    if (count > this.#peak.count || (count === this.#peak.count && bytes > this.#peak.bytes)) this.#peak = { count, bytes, node };
  }

  summary(): HeldSummary {
    let delivered = 0;
    let held = 0;
    let after = 0;
    let expired = 0;
    let evicted = 0;
    let custody = 0;
    let duplicates = 0;
    let outstanding = 0;
    const statuses = { queued: 0, in_custody: 0, delivered: 0, expired: 0, evicted: 0 };
    const byTraffic: Record<string, { sent: number; delivered: number; held: number; delivered_after_return: number }> = {};
    for (const m of this.#messages.values()) {
      const t = (byTraffic[String(m.entry)] ??= { sent: 0, delivered: 0, held: 0, delivered_after_return: 0 });
      t.sent++;
      if (m.copies > 0) t.delivered++;
      if (m.held) t.held++;
      if (m.held && m.copies > 0) t.delivered_after_return++;
      if (m.copies > 0) delivered++;
      if (m.held) held++;
      if (m.held && m.copies > 0) after++;
      if (m.final === 'expired') expired++;
      if (m.final === 'evicted') evicted++;
      if (m.custody) custody++;
      duplicates += Math.max(0, m.copies - 1);
      if (m.copies === 0 && !m.final) outstanding++;
      statuses[m.last]++;
    }
    const ratio = (a: number, b: number) => (b === 0 ? 0 : Math.round((a / b) * 10000) / 10000);
    const sent = this.#messages.size;
    return { sent, delivered, delivery_ratio: ratio(delivered, sent), held, delivered_after_return: after, held_delivery_ratio: ratio(after, held), expired, evicted, in_custody: custody, duplicates, storage_peak: { ...this.#peak }, outstanding, statuses, by_traffic: byTraffic };
  }
}
