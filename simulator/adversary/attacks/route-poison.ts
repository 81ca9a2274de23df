/**
 * Issue 19, class 6: false address adverts. Tree SEND adverts in the name of nodes the attacker
 * has heard, each giving a made-up address under the attacker's own: neighbours learn routes
 * that lead nowhere (or into loops). Ten adverts every 10 s.
 */
import { TreeOp, serializeTree } from '../../../modules/mycelium/wire/messages/tree.js';
import { Address, decodeAddress, encodeCoords } from '../../../modules/mycelium/wire/address.js';
import { framesFor } from '../frames.js';
import { pick, type Attack, type AttackContext } from '../attack.js';

const EVERY_MS = 10_000;
const PER_ROUND = 10;

export const routePoison: Attack = {
  name: 'route_poison',
  start(ctx: AttackContext) {
    ctx.every(EVERY_MS, () => {
      const own = ctx.knows.own;
      if (!own) return;
      const base = decodeAddress(own.address);
      const places = [...ctx.knows.places.values()];
      for (let k = 0; k < PER_ROUND; k++) {
        const victim = pick(ctx.random, places);
        if (!victim || !base.ok) return;
        const coords = [...base.value, 1 + ctx.random.int(135), 1 + ctx.random.int(135)];
        const address = encodeCoords(coords);
        if (!address.ok || !Address.fromBytes(0, address.value).ok) continue;
        const m = serializeTree({ op: TreeOp.SEND, ts: BigInt(Math.floor(ctx.clock.now())), age: 0, claim: own.claim, address: address.value, nodeId: victim.id });
        if (!m.ok) continue;
        for (const f of framesFor(ctx.hashes, 'broadcast', ctx.tap.schemaIds, ctx.apps.tree, m.value, ctx.ids)) ctx.inject(undefined, f);
        ctx.tally('false adverts');
      }
    });
  },
};
