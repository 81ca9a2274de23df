/**
 * Issue 19, classes 7 and 5: beacons with made-up node ids from made-up MACs (a peer-table
 * flood: can new ids push out the neighbours a node hears?), and beacons carrying a real
 * neighbour's id from ever new MACs (can one peer collect links without end?). In bursts of
 * 1,000 beacons in 10 s, one burst a minute.
 */
import { BeaconOp, serializeBeacon } from '../../../modules/mycelium/wire/messages/beacon.js';
import { framesFor } from '../frames.js';
import { pick, spoofedMac, type Attack, type AttackContext } from '../attack.js';

const BURST = 1_000;
const BURST_MS = 10_000;
const PERIOD_MS = 60_000;

export const beaconFlood: Attack = {
  name: 'beacon_flood',
  start(ctx: AttackContext) {
    const burst = (): void => {
      let left = BURST;
      const step = BURST_MS / BURST;
      const one = (): void => {
        if (left-- <= 0) return;
        // Every other beacon names a real neighbour (links flood), the rest a new id (peers flood).
        const real = left % 2 === 0 ? pick(ctx.random, [...ctx.knows.neighbours.values()]) : undefined;
        const nodeId = real ? real.id : ctx.random.bytes(new Uint8Array(32));
        const m = serializeBeacon({ op: BeaconOp.BEACON, nodeId, apps: ctx.apps.all });
        if (!m.ok) return;
        for (const f of framesFor(ctx.hashes, 'broadcast', ctx.tap.schemaIds, ctx.apps.beacon, m.value, ctx.ids)) ctx.inject(undefined, f, spoofedMac(ctx.random));
        ctx.tally(real ? 'beacons naming a neighbour' : 'beacons with random ids');
        ctx.after(step, one);
      };
      one();
    };
    burst();
    ctx.every(PERIOD_MS, burst);
  },
};
