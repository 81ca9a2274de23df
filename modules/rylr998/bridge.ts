/**
 * A RYLR-998 beside ESP-NOW on one node (a bridge, docs/lora.md "Bridges"). The node keeps
 * ESP-NOW's timings and app periods (its island is on ESP-NOW); the LoRa interface gets timings of
 * its own, attached with `Packager.addInterface(radio, options)`:
 *
 * - the LoRa unicast timings of loraNodeDefaults (retry delay and jitter from the airtime, no RNS
 *   probes: the module always receives, hop acks sized by the airtime);
 * - `broadcastSpacingMs`: each app's broadcasts leave on LoRa at most once per spacing, the newest
 *   kept (broadcast-pacing.ts), so the island's beacon, tree advert and gossip periods cost the
 *   LoRa link a fixed, small share of the duty budget;
 * - `linkStaleMs`: a LoRa link silent for this much longer than another link of the same peer
 *   yields to it (rarely matters: the fast link is preferred anyway).
 *
 * Plain records: the caller adds the apps kept off LoRa (`quietApps`): Hello (its heartbeats judge
 * silence in seconds, and paced hellos would make the link look dead) and Gossip (its
 * anti-entropy asks every peer by unicast every 20 s: on LoRa that alone is most of the budget).
 *
 * The island's SpanningTree must keep a parent heard every spacing: its `max_tree_age` (ESP-NOW
 * default 60 s) must exceed twice the spacing (lora-bridge: 55 s at SF7/BW500, max_tree_age 180 s).
 */
import { sendAirtimeMs } from './config.js';
import type { Rylr998Config } from './config.js';
import { CONTROL_FRAME_BYTES, loraNodeDefaults, type LoraSettings } from './timings.js';

/** Broadcasting apps whose upkeep crosses a bridge: Beacon, SpanningTree, and one spare (Gossip and Hello stay off LoRa). */
const PACED_APPS = 3;
/** Share of the duty budget the paced broadcasts may take (the rest: data, acks, tree unicasts). */
export const BRIDGE_BROADCAST_SHARE = 0.3;
/** Never slower than this: the island's tree ages its parent's silence in tens of seconds. */
const MAX_SPACING_MS = 600_000;
const MIN_SPACING_MS = 10_000;
const HOUR_MS = 3_600_000;
const FALLBACK_DUTY = 0.01;

/**
 * How a bridge attaches its LoRa radio (`Packager.addInterface`): its timings, and unicasts in
 * compact frames to neighbours that expand them. The node's Beacon keeps `compact_frames` off for
 * the ESP-NOW side; on LoRa an island's routed ping is 140–160 bytes whole, 80–90 compact
 * (docs/lora.md "Session 34").
 */
export function loraBridgeInterface(lora: LoraSettings, dutyCycle = FALLBACK_DUTY): { readonly timings: Readonly<Record<string, number>>; readonly compactFrames: true } {
  return { timings: loraBridgeTimings(lora, dutyCycle), compactFrames: true };
}

/** Timings for the LoRa interface of a bridge with `lora` settings under a `dutyCycle` limit. */
export function loraBridgeTimings(lora: LoraSettings, dutyCycle = FALLBACK_DUTY): Readonly<Record<string, number>> {
  const d = loraNodeDefaults(lora, dutyCycle);
  const duty = dutyCycle > 0 && dutyCycle < 1 ? dutyCycle : FALLBACK_DUTY;
  const controlMs = sendAirtimeMs(lora as Rylr998Config, CONTROL_FRAME_BYTES);
  // PACED_APPS control frames every spacing fill BRIDGE_BROADCAST_SHARE of the hour's budget.
  const spacing = Math.ceil((PACED_APPS * controlMs * HOUR_MS) / (BRIDGE_BROADCAST_SHARE * duty * HOUR_MS) / 1000) * 1000;
  return Object.freeze({
    ...d.packager.timings,
    broadcastSpacingMs: Math.min(MAX_SPACING_MS, Math.max(MIN_SPACING_MS, spacing)),
    linkStaleMs: 2 * (d.beacon.beacon_interval as number),
  });
}
