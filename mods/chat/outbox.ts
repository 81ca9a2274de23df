/**
 * DMs this node sent and whether a RECEIPT came back: the end-to-end answer the mesh's
 * hop-by-hop acks do not give. At most `limit` kept; a new one pushes out the oldest.
 */

export interface SentDm {
  readonly id: number;
  /** Destination node id, hex. */
  readonly to: string;
  readonly text: string;
  /** `mesh.now()` when sent. */
  readonly at: number;
  delivered: boolean;
}

export class Outbox {
  readonly #limit: number;
  readonly #sent: SentDm[] = [];

  constructor(limit: number) {
    this.#limit = limit;
  }

  add(id: number, to: string, text: string, at: number): void {
    this.#sent.push({ id, to, text, at, delivered: false });
    while (this.#sent.length > this.#limit) this.#sent.shift();
  }

  /**
   * A receipt for DM `id` came from `receiver`: the DM, when it is one we sent to that node
   * and not yet marked (a duplicate receipt, for a retried DM, returns undefined).
   */
  deliver(id: number, receiver: string): SentDm | undefined {
    const dm = this.#sent.find((s) => s.id === id && s.to === receiver);
    if (!dm || dm.delivered) return undefined;
    dm.delivered = true;
    return dm;
  }

  /** Oldest first. */
  list(): readonly SentDm[] {
    return this.#sent;
  }
}
