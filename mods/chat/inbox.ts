/**
 * Messages received (DMs to this node and SAYs on the topic), oldest first, at most `limit`:
 * a new message pushes out the oldest.
 *
 * A DM can arrive twice (the mesh retries a hop whose ack was lost, or the sender resends), so
 * a message with the same sender, id and text as one received in the last minute is a
 * duplicate: not stored again. The text is part of the test because ids restart when a node
 * restarts; the time bound keeps an old message from hiding a new one forever.
 */

export const DUPLICATE_WINDOW_MS = 60_000;

export interface InboxMessage {
  readonly kind: 'dm' | 'say';
  readonly id: number;
  /** Sender node id, hex. */
  readonly from: string;
  /** Sender's name as known when it arrived ('' when none). */
  readonly name: string;
  readonly text: string;
  /** `mesh.now()` on arrival. */
  readonly at: number;
}

export class Inbox {
  readonly #limit: number;
  readonly #messages: InboxMessage[] = [];

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** Store `m` unless it is a duplicate; true when stored. */
  add(m: InboxMessage): boolean {
    const dup = this.#messages.some((o) => o.kind === m.kind && o.from === m.from && o.id === m.id && o.text === m.text && m.at - o.at < DUPLICATE_WINDOW_MS);
    if (dup) return false;
    this.#messages.push(m);
    while (this.#messages.length > this.#limit) this.#messages.shift();
    return true;
  }

  /** Oldest first. */
  list(): readonly InboxMessage[] {
    return this.#messages;
  }

  /** The newest `n`, oldest first. */
  last(n: number): InboxMessage[] {
    return this.#messages.slice(-n);
  }
}
