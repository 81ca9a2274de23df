/**
 * Issue 19, class 5 (Gossip cache without a byte cap) and 11 (amplification): forged 60 KB
 * Gossip PUBLISHes on made-up topics, broadcast as one sequence each (fragments paced so the
 * transmit queue takes them). Large messages travel by NOTIFY/REQUEST: every node fetches and
 * caches each one. Two publishes per episode, 30 s apart.
 */
import { GossipOp, serializeGossip } from '../../../modules/mycelium/wire/messages/gossip.js';
import { framesFor, largestDirectPackage } from '../frames.js';
import type { Attack, AttackContext } from '../attack.js';

const PUBLISHES = 2;
const APART_MS = 30_000;
const FRAME_GAP_MS = 5;
const SIZE = 60_000;

export const gossipFlood: Attack = {
  name: 'gossip_flood',
  start(ctx: AttackContext) {
    const largest = largestDirectPackage(ctx.tap.schemaIds);
    const size = Math.min(SIZE, largest - 32 - 17);
    const publish = (): void => {
      const topic = ctx.random.bytes(new Uint8Array(16));
      const m = serializeGossip({ op: GossipOp.PUBLISH, topic, data: ctx.random.bytes(new Uint8Array(size)) });
      if (!m.ok) return;
      ctx.usedTopic(topic);
      const frames = framesFor(ctx.hashes, 'broadcast', ctx.tap.schemaIds, ctx.apps.gossip, m.value, ctx.ids);
      frames.forEach((f, i) => ctx.after(i * FRAME_GAP_MS, () => ctx.inject(undefined, f)));
      ctx.tally('60 KB publishes');
    };
    for (let k = 0; k < PUBLISHES; k++) ctx.after(k * APART_MS, publish);
  },
};
