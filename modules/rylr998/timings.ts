/**
 * The Packager timings and app parameters a node needs on a RYLR-998, derived from the LoRa
 * airtime of its settings and the duty-cycle limit. ESP-NOW's defaults assume a 2.5 ms frame
 * and a channel nobody meters; on LoRa a frame takes 0.1–1.2 s and a node may transmit 36 s an
 * hour (1 %), so every period is stretched until the mesh's own upkeep fits a fixed share of
 * that budget (of at most 1 %: a looser limit is the node's, the channel stays shared), and
 * every wait covers the frames it waits for. docs/lora.md ("Timings for LoRa")
 * explains each figure.
 *
 * Applied automatically to a node whose radio is a RYLR-998 (the board host through
 * `radioNodeDefaults`, the simulator for `rylr998` scenarios); a scenario's or a host's own
 * options override any of them.
 */
import type { Radio } from '../mycelium/packager/radio.js';
import { MAX_SEND_BYTES, sendAirtimeMs, type Rylr998Config } from './config.js';
import { RYLR998_RADIO_NAME } from './rylr998-radio.js';
import { unicastRetryDelayMs } from './retry-delay.js';

/** AT+PARAMETER's settings: what the airtime depends on. */
export type LoraSettings = Pick<Rylr998Config, 'sf' | 'bw' | 'cr' | 'preamble'>;

/**
 * Packager timings (packager/options.ts `Timings`) and app parameters (apps/beacon.ts,
 * spanning-tree.ts, gossip.ts, hello.ts), by their own names. Plain objects: a driver may import
 * only the Radio contract from the core (layers.js), and the node's builder checks the names.
 */
export interface LoraNodeDefaults {
  readonly packager: { readonly timings: Readonly<Record<string, number>> };
  readonly beacon: Readonly<Record<string, number | boolean>>;
  readonly spanningTree: Readonly<Record<string, number | boolean>>;
  readonly gossip: Readonly<Record<string, number | boolean>>;
  /** false: no Hello on LoRa (see below). */
  readonly hello: false;
  /** RouteVector (apps/route-vector.ts): hop counts that spread the relaying. */
  readonly routeVector: Readonly<Record<string, number | boolean>>;
}

/** A typical control frame (a Beacon listing six apps, a tree advert): its airtime sizes the periods. */
export const CONTROL_FRAME_BYTES = 120;
/** Share of the duty budget the mesh's upkeep (beacons, tree adverts, gossip sync) may use. */
export const CONTROL_SHARE = 0.15;
/** Control frames per node per maintenance period: a tree advert, half a beacon, a gossip sync's share. */
const CONTROL_FRAMES_PER_PERIOD = 1 + 1 / 2 + 1 / 4;
const HOUR_MS = 3_600_000;
/** The duty limit assumed when the radio has none (a good neighbour on a shared band). */
const FALLBACK_DUTY = 0.01;
/**
 * The upkeep is sized for at most this share of the hour, whatever the limit allows. A duty limit
 * is each node's own, but the channel is everybody's: under a looser limit (EU868's 10 % sub-band)
 * upkeep sized to the budget came 10 × as often from every neighbour, collided with the data, and
 * lora-20 at 10 % delivered 54.9 % against 83.7 % at 1 % (docs/lora.md "Session 27").
 */
export const UPKEEP_DUTY_CAP = 0.01;
/**
 * From this limit up (and with no limit), a routed message asks for an end-to-end ack and is
 * resent up to upstream's 3 times: the air is there to pay for it. At 1 % the acks and resends
 * took the relays' hour (lora-20: 65.4 % against 83.7 % without), at 2 % they win (92.0 % as
 * shipped against 85.7 %), at 3–10 % 96.4–96.8 % (nine seeds each, docs/lora.md "Session 27").
 */
export const ACKED_DUTY = 0.02;
/** Upstream's end-to-end retries: where the budget allows them (ACKED_DUTY). */
const UPSTREAM_RETRIES = 3;
/**
 * Even there, a message asks for no ack while the radio has spent more than this share of its
 * hour: an ack and its retries cost about as much air again. With two messages a node a minute
 * at 2 %, acks on every message took the relays' hour (lora-20 seeds 1–3: 76.1 % without acks,
 * 70.0 % with, 76.3 % with this; one a minute: 92.9 % / 92.0 %; docs/lora.md "Session 27").
 */
export const ACK_ROOM_SHARE = 0.5;

const ceilTo = (v: number, step: number): number => Math.ceil(v / step) * step;

/**
 * Defaults for a node on a RYLR-998 with `lora` settings under a `dutyCycle` limit (fraction of
 * any hour; 0 = no limit, sized as for 1 %).
 */
export function loraNodeDefaults(lora: LoraSettings, dutyCycle = FALLBACK_DUTY): LoraNodeDefaults {
  const cfg = lora as Rylr998Config;
  const fullMs = sendAirtimeMs(cfg, MAX_SEND_BYTES);
  const controlMs = sendAirtimeMs(cfg, CONTROL_FRAME_BYTES);
  const limited = dutyCycle > 0 && dutyCycle < 1;
  const duty = limited ? dutyCycle : FALLBACK_DUTY;
  const budgetMs = duty * HOUR_MS;
  // Upkeep period P: CONTROL_FRAMES_PER_PERIOD control frames every P fill CONTROL_SHARE of the
  // budget, counted at most at UPKEEP_DUTY_CAP (the channel is shared). SF7/BW125 at 1 %:
  // ≈ 3.5 min; factory SF9: ≈ 11 min. Never below ESP-NOW's 20 s.
  const upkeepBudgetMs = Math.min(duty, UPKEEP_DUTY_CAP) * HOUR_MS;
  const periodMs = ceilTo(Math.max(20_000, (CONTROL_FRAMES_PER_PERIOD * controlMs * HOUR_MS) / (CONTROL_SHARE * upkeepBudgetMs)), 1000);
  // Room for end-to-end acks and upstream's retries (ACKED_DUTY); below it, none (see below).
  const acked = !limited || duty >= ACKED_DUTY;
  // ~6 full frames (retry-delay.ts); the radio drops a unicast queued longer than this as stale.
  const retryMs = unicastRetryDelayMs(cfg);
  // Under a tight limit one end-to-end retry, not upstream's 3: a retry resends on every hop of
  // the path and the ack comes back on every hop, so under a 1 % budget the retries of messages
  // whose route had broken took the relays' budget, their tree adverts were shed and more routes
  // broke (lora-20, seeds 1, 2, 3, 18: 4,000–5,000 retries for 2,000 messages; docs/lora.md).
  // There routed single packets ask for no ack at all (`endToEndAcks` below): this retry is then
  // for direct ones and for sequences' resend rounds. With room (ACKED_DUTY), upstream's 3.
  const retries = acked ? UPSTREAM_RETRIES : 1;
  const jitterMs = ceilTo(retryMs / 2, 100);
  return {
    packager: {
      timings: {
        sendRetryDelayMs: retryMs,
        sendRetryCount: retries,
        // Two neighbours whose frames collided would retry in step (same delay) and collide again.
        sendRetryJitterMs: jitterMs,
        // Under a duty limit below ACKED_DUTY, a routed single packet goes once without asking
        // for an end-to-end ack: the ack crossed every hop back, a third of each hop's airtime,
        // and the retry it paid for delivered less than that airtime carried (lora-20:
        // docs/lora.md "Routed messages without end-to-end acks"). With room the ack and
        // upstream's retries are kept.
        endToEndAcks: acked ? 1 : 0,
        // … and asks for none while the radio has spent half its hour (ACK_ROOM_SHARE).
        endToEndAckDutyMs: acked && limited ? Math.round(ACK_ROOM_SHARE * budgetMs) : 0,
        // Under any limit a routed message goes at a random time within 15 full frames (6 s at
        // SF7): apps' periods that start within an airtime of each other collided at a common
        // neighbour on every period, and with no retry whole flows were lost (docs/lora.md
        // "Spread sends"); with acks, their retries did not part them either ("Session 27").
        sendSpreadMs: limited ? ceilTo(15 * fullMs, 1000) : 0,
        // A LoRa module in mode 0 always receives: never probe it with RNS first.
        peerAwakeMs: 1e9,
        // Missing fragments: wait for a few full frames of a sequence to arrive before asking.
        seqSyncDelayMs: ceilTo(Math.max(10_000, 8 * fullMs), 1000),
        // An inbound sequence is "slow" (evictable when the inbound budget is full) below half the
        // rate the duty limit lets a sender keep up: unicasts get 70 % of the budget.
        slowFragmentMs: ceilTo(Math.max(3_000, (2 * fullMs) / (0.7 * duty)), 1000),
        outboundTtlMs: Math.max(60_000, 2 * (retries + 1) * (retryMs + jitterMs)),
        duplicateWindowMs: Math.max(10_000, (retries + 1) * (retryMs + jitterMs)),
        // Hop recovery (off unless asked): an ack comes back after the frame and the ack's airtime.
        hopAckTimeoutMs: ceilTo(3 * fullMs, 10),
        hopDuplicateWindowMs: Math.floor(retryMs / 2),
        // Routes come from adverts every P (no Hello: no Trickle growth); ESP-NOW's 480 s would
        // lapse between two adverts at SF9 (P ≈ 13 min) or after one lost at SF7. They live as
        // long as the tree they were learnt in (max_tree_age, 6 P).
        routeLifetimeMs: Math.max(480_000, 6 * periodMs),
      },
    },
    beacon: {
      beacon_interval: 2 * periodMs,
      // The start burst's beacons a few frames apart, not 36 ms: the radio sends one at a time.
      beacon_period: ceilTo(4 * controlMs, 10),
      // Three start beacons, their spacing drawn per beacon (beacon.ts): the next periodic one
      // is 2 P away, so a neighbour that missed all of a burst would not know us for that long.
      start_count: 3,
      jitter_ratio: 0.1,
      // New neighbours are answered by one broadcast within a few seconds, not a unicast each.
      answer_broadcast_ms: ceilTo(Math.max(5000, 20 * controlMs), 1000),
      // A neighbour shedding its beacons near its duty limit still sends data and acks.
      any_frame_keeps_peer: true,
      // Among our nodes, frames without the bytes the receiver can rebuild (compact-frame.ts).
      compact_frames: true,
    },
    spanningTree: {
      tree_maintenance_delay: periodMs,
      // First advert soon after boot (simultaneous boots spread over ~40 frames' time).
      max_start_delay: ceilTo(Math.max(10_000, 40 * controlMs), 1000),
      // Six rounds may be lost before a node gives its tree up. The age byte tells the true age
      // now (wire/messages/tree-age.ts): a node's age is the last root refresh that crossed every
      // hop above it, so an advert lost on any of them counts, not only on its parent's (with
      // 4 P, lora-20-simultaneous reset 2–4 × as often: docs/routing.md "Tree age on LoRa").
      max_tree_age: Math.ceil((6 * periodMs) / 1000),
      // Children of one parent re-advertise its refresh within a few frames, not all at once.
      refresh_jitter_ms: ceilTo(8 * controlMs, 10),
      consider_jitter_ms: ceilTo(4 * controlMs, 10),
      // Gossiping every address change floods the whole mesh: routes come from adverts heard.
      pub: false,
      pub_each_round: false,
      // Worse claims heard (every node booting is one) are answered by one broadcast RESPOND.
      answer_broadcast_ms: ceilTo(Math.max(5000, 20 * controlMs), 1000),
      // A neighbour whose beacons all collided here is a peer from its first tree message heard.
      peers_from_tree: true,
      // A worse claim is answered also when a RESPOND carries it, or a REQUEST for a tree we have left.
      answer_any_claim: true,
      // A child's first advert under its new address is one broadcast: the parent does not wait for it.
      route_on_assign: true,
      // A relay's adverts are not shed for its data: without them its subtree gives the tree up.
      advert_priority: true,
      // A neighbour that lost all our start beacons ignores our REQUESTs: introduce ourselves.
      introduce_on_retry: true,
      // A REQUEST or its ASSIGN lost to a collision is tried again within a minute or two, not a
      // maintenance period later (13 min at SF9): 20 control frames, doubling, three times.
      request_retry_ms: ceilTo(Math.max(30_000, 100 * controlMs), 1000),
      // Maintenance is P apart: a tree that aged out since is given up when next used, not asked for all P.
      expire_at_use: true,
    },
    gossip: {
      // Each sync asks every peer (a unicast and its ack each): rare, as anti-entropy only.
      // The first sync not in the boot's crush of tree unicasts: one period of syncs later.
      start_delay: Math.ceil((16 * periodMs) / 1000),
      schedule_delay: Math.ceil((16 * periodMs) / 1000),
      sync_max_delay: Math.ceil((64 * periodMs) / 1000),
      greet_peers: false,
    },
    // Hello is built for seconds-fast repair: a hello every 3 s (60 bytes: 160 ms at SF9) is
    // 5 % of the hour alone, and link estimates and heartbeats judge silence per period, so at
    // the minutes-long periods 1 % allows they would add upkeep without faster repair. Off: the
    // tree repairs by age (max_tree_age), as upstream's does.
    hello: false,
    // Hop counts to every node (a 20-node vector ≈ 80 bytes): next hops are drawn among the
    // equally short per flow, weighed by the room each relay said it has left, where greedy tree
    // routing piled the flows crossing a branch onto the same relays until their hour was spent.
    // One advert every 2 P: every P measured 0.5–1 point worse on nine seeds (its airtime), 3 P
    // no better (docs/lora.md "Session 25").
    routeVector: { interval_ms: 2 * periodMs, budget_ms: budgetMs },
  };
}

/** The LoRa defaults for `radio` when it is a RYLR-998 (it carries its settings and limit), else undefined. */
export function radioNodeDefaults(radio: Radio): LoraNodeDefaults | undefined {
  const r = radio as Radio & { config?: LoraSettings; limiter?: { limit: number } };
  if (radio.name !== RYLR998_RADIO_NAME || r.config === undefined) return undefined;
  return loraNodeDefaults(r.config, r.limiter?.limit ?? FALLBACK_DUTY);
}
