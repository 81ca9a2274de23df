/**
 * Issue 19, class 4: forged Ping REQUESTs at 200 a second for two minutes to one neighbour,
 * naming the attacker as requester, whose radio then drops everything the victim sends (no ack
 * ever comes back): every answer holds a retry event in the victim's table. Can its periodic
 * timers (beacon, hello, tree, Gossip sync) still re-arm?
 */
import { PingOp, serializePing } from '../../../modules/mycelium/wire/messages/ping.js';
import { bytesEqual } from '../../../modules/mycelium/wire/bytes.js';
import { treeState } from '../../../modules/mycelium/wire/ids.js';
import { framesFor } from '../frames.js';
import { pick, type Attack, type AttackContext } from '../attack.js';

const RATE_PER_S = 200;
const FLOOD_MS = 120_000;

export const pingFlood: Attack = {
  name: 'ping_flood',
  start(ctx: AttackContext) {
    const victim = pick(ctx.random, [...ctx.knows.neighbours.values()]);
    const own = ctx.knows.own;
    if (!victim || !own) return;
    const drop = (frame: Uint8Array, mac: Uint8Array | undefined) => (mac && bytesEqual(mac, victim.mac) ? undefined : frame);
    ctx.tap.incoming.push(drop);
    let nonce = 0;
    let sent = 0;
    const step = 1_000 / RATE_PER_S;
    const one = (): void => {
      if (sent++ >= (FLOOD_MS / 1_000) * RATE_PER_S) return;
      const m = serializePing({
        op: PingOp.REQUEST,
        nonce: nonce++ & 0xff,
        metric: 0,
        ts1: BigInt(Math.floor(ctx.clock.now())),
        ts2: 0n,
        ts3: 0n,
        treeState: treeState(ctx.hashes, own.claim),
        address: own.address,
        nodeId: own.id,
      });
      if (m.ok) for (const f of framesFor(ctx.hashes, 'direct', ctx.tap.schemaIds, ctx.apps.ping, m.value, ctx.ids)) ctx.inject(victim.mac, f);
      ctx.tally('forged ping requests');
      ctx.after(step, one);
    };
    one();
    return () => {
      ctx.tap.incoming = ctx.tap.incoming.filter((f) => f !== drop);
    };
  },
};
