/**
 * The contract between the Packager and a radio (ESP-NOW, the simulator medium, LoRa later) or
 * the loopback. A radio only moves frames: it knows nothing of schemas, peers or routes.
 *
 * - `send`/`broadcast` hand one frame to the radio and return false when it refuses (radio off,
 *   queue full, frame over the MTU). They must not call back into the Packager synchronously:
 *   a frame "received" in answer arrives later through `onReceive` (from a timer or the radio's
 *   task), so a reply chain never recurses.
 * - `onReceive` is set by the Packager when the radio is attached and cleared when detached.
 *   The frame may be a view into a buffer the radio reuses: the Packager copies what it keeps.
 *   `mac` is the sender's address, undefined for the loopback.
 */
export interface Radio {
  /** Part of the interface id (upstream: `espnow`, `InterAppInterface`). */
  readonly name: string;
  /** Bits per second; part of the id. Unicast prefers a peer's fastest radio. */
  readonly bitrate: number;
  /** Schema ids this radio carries; the first is its default (RNS/NIA frames). */
  readonly schemaIds: readonly number[];
  /** Largest frame the radio can carry (ESP-NOW 250, RYLR-998 240). */
  readonly mtu: number;
  /** This radio's own address, when it knows it (signed Beacons bind the node id to it). */
  readonly mac?: Uint8Array;
  send(mac: Uint8Array, frame: Uint8Array): boolean;
  /**
   * `priority`: upkeep that a radio with a duty budget should not shed for data (a tree advert:
   * a subtree whose parent stops advertising gives the tree up). A RYLR-998 sends it with its
   * unicasts' priority; radios without priorities ignore it.
   */
  broadcast(frame: Uint8Array, priority?: boolean): boolean;
  /**
   * `marginDb`, from radios that measure it (a LoRa module's SNR): how many dB above the
   * receiver's demodulation floor the frame arrived (modules/rylr998/link-margin.ts). The
   * Packager judges links of neighbours that send no hellos by it (link-signal.ts).
   */
  onReceive: ((frame: Uint8Array, mac: Uint8Array | undefined, marginDb?: number) => void) | undefined;
  /**
   * Optional, set by the Packager where it listens (sent-hook.ts): a radio that knows when an
   * accepted frame is done with (ESP-NOW's send callback after its link-layer retries; the
   * simulator's medium) calls it once per frame, `delivered` as ESP-NOW reports it (a unicast: acked), also for a
   * frame it dropped unsent; after `send` returned, never from inside it. A node awake only to
   * send then sleeps as soon as its frames are out (modem-sleep.ts `wakeToSend`); without it, it
   * listens a whole window after each. A radio that does so says `reportsSent`: routing then
   * also takes a unicast left unacked as a sign that its neighbour is gone (unacked.ts).
   */
  readonly reportsSent?: boolean;
  onSent?: ((mac: Uint8Array | undefined, delivered: boolean) => void) | undefined;
  /**
   * Total time this radio has spent transmitting, ms, since it was made (optional: radios that
   * time their frames — LoRa, the simulator's — report it; `status` shows airtime % from it).
   */
  txAirtimeMs?(): number;
  /**
   * Airtime of the radio's own duty window (the last hour), ms (optional: a radio under a duty
   * limit, the RYLR-998). RouteVector tells it its neighbours, who then send fewer flows its way.
   */
  dutyUsedMs?(): number;
  /**
   * Whether the neighbour at `mac` said its duty-cycle hour is nearly spent (optional: a RYLR-998
   * with room notices, modules/rylr998/room-notices.ts). Routing then prefers another next hop
   * that makes progress (next-hop.ts).
   */
  peerBusy?(mac: Uint8Array): boolean;
  /** Turn the radio back on after a modem-sleep period (optional). */
  wake?(): void;
  /** Turn the radio off for `ms` (modem sleep); frames arriving meanwhile are lost (optional). */
  sleep?(ms: number): void;
}

/** Where a frame to no particular peer goes (defined with the other radio figures in wire/constants). */
export { BROADCAST_MAC } from '../wire/constants.js';
