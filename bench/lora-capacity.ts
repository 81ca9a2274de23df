/**
 * What the duty limit allows a LoRa scenario's traffic at best, whatever the routing
 * (`node scripts/lora-capacity.mjs`, docs/lora.md "What 1 % can carry"). A node that every path
 * between a flow's two ends must cross (a cut vertex of the radio graph over links losing at most
 * `maxLoss`) relays that flow's messages (routed ones ask for no end-to-end ack under a duty
 * limit); with its own messages and the acks of those its neighbours send it directly, that is
 * airtime no routing can take off it. Over the duty budget, the
 * scenario's delivery target cannot be met on that layout. A lower bound: no retries, no upkeep,
 * no collisions, and every other flow routed around the node.
 */
import { layoutTopology, lossSpecOf } from '../simulator/scenario/build.js';
import { makeLossModel } from '../simulator/medium/loss-model.js';
import { SeededRandom } from '../simulator/engine/random.js';
import type { Scenario } from '../simulator/scenario/types.js';
import { sendAirtimeMs, type Rylr998Config } from '../modules/rylr998/config.js';

/**
 * A user app's 16-byte message on a routed compact frame, its app id as a 4-byte prefix (43 with
 * the whole id), and the end-to-end ack a direct send still asks for (tests/wire/compact-frame.test.ts).
 * Routed messages ask for no ack under a duty limit (docs/lora.md): a relay carries the message only.
 */
export const MESSAGE_FRAME_BYTES = 31;
export const ACK_FRAME_BYTES = 11;

export interface ForcedLoad {
  readonly node: number;
  /** Flows whose every path crosses this node. */
  readonly crossing: number;
  /** Transmit ms an hour this node cannot avoid (own messages, acks of its inbound, crossing flows). */
  readonly msPerHour: number;
  /** Of that, the crossing flows' share (relayed messages and acks). */
  readonly crossingMsPerHour: number;
  /** Messages an hour of those crossing flows. */
  readonly crossingPerHour: number;
}

/** Nodes whose unavoidable transmit time exceeds `share` of the duty budget, busiest first. */
export function forcedLoads(scenario: Scenario, seed: number, maxLoss = 0.5): ForcedLoad[] {
  const layout = layoutTopology({ ...scenario, seed }, new SeededRandom(seed));
  if (!layout.ok) throw new Error('layout failed');
  const pos = layout.layout.positions;
  const model = makeLossModel(lossSpecOf(scenario.radio));
  const n = pos.length;
  const link = (i: number, j: number): boolean => i !== j && model.lossAt(Math.hypot(pos[i][0] - pos[j][0], pos[i][1] - pos[j][1])) <= maxLoss;
  const lora = scenario.radio.lora as unknown as Rylr998Config;
  const msgMs = sendAirtimeMs(lora, MESSAGE_FRAME_BYTES);
  const ackMs = sendAirtimeMs(lora, ACK_FRAME_BYTES);
  const flows: { src: number; dst: number; perHour: number }[] = [];
  for (const t of scenario.traffic ?? []) {
    const pairs = (t as { pairs?: number[][] }).pairs ?? [];
    const every = (t as { interval_ms?: number }).interval_ms ?? 60_000;
    for (const [src, dst] of pairs) flows.push({ src, dst, perHour: 3_600_000 / every });
  }
  const reaches = (s: number, d: number, skip: number): boolean => {
    const seen = new Uint8Array(n);
    const stack = [s];
    seen[s] = 1;
    while (stack.length) {
      const u = stack.pop() as number;
      if (u === d) return true;
      for (let w = 0; w < n; w++) {
        if (!seen[w] && w !== skip && link(u, w)) {
          seen[w] = 1;
          stack.push(w);
        }
      }
    }
    return false;
  };
  const out: ForcedLoad[] = [];
  for (let v = 0; v < n; v++) {
    let ms = 0;
    let crossing = 0;
    let crossingMs = 0;
    let crossingPerHour = 0;
    for (const f of flows) {
      if (f.src === v) ms += f.perHour * msgMs;
      else if (f.dst === v) ms += link(f.src, f.dst) ? f.perHour * ackMs : 0;
      else if (!reaches(f.src, f.dst, v)) {
        ms += f.perHour * msgMs;
        crossingMs += f.perHour * msgMs;
        crossingPerHour += f.perHour;
        crossing++;
      }
    }
    out.push({ node: v, crossing, msPerHour: ms, crossingMsPerHour: crossingMs, crossingPerHour });
  }
  return out.sort((a, b) => b.msPerHour - a.msPerHour);
}

/**
 * The most of the traffic that can be delivered when `load`'s node has `budgetMs` an hour: its
 * own sends and acks first, the rest of its budget for the flows that must cross it.
 */
export function deliveryBound(load: ForcedLoad, budgetMs: number, messagesPerHour: number): number {
  if (load.msPerHour <= budgetMs || load.crossingPerHour === 0) return 1;
  const own = load.msPerHour - load.crossingMsPerHour;
  const carried = Math.max(0, Math.min(1, (budgetMs - own) / load.crossingMsPerHour));
  return 1 - (load.crossingPerHour * (1 - carried)) / messagesPerHour;
}
