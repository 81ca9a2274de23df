/**
 * A blackhole: the attacker's node stays in the tree and keeps its links, but every routed
 * frame it is asked to relay (addressed to another node) is dropped on arrival, acks included.
 */
import { bytesEqual } from '../../../modules/mycelium/wire/bytes.js';
import { parsePacket } from '../../../modules/mycelium/wire/packet.js';
import type { Attack, AttackContext } from '../attack.js';

export const blackhole: Attack = {
  name: 'blackhole',
  start(ctx: AttackContext) {
    const drop = (frame: Uint8Array): Uint8Array | undefined => {
      const p = parsePacket(frame);
      const own = ctx.knows.own;
      if (!p.ok || !p.value.toAddr || !own || bytesEqual(p.value.toAddr, own.address)) return frame;
      ctx.tally('relayed frames dropped');
      return undefined;
    };
    ctx.tap.incoming.push(drop);
    return () => {
      ctx.tap.incoming = ctx.tap.incoming.filter((f) => f !== drop);
    };
  },
};
