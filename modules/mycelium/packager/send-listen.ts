/**
 * The listen that follows a frame we woke the radio to send (modem-sleep.ts `wakeToSend`;
 * docs/sleep.md "Session 19"). It used to last a whole window (40 ms) in case an answer came;
 * but a frame sent out of our windows asks for no answer there unless it asks for a hop ack or is
 * an RNS probe: what a neighbour has for us waits for our window, where it knows we listen.
 * What the 40 ms did carry is the frame itself: the radio queues it behind carrier sense and
 * retries it at the link layer, and a radio put to sleep drops what it still holds. So when the
 * radio reports each accepted frame done with (Radio.onSent), the listen ends once it holds none
 * of ours; a radio that never reports keeps the whole window. Pure state on the caller's clock.
 */
export class SendListen {
  /** Frames of ours a radio accepted and has not reported done with. */
  #inRadio = 0;
  /** End of the current listen (platform ms); 0: none. */
  #until = 0;
  /** The listen is for our frames only (no answer awaited, nothing else keeps us awake). */
  #framesOnly = false;

  /** Whether the current listen waits only for the radio to send our frames. */
  get framesOnly(): boolean {
    return this.#framesOnly;
  }

  /** A listen until `until` begins or grows; `framesOnly`: it waits for nothing but our frames. */
  begin(until: number, framesOnly: boolean): void {
    this.#until = until;
    this.#framesOnly = framesOnly;
  }

  /** Something else keeps the radio on meanwhile (a window, an echo, a send slot): no early end. */
  other(): void {
    this.#framesOnly = false;
  }

  handed(): void {
    this.#inRadio++;
  }

  /** One frame done with; true when the radio now holds none of ours. */
  done(): boolean {
    if (this.#inRadio > 0) this.#inRadio--;
    return this.#inRadio === 0;
  }

  /** Whether the listen may end at `now`, the radio being kept on until `awakeUntil` otherwise. */
  mayEnd(now: number, awakeUntil: number): boolean {
    return this.#framesOnly && this.#inRadio === 0 && now < this.#until && awakeUntil <= this.#until;
  }

  end(): void {
    this.#until = 0;
    this.#framesOnly = false;
  }
}
