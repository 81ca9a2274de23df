/**
 * Issue 19, class 9: replays. Tree ASSIGNs and Gossip PUBLISHes the attacker overheard are sent
 * again, byte for byte, at least a minute later, from the MAC that first sent them (an ASSIGN
 * to the child it was for). Can an old parent's word or an old publish come back to life?
 * Three recordings every 20 s.
 */
import { pick, type Attack, type AttackContext } from '../attack.js';

const EVERY_MS = 20_000;
const PER_ROUND = 3;
const MIN_AGE_MS = 60_000;

export const replay: Attack = {
  name: 'replay',
  start(ctx: AttackContext) {
    ctx.every(EVERY_MS, () => {
      const old = ctx.knows.recorded.filter((r) => ctx.clock.now() - r.at >= MIN_AGE_MS);
      for (let k = 0; k < PER_ROUND; k++) {
        const r = pick(ctx.random, old);
        if (!r) return;
        ctx.inject(r.destMac, r.frame, r.srcMac);
        ctx.tally(r.kind === 'assign' ? 'tree assigns replayed' : 'publishes replayed');
      }
    });
  },
};
