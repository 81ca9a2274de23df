/**
 * Reliability figures for the Packager (issue 3): seeded trials over the in-memory medium with
 * independent frame loss. Not a test: `npm run bench` prints these numbers.
 *
 * - direct: two neighbours, one unicast Package per trial.
 * - routed: a line of nodes with tree addresses (root in the middle is not needed: a chain
 *   [] – [1] – [1,1] – [1,1,1]), one routed Package from one end to the other.
 *
 * Peers are kept awake as periodic beacons would (the RNS/NIA path is tested separately).
 * "Exactly once" means delivered once with the right bytes; duplicates and corruption are
 * counted separately. Overhead = data frames put on the air ÷ the minimum (fragments × hops);
 * `allFrames` also counts acks and RTX requests.
 */
import { TestMesh, TEST_APP_ID } from '../tests/support/mesh.js';
import { bytesEqual } from '../modules/mycelium/wire/bytes.js';
import { parsePacket } from '../modules/mycelium/wire/packet.js';
import { encodedValue, Encoded } from '../modules/mycelium/wire/flags.js';
import { Metric } from '../modules/mycelium/wire/constants.js';

export interface ReliabilityOptions {
  readonly trials: number;
  readonly bytes: number;
  readonly loss: number;
  readonly hops: number;
  readonly seed: number;
  /** Simulated time allowed per trial. */
  readonly windowMs: number;
  /** Ask an ack of every fragment (ours, default) or only of 0, middle and last (upstream). */
  readonly askEveryFragment?: boolean;
  readonly onTrial?: (done: number, total: number) => void;
}

export interface ReliabilityFigures {
  readonly trials: number;
  readonly exactlyOnce: number;
  readonly duplicated: number;
  readonly corrupted: number;
  readonly lost: number;
  readonly exactlyOnceRatio: number;
  /** Data frames sent ÷ minimum data frames (fragments × hops), averaged over trials. */
  readonly dataOverhead: number;
  /** Every frame sent (data, acks, RTX) ÷ minimum data frames. */
  readonly allFramesOverhead: number;
  readonly meanDeliveryMs: number;
  readonly maxDeliveryMs: number;
}

export function runReliability(o: ReliabilityOptions): ReliabilityFigures {
  let exactlyOnce = 0;
  let duplicated = 0;
  let corrupted = 0;
  let lost = 0;
  let dataRatio = 0;
  let allRatio = 0;
  let latencySum = 0;
  let latencyMax = 0;
  for (let t = 0; t < o.trials; t++) {
    const mesh = new TestMesh({ seed: o.seed * 100_003 + t, loss: o.loss, node: { packager: { askEveryFragment: o.askEveryFragment ?? true } } });
    const nodes = mesh.add(o.hops + 1);
    for (let i = 0; i < o.hops; i++) mesh.connect(nodes[i], nodes[i + 1]);
    if (o.hops > 1) for (let i = 0; i <= o.hops; i++) mesh.place(nodes[i], 7, new Array<number>(i).fill(1));
    const blob = new Uint8Array(o.bytes);
    for (let i = 0; i < blob.length; i++) blob[i] = (i * 31 + t) & 0xff;
    const src = nodes[0];
    const dst = nodes[o.hops];
    const target = o.hops === 1 ? { nodeId: dst.node.nodeId } : { address: dst.packager.address };
    const start = mesh.clock.now();
    const r = src.packager.send(TEST_APP_ID, blob, target, { metric: Metric.dTree });
    if (!r.ok) throw new Error(`send refused: ${r.error.message}`);
    let deliveredAt = -1;
    const step = 250;
    for (let elapsed = 0; elapsed < o.windowMs; elapsed += step) {
      mesh.runAwake(step, step);
      if (deliveredAt < 0 && dst.app.received.length) deliveredAt = mesh.clock.now();
    }
    const got = dst.app.received;
    if (got.length === 0) lost++;
    else if (got.some((g) => !bytesEqual(g.blob, blob))) corrupted++;
    else if (got.length > 1) duplicated++;
    else exactlyOnce++;
    if (deliveredAt >= 0) {
      latencySum += deliveredAt - start;
      latencyMax = Math.max(latencyMax, deliveredAt - start);
    }
    let data = 0;
    for (const f of mesh.medium.log) {
      const p = parsePacket(f.frame);
      if (p.ok && p.value.body.length > 0 && encodedValue(p.value.flags) !== Encoded.ack) data++;
    }
    const minimum = r.value.frames * o.hops;
    dataRatio += data / minimum;
    allRatio += mesh.medium.log.length / minimum;
    o.onTrial?.(t + 1, o.trials);
  }
  const delivered = o.trials - lost;
  return {
    trials: o.trials,
    exactlyOnce,
    duplicated,
    corrupted,
    lost,
    exactlyOnceRatio: exactlyOnce / o.trials,
    dataOverhead: dataRatio / o.trials,
    allFramesOverhead: allRatio / o.trials,
    meanDeliveryMs: delivered ? latencySum / delivered : 0,
    maxDeliveryMs: latencyMax,
  };
}
