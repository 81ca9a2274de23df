/**
 * A rogue parent: every tree ASSIGN the attacker's node sends is rewritten to carry one and the
 * same child address, and every 15 s each neighbour heard gets that address unasked. Do honest
 * nodes end up sharing a coordinate (duplicate addresses that swallow each other's traffic)?
 */
import { TreeOp, parseTree, serializeTree } from '../../../modules/mycelium/wire/messages/tree.js';
import { bytesEqual } from '../../../modules/mycelium/wire/bytes.js';
import { decodeAddress, encodeCoords } from '../../../modules/mycelium/wire/address.js';
import { framesFor, isApp, readFrame, withBlob } from '../frames.js';
import type { Attack, AttackContext } from '../attack.js';

const EVERY_MS = 15_000;

export const rogueParent: Attack = {
  name: 'rogue_parent',
  start(ctx: AttackContext) {
    /** The one child address, under our address when the episode begins. */
    const child = (): Uint8Array | undefined => {
      const own = ctx.knows.own;
      const base = own && decodeAddress(own.address);
      const bytes = base?.ok ? encodeCoords([...base.value, 1]) : undefined;
      return bytes?.ok ? bytes.value : undefined;
    };
    const rewrite = (frame: Uint8Array): Uint8Array | undefined => {
      const h = readFrame(frame);
      if (!isApp(h, ctx.apps.tree)) return frame;
      const t = parseTree(h.blob);
      const address = child();
      if (!t.ok || t.value.op !== TreeOp.ASSIGN_ADDRESS || !address || bytesEqual(t.value.address, address)) return frame;
      const m = serializeTree({ ...t.value, address });
      const out = m.ok ? withBlob(ctx.hashes, h, m.value) : undefined;
      if (out) ctx.tally('assigns rewritten');
      return out ?? frame;
    };
    ctx.tap.outgoing.push(rewrite);
    ctx.every(EVERY_MS, () => {
      const own = ctx.knows.own;
      const address = child();
      if (!own || !address) return;
      for (const n of ctx.knows.neighbours.values()) {
        const m = serializeTree({ op: TreeOp.ASSIGN_ADDRESS, ts: BigInt(Math.floor(ctx.clock.now())), age: 0, claim: own.claim, address, nodeId: own.id });
        if (!m.ok) continue;
        for (const f of framesFor(ctx.hashes, 'direct', ctx.tap.schemaIds, ctx.apps.tree, m.value, ctx.ids)) ctx.inject(n.mac, f);
        ctx.tally('unasked assigns');
      }
    });
    return () => {
      ctx.tap.outgoing = ctx.tap.outgoing.filter((f) => f !== rewrite);
    };
  },
};
