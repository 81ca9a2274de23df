/**
 * The XS runner's worker with a per-method profile (xs-profiler.ts): bundled instead of
 * xs-worker-entry.ts when MYCELIUM_XS_PROFILE is set (simulator/cli/main.ts). Not for measuring speed:
 * every wrapped call costs a few dozen bytecodes more.
 */
import { XsProfiler, meterWorker } from './xs-profiler.js';
import * as m0 from '../../modules/mycelium/apps/address-gossip.js';
import * as m1 from '../../modules/mycelium/apps/admin-mark.js';
import * as m2 from '../../modules/mycelium/apps/app.js';
import * as m3 from '../../modules/mycelium/apps/beacon.js';
import * as m4 from '../../modules/mycelium/apps/bundle-lookup.js';
import * as m5 from '../../modules/mycelium/apps/bundle-store.js';
import * as m6 from '../../modules/mycelium/apps/bundle-ways.js';
import * as m7 from '../../modules/mycelium/apps/custody-marker.js';
import * as m8 from '../../modules/mycelium/apps/debug.js';
import * as m9 from '../../modules/mycelium/apps/delivered-bundles.js';
import * as m10 from '../../modules/mycelium/apps/gossip-cache.js';
import * as m11 from '../../modules/mycelium/apps/gossip-relay.js';
import * as m12 from '../../modules/mycelium/apps/gossip-seen.js';
import * as m13 from '../../modules/mycelium/apps/gossip.js';
import * as m14 from '../../modules/mycelium/apps/held-statuses.js';
import * as m15 from '../../modules/mycelium/apps/hello.js';
import * as m16 from '../../modules/mycelium/apps/ping.js';
import * as m17 from '../../modules/mycelium/apps/root-watch.js';
import * as m18 from '../../modules/mycelium/apps/spanning-tree.js';
import * as m19 from '../../modules/mycelium/apps/store-forward.js';
import * as m20 from '../../modules/mycelium/apps/tree-borders.js';
import * as m21 from '../../modules/mycelium/apps/tree-claims.js';
import * as m22 from '../../modules/mycelium/apps/tree-coordinates.js';
import * as m23 from '../../modules/mycelium/apps/tree-host.js';
import * as m24 from '../../modules/mycelium/apps/tree-messages.js';
import * as m25 from '../../modules/mycelium/apps/tree-repair.js';
import * as m26 from '../../modules/mycelium/apps/tree-replay.js';
import * as m27 from '../../modules/mycelium/node.js';
import * as m28 from '../../modules/mycelium/packager/applications.js';
import * as m29 from '../../modules/mycelium/packager/borders.js';
import * as m30 from '../../modules/mycelium/packager/broadcast-pacing.js';
import * as m31 from '../../modules/mycelium/packager/context.js';
import * as m32 from '../../modules/mycelium/packager/counters.js';
import * as m33 from '../../modules/mycelium/packager/datagrams.js';
import * as m34 from '../../modules/mycelium/packager/delivered-messages.js';
import * as m35 from '../../modules/mycelium/packager/flow-window.js';
import * as m36 from '../../modules/mycelium/packager/forwarding.js';
import * as m37 from '../../modules/mycelium/packager/fragments.js';
import * as m38 from '../../modules/mycelium/packager/hooks.js';
import * as m39 from '../../modules/mycelium/packager/hop-custody.js';
import * as m40 from '../../modules/mycelium/packager/hop-receipts.js';
import * as m41 from '../../modules/mycelium/packager/id-leases.js';
import * as m42 from '../../modules/mycelium/packager/inbound-tables.js';
import * as m43 from '../../modules/mycelium/packager/learned-paths.js';
import * as m44 from '../../modules/mycelium/packager/link-quality.js';
import * as m45 from '../../modules/mycelium/packager/loop-guard.js';
import * as m46 from '../../modules/mycelium/packager/loopback.js';
import * as m47 from '../../modules/mycelium/packager/modem-sleep.js';
import * as m48 from '../../modules/mycelium/packager/neighbour-reach.js';
import * as m49 from '../../modules/mycelium/packager/neighbours.js';
import * as m50 from '../../modules/mycelium/packager/packager.js';
import * as m51 from '../../modules/mycelium/packager/peer.js';
import * as m52 from '../../modules/mycelium/packager/receiver.js';
import * as m53 from '../../modules/mycelium/packager/relay-limit.js';
import * as m54 from '../../modules/mycelium/packager/reliability.js';
import * as m55 from '../../modules/mycelium/packager/routes.js';
import * as m56 from '../../modules/mycelium/packager/schedule-sync.js';
import * as m57 from '../../modules/mycelium/packager/scheduler.js';
import * as m58 from '../../modules/mycelium/packager/sending.js';
import * as m59 from '../../modules/mycelium/packager/ttl-cache.js';
import * as m60 from '../../modules/mycelium/packager/wake-queue.js';
import * as m61 from '../../modules/mycelium/signed/admin-auth.js';
import * as m62 from '../../modules/mycelium/signed/beacon-proof.js';
import * as m63 from '../../modules/mycelium/signed/chain-book.js';
import * as m64 from '../../modules/mycelium/signed/node-key.js';
import * as m65 from '../../modules/mycelium/signed/root-work.js';
import * as m66 from '../../modules/mycelium/signed/signed-tree.js';
import * as m67 from '../../modules/mycelium/signed/verify-budget.js';
import * as m68 from '../../modules/mycelium/wire/address.js';
import * as m69 from '../../modules/mycelium/wire/result.js';
import * as m70 from '../../modules/mycelium/wire/sequence.js';
import * as m71 from './worker-clock.js'; // the worker's clock (the host's VirtualClock runs in Node)
import * as m72 from '../../simulator/runner/sim-node.js';
import * as x0 from '../../modules/mycelium/apps/beacon-layer.js';
import * as x1 from '../../modules/mycelium/apps/border-relay.js';
import * as x2 from '../../modules/mycelium/apps/coord-table.js';
import * as x3 from '../../modules/mycelium/apps/hello-leaves.js';
import * as x4 from '../../modules/mycelium/apps/hello-neighbour-list.js';
import * as x5 from '../../modules/mycelium/apps/hello-pace.js';
import * as x6 from '../../modules/mycelium/apps/hello-probe.js';
import * as x7 from '../../modules/mycelium/apps/parent-probe.js';
import * as x8 from '../../modules/mycelium/apps/reach-addresses.js';
import * as x9 from '../../modules/mycelium/apps/shared-landmarks.js';
import * as x10 from '../../modules/mycelium/apps/tree-assign.js';
import * as x11 from '../../modules/mycelium/apps/tree-collisions.js';
import * as x12 from '../../modules/mycelium/apps/tree-layer.js';
import * as x13 from '../../modules/mycelium/apps/tree-pace.js';
import * as x14 from '../../modules/mycelium/apps/tree-request-retry.js';
import * as x15 from '../../modules/mycelium/packager/find-hop.js';
import * as x16 from '../../modules/mycelium/packager/first-links.js';
import * as x17 from '../../modules/mycelium/packager/landmarks.js';
import * as x18 from '../../modules/mycelium/packager/lazy-map.js';
import * as x19 from '../../modules/mycelium/packager/leaf-watch.js';
import * as x20 from '../../modules/mycelium/packager/link-estimates.js';
import * as x21 from '../../modules/mycelium/packager/link-index.js';
import * as x22 from '../../modules/mycelium/packager/link-signal.js';
import * as x23 from '../../modules/mycelium/packager/next-hop.js';
import * as x24 from '../../modules/mycelium/packager/node-slots.js';
import * as x25 from '../../modules/mycelium/packager/outbound-store.js';
import * as x26 from '../../modules/mycelium/packager/own-addresses.js';
import * as x27 from '../../modules/mycelium/packager/peer-class.js';
import * as x28 from '../../modules/mycelium/packager/peer-link.js';
import * as x29 from '../../modules/mycelium/packager/peer-table.js';
import * as x30 from '../../modules/mycelium/packager/peer-times.js';
import * as x31 from '../../modules/mycelium/packager/route-index.js';
import * as x32 from '../../modules/mycelium/packager/send-spread.js';
import * as x33 from '../../modules/mycelium/packager/short-paths.js';
import * as x34 from '../../modules/mycelium/packager/slot-columns.js';
import * as x35 from '../../modules/mycelium/packager/slot-pairs.js';
import * as x36 from '../../modules/mycelium/packager/token-buckets.js';
import * as x37 from '../../modules/mycelium/packager/wake-schedule.js';
import * as x38 from '../../modules/mycelium/apps/route-vector.js';
import * as x39 from '../../modules/mycelium/packager/hop-vectors.js';
import './xs-worker-entry.js';

const profiler = new XsProfiler();
profiler.instrument([
  m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20,
  m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33, m34, m35, m36, m37, m38, m39,
  m40, m41, m42, m43, m44, m45, m46, m47, m48, m49, m50, m51, m52, m53, m54, m55, m56, m57, m58,
  m59, m60, m61, m62, m63, m64, m65, m66, m67, m68, m69, m70, m71, m72,
  x0, x1, x2, x3, x4, x5, x6, x7, x8, x9, x10, x11, x12, x13, x14, x15, x16, x17, x18, x19, x20, x21, x22, x23, x24, x25, x26, x27, x28, x29, x30, x31, x32, x33, x34, x35, x36, x37, x38, x39,
]);

/** The run ends by asking for the crossings tally: print the profile then, after the worker's whole count. */
meterWorker((inputs, steps, print) => {
  print(`xs profile: ${inputs} inputs, ${Math.round(steps / 1e6)} M steps in handleInput (the worker's whole work, harness included)`);
  profiler.print(150);
});
