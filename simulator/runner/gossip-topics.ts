/**
 * Whose payload a Gossip frame carries. Gossip floods other apps' messages: the frame's Package
 * is Gossip's, but a PUBLISH (or a RESPOND, the same message answering a sync) carries the
 * payload of the app that owns the topic. Counting those bytes as Gossip made the scenario's
 * apps look like control overhead; this names them by the owning app, so they count as data.
 *
 * Topics are known two ways:
 *   - the run's own data apps' topics, computed up front: Ping's per-node channel is
 *     nodeTopic(Ping id, node id) for every node;
 *   - the scenario's mesh apps' topics, SHA-256(app id ‖ topic name)[:16] (mesh-api.ts), learnt
 *     from their subscribe/publish calls. The XS runner relays those calls later than the
 *     in-process one, so a frame is never named from them on the spot: any topic that is not a
 *     standard app's is `topic:<hex>` (data) when the scenario has apps, and `name()` turns it
 *     into the app's name at the end of the run, the same in both runners.
 */
import { GossipOp, nodeTopic, TOPIC_BYTES } from '../../modules/mycelium/wire/messages/gossip.js';
import { concatBytes, fromHex, toHex, utf8Encode } from '../../modules/mycelium/wire/bytes.js';
import { PACKAGE_HEADER_BYTES } from '../../modules/mycelium/wire/package.js';
import type { Hashes } from '../../modules/mycelium/platform/platform.js';
import { borderTopic } from '../../modules/mycelium/apps/tree-borders.js';

export const TOPIC_PREFIX = 'topic:';

export class GossipTopics {
  readonly #hashes: Hashes;
  /** Topic hex → kind, for the standard apps' data topics (Ping). */
  readonly #known = new Map<string, string>();
  readonly #otherTopicsAreData: boolean;
  /** Topics that are the mesh's own: a standard app's id (SpanningTree publishes on its id). */
  readonly #control: Set<string>;
  /** `${app}\0${topic}` of every scenario app topic seen. */
  readonly #appTopics = new Set<string>();

  /**
   * `standard`: the apps every node runs (their ids are control topics); `dataApps` the names
   * of those whose per-node channel carries data, for every node id. `otherTopicsAreData`: the
   * scenario runs mesh apps, so any other topic is theirs.
   */
  constructor(
    hashes: Hashes,
    standard: readonly { id: Uint8Array; name: string }[],
    dataApps: readonly string[],
    nodeIds: readonly Uint8Array[],
    otherTopicsAreData: boolean,
  ) {
    this.#hashes = hashes;
    this.#control = new Set(standard.map((a) => toHex(a.id)));
    this.#control.add(toHex(borderTopic(hashes))); // the tree's border adverts (tree-borders.ts) keep the mesh up
    for (const app of standard.filter((a) => dataApps.includes(a.name))) for (const id of nodeIds) this.#known.set(toHex(nodeTopic(hashes, app.id, id)), app.name);
    this.#otherTopicsAreData = otherTopicsAreData;
  }

  /**
   * The kind of a Gossip Package's body (after the Package header), or undefined when it is
   * Gossip's own (a sync, a notice, a standard app's control topic).
   */
  kindOf(body: Uint8Array): string | undefined {
    const at = PACKAGE_HEADER_BYTES;
    if (body.length < at + 1 + TOPIC_BYTES) return undefined;
    const op = body[at];
    if (op !== GossipOp.PUBLISH && op !== GossipOp.RESPOND) return undefined;
    const topic = toHex(body.subarray(at + 1, at + 1 + TOPIC_BYTES));
    return this.#known.get(topic) ?? (this.#otherTopicsAreData && !this.#control.has(topic) ? TOPIC_PREFIX + topic : undefined);
  }

  /** A scenario app subscribed or published to `topic`. */
  learn(app: string, topic: string): void {
    this.#appTopics.add(`${app}\0${topic}`);
  }

  /**
   * `topic:<hex>` kinds named by their app: `appIds` maps app id (hex) → app name, as the
   * nodes reported them. Unknown topics keep their `topic:<hex>` kind.
   */
  names(appIds: ReadonlyMap<string, string>): Map<string, string> {
    const idsOf = new Map<string, string[]>();
    for (const [id, name] of appIds) idsOf.set(name, [...(idsOf.get(name) ?? []), id]);
    const out = new Map<string, string>();
    for (const key of this.#appTopics) {
      const [app, topic] = key.split('\0');
      for (const idHex of idsOf.get(app) ?? []) {
        const id = fromHex(idHex);
        if (!id) continue;
        const t = this.#hashes.sha256(concatBytes(id, utf8Encode(topic))).slice(0, TOPIC_BYTES);
        out.set(TOPIC_PREFIX + toHex(t), app);
      }
    }
    return out;
  }
}
