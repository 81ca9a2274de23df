/**
 * Probing a silent parent (docs/routing.md "Probing a silent parent"). A child judges its parent
 * by its broadcast hellos, and a broadcast gets no retry: on a busy line a neighbour beyond the
 * parent (hidden from it) can collide with several of its hellos in a row, and the child then
 * gives a live parent up, poisons the root for its whole branch and re-forms it (line-70 on the
 * lossy radio lost a fifth of its pings that way). Before that, the child asks the parent by
 * unicast, which the radio retries until acked (ESP-NOW's MAC), and the parent answers with its
 * hello header by unicast: the child hears it alive, and its root's heartbeat with it. A parent
 * that is really gone answers nothing and is given up when it would have been.
 *
 * This is neighbour unreachability detection (RFC 4861 §7.3, RPL's use of it; Thread MLE's Link
 * Request; Babel's unicast hellos): probe only what is in doubt, only the neighbour we depend on.
 * Not in modem sleep, ours or the parent's (Hello.probe): hellos then come in wake windows and are
 * spread across cycles, so a silence means less, and a probe would wake a sleeper. An answer
 * carries the number of the parent's last hello: it is not one more hello in the count its
 * receivers keep. Probe and answer go without the Packager's end-to-end ack: the answer is the reply. Our older
 * builds drop both as unknown hello ops (`hello_bad_message`); upstream never sees Hello at all.
 */
import { HELLO_ANSWER_OP, HELLO_PROBE_OP, parseHello, serializeHello, type HelloMessage } from '../wire/messages/hello.js';
import type { Delivery } from '../packager/application.js';
import type { Peer } from '../packager/peer.js';
import type { Packager } from '../packager/packager.js';
import { routerToAsk } from './hello-leaves.js';
import { AnswerBudget } from './answer-budget.js';

/** Answers we give per normal hello period (`interval_ms`) at most, whoever asks: what a flood of probes can cost us. */
const ANSWERS_PER_PERIOD = 4;

/** Who hears an answer as a hello (the tree: Hello's listener), without importing hello.ts. */
interface AnswerListener {
  onHello(peer: Peer, m: HelloMessage, now: number): void;
}

/** What a Hello app lends its probes (the app itself). */
export interface ProbingHello {
  readonly packager: Packager;
  readonly id: Uint8Array;
  readonly params: { readonly interval_ms: number };
  /** Our last hello's header, no sections: what an answer says. */
  answerMessage(): HelloMessage;
}

export class HelloProbes {
  readonly #hello: ProbingHello;
  /** Our answers: one per asker and period, ANSWERS_PER_PERIOD in all. */
  readonly #answers = new AnswerBudget(ANSWERS_PER_PERIOD);

  constructor(hello: ProbingHello) {
    this.#hello = hello;
  }

  /** A sleepy leaf's routers went quiet: ask the one heard last (hello-leaves.ts `routerToAsk`). */
  askRouter(peers: Iterable<Peer>): void {
    const router = routerToAsk(peers);
    if (router) this.probe(router);
  }

  /** Ask `peer` to answer by unicast. */
  probe(peer: Peer): boolean {
    const h = this.#hello;
    const sent = h.packager.send(h.id, Uint8Array.of(HELLO_PROBE_OP), { nodeId: peer.id }, { retries: 0, unacked: true });
    h.packager.counters.inc(sent.ok ? 'hello_probe_sent' : 'hello_probe_unsent');
    return sent.ok;
  }

  /** A probe or an answer arrived (its op is HELLO_PROBE_OP or HELLO_ANSWER_OP); true for an answer taken. */
  receive(blob: Uint8Array, from: Delivery, listener: AnswerListener | undefined): boolean {
    const h = this.#hello;
    const peer = from.peer;
    // Only a neighbour that speaks Hello, and only from itself (not relayed).
    if (!peer?.link || from.hops !== 1) {
      h.packager.counters.inc('hello_probe_stranger');
      return false;
    }
    if (blob[0] === HELLO_PROBE_OP) {
      this.answer(peer);
      return false;
    }
    const parsed = parseHello(blob, HELLO_ANSWER_OP);
    if (!parsed.ok) {
      h.packager.counters.inc('hello_bad_message');
      return false;
    }
    const now = h.packager.platform.now();
    h.packager.counters.inc('hello_probe_answered');
    peer.link.answered(now);
    listener?.onHello(peer, parsed.value, now);
    return true;
  }

  private answer(peer: Peer): void {
    const h = this.#hello;
    if (!this.#answers.take(peer.key, h.packager.platform.now(), h.params.interval_ms)) {
      h.packager.counters.inc('hello_probe_refused');
      return;
    }
    const m = serializeHello(h.answerMessage(), HELLO_ANSWER_OP);
    if (!m.ok) return;
    const sent = h.packager.send(h.id, m.value, { nodeId: peer.id }, { retries: 0, unacked: true });
    h.packager.counters.inc(sent.ok ? 'hello_probe_answer' : 'hello_probe_unsent');
  }
}
