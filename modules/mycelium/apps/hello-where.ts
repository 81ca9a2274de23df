/**
 * Addresses for a sleepy leaf (docs/sleep.md "Sleepy leaves", session 22). Routes to other nodes
 * come from their address adverts, floods a leaf hears one time in eight (it listens in one
 * window of a superframe; a sleeping node gossips its address on change and every 4 minutes). A
 * leaf that missed one could not send to that node for minutes (`sleepy-leaves-lossy-40` seed 1:
 * a leaf refused 22 of its 24 pings to another leaf, `no_route`). So when a leaf's send finds no
 * route to a node id, it asks the routing neighbour it heard last, by unicast (WHERE), and that
 * router answers from its own table by unicast (HERE), held for the leaf's window: the next send
 * finds the route. Bounded: one question per destination per WHERE_EVERY_MS, ASKED_LIMIT
 * destinations remembered; an answer only for a destination asked about, from the neighbour
 * asked; a router answers ANSWERS_PER_PERIOD WHEREs per hello period, one per asker.
 */
import type { Delivery } from '../packager/application.js';
import type { Packager } from '../packager/packager.js';
import { bytesEqual, toHex } from '../wire/bytes.js';
import { HELLO_WHERE_OP, parseHereIs, parseWhereIs, serializeHereIs, serializeWhereIs } from '../wire/messages/hello-where.js';
import type { Address } from '../wire/address.js';
import { routerToAsk } from './hello-leaves.js';
import { AnswerBudget } from './answer-budget.js';

export const WHERE_EVERY_MS = 10_000;
const ASKED_LIMIT = 8;
const ANSWERS_PER_PERIOD = 4;

/** What a Hello app lends its questions (the app itself). */
export interface WhereHello {
  readonly packager: Packager;
  readonly id: Uint8Array;
  readonly params: { readonly interval_ms: number };
}

export class AddressAsk {
  readonly #hello: WhereHello;
  /** Destination (hex) → [when asked, the router asked (hex)], oldest first. */
  readonly #asked = new Map<string, [number, string]>();
  /** Our answers: one per asker and hello period, ANSWERS_PER_PERIOD in all. */
  readonly #answers = new AnswerBudget(ANSWERS_PER_PERIOD);

  constructor(hello: WhereHello) {
    this.#hello = hello;
  }

  /** Our send to `nodeId` found no route: ask a router, unless asked about it lately. */
  ask(nodeId: Uint8Array): void {
    const p = this.#hello.packager;
    const now = p.platform.now();
    const key = toHex(nodeId);
    const asked = this.#asked.get(key);
    if (asked !== undefined && now - asked[0] < WHERE_EVERY_MS) return;
    const router = routerToAsk(p.peers);
    const m = serializeWhereIs(nodeId);
    if (!router || !m.ok) return;
    this.#asked.delete(key);
    this.#asked.set(key, [now, router.key]);
    if (this.#asked.size > ASKED_LIMIT) this.#asked.delete(this.#asked.keys().next().value as string);
    const sent = p.send(this.#hello.id, m.value, { nodeId: router.id }, { retries: 0, unacked: true });
    p.counters.inc(sent.ok ? 'hello_where_sent' : 'hello_probe_unsent');
  }

  /** A WHERE or a HERE from `from` (a Hello-speaking neighbour, not relayed: the caller checked). */
  receive(blob: Uint8Array, from: Delivery): void {
    const p = this.#hello.packager;
    const peer = from.peer;
    if (!peer) return;
    if (blob[0] === HELLO_WHERE_OP) {
      const id = parseWhereIs(blob);
      if (!id.ok) return p.counters.inc('hello_bad_message');
      const address = this.addressOf(id.value);
      if (address && this.mayAnswer(peer.key)) {
        const m = serializeHereIs({ nodeId: id.value, address });
        const sent = m.ok && p.send(this.#hello.id, m.value, { nodeId: peer.id }, { retries: 0, unacked: true });
        p.counters.inc(sent && sent.ok ? 'hello_where_answer' : 'hello_probe_unsent');
      }
      return;
    }
    const here = parseHereIs(blob);
    if (!here.ok) return p.counters.inc('hello_bad_message');
    const asked = this.#asked.get(toHex(here.value.nodeId));
    if (!asked || asked[1] !== peer.key || p.platform.now() - asked[0] >= WHERE_EVERY_MS) return p.counters.inc('hello_where_unasked');
    if (p.addRoute(here.value.nodeId, here.value.address)) p.counters.inc('hello_where_learned');
  }

  /** What we know of `nodeId`: ourselves, or its newest address in one of our trees (else its newest). */
  private addressOf(nodeId: Uint8Array): Address | undefined {
    const p = this.#hello.packager;
    if (bytesEqual(nodeId, p.nodeId)) return p.address;
    const known = p.addressesOf(nodeId);
    for (let i = known.length - 1; i >= 0; i--) if (p.addresses.some((a) => a.treeState === known[i].treeState)) return known[i];
    return known[known.length - 1];
  }

  private mayAnswer(key: string): boolean {
    const p = this.#hello.packager;
    if (this.#answers.take(key, p.platform.now(), this.#hello.params.interval_ms)) return true;
    p.counters.inc('hello_probe_refused');
    return false;
  }
}
