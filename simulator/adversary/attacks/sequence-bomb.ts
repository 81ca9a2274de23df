/**
 * Issue 19, class 3: the slow sequence bomb. Two made-up senders (made-up MACs) each open, at
 * one neighbour, a unicast sequence claiming the most fragments a schema allows, then add one
 * fragment every 9 s: 0.22 frames/s that reserve the victim's inbound reassembly budget.
 */
import { framesFor, largestDirectPackage } from '../frames.js';
import { pick, spoofedMac, type Attack, type AttackContext } from '../attack.js';

const SENDERS = 2;
const DRIP_MS = 9_000;

export const sequenceBomb: Attack = {
  name: 'sequence_bomb',
  start(ctx: AttackContext) {
    const victim = pick(ctx.random, [...ctx.knows.neighbours.values()]);
    if (!victim) return;
    const largest = largestDirectPackage(ctx.tap.schemaIds);
    for (let k = 0; k < SENDERS; k++) {
      const mac = spoofedMac(ctx.random);
      const blob = ctx.random.bytes(new Uint8Array(Math.max(1, largest - 32)));
      const frames = framesFor(ctx.hashes, 'direct', ctx.tap.schemaIds, ctx.apps.gossip, blob, ctx.ids);
      let next = 0;
      const drip = (): void => {
        // Never the last fragment: the sequence must stay open.
        if (next >= frames.length - 1) return;
        ctx.inject(victim.mac, frames[next++], mac);
        ctx.tally('fragments dripped');
      };
      ctx.after(k * 1_000, () => {
        drip();
        ctx.every(DRIP_MS, drip);
      });
    }
    ctx.tally('sequences opened', SENDERS);
  },
};
