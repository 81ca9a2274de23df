/**
 * The Packager's events with upstream's hook names (protocol.md §4.15) and their arguments, so a
 * misspelt name or a wrong argument fails `tsc`. The console's `monitor` and the hosts' activity
 * feed subscribe to these names; arguments keep upstream's order (packet, interface, mac), which
 * is also the order `monitor` prints them in.
 */
import type { Metric } from '../wire/constants.js';
import type { Address } from '../wire/address.js';
import type { Packet } from '../wire/packet.js';
import type { Package } from '../wire/package.js';
import type { Application } from './application.js';
import type { AttachedInterface } from './attached.js';
import type { Peer } from './peer.js';
import type { Radio } from './radio.js';

/** One neighbour link as the Beacon reports it: a MAC heard on one of our radios. */
export interface PeerLinkSpec {
  readonly mac: Uint8Array | undefined;
  readonly radio: Radio;
}

/** Event name → the arguments its hooks receive. */
export interface PackagerEvents {
  add_interface: [iface: AttachedInterface];
  remove_interface: [iface: AttachedInterface];
  add_application: [app: Application];
  remove_application: [app: Application];
  /** Fires before the peer exists (Gossip relies on that), and for banned ids too. */
  add_peer: [peerId: Uint8Array, links: readonly PeerLinkSpec[]];
  remove_peer: [peerId: Uint8Array];
  add_route: [nodeId: Uint8Array, address: Address];
  remove_route: [address: Address];
  ban: [nodeId: Uint8Array];
  unban: [nodeId: Uint8Array];
  /** Fires before the address is stored. */
  set_addr: [address: Address];
  next_hop: [to: Address, metric: Metric];
  broadcast: [appId: Uint8Array, blob: Uint8Array, radio: Radio | undefined];
  send: [appId: Uint8Array, blob: Uint8Array, nodeId: Uint8Array | undefined, address: Address | undefined];
  /**
   * Ours, not upstream's: the outcome of a unicast `send` (SendReport.message). Acked: the
   * destination acknowledged every part; failed: the Packager gave up (`unacked` after its
   * retries, `evicted` from a full cache, `no_route` for a retry that found none).
   */
  message_acked: [message: number];
  message_failed: [message: number, reason: string];
  /** A timed event was (re)scheduled. */
  queue_event: [id: string, delayMs: number];
  receive: [packet: Packet, iface: AttachedInterface, mac: Uint8Array | undefined];
  'receive:nia': [packet: Packet, iface: AttachedInterface, mac: Uint8Array | undefined];
  'receive:rns': [packet: Packet, iface: AttachedInterface, mac: Uint8Array | undefined];
  /** One frame handed to a peer's link (sent now, or queued while the peer sleeps). */
  _send_datagram: [frame: Uint8Array, peer: Peer];
  rns: [peerId: Uint8Array, ifaceId: Uint8Array, retries: number];
  /** A packet for someone else is being relayed (node id: upstream's, always undefined here). */
  send_packet: [packet: Packet, nodeId: Uint8Array | undefined];
  sync_sequence: [seqId: number];
  deliver: [pkg: Package, iface: AttachedInterface, mac: Uint8Array | undefined];
  'deliver:checksum_failed': [pkg: Package, iface: AttachedInterface, mac: Uint8Array | undefined];
  'deliver:receive': [pkg: Package, iface: AttachedInterface, mac: Uint8Array | undefined];
  'deliver:receive_failed': [pkg: Package, iface: AttachedInterface, mac: Uint8Array | undefined];
  /** The modem-sleep cycle: stayed awake for traffic, went to sleep, woke up. */
  sleepskip: [];
  modemsleep: [];
  wake: [];
  /** Aligned modem sleep: we moved to a neighbour's wake schedule (docs/sleep.md). */
  sleep_aligned: [];
  /** A sleepy leaf heard no routing neighbour for a while: Hello asks one to answer (leaf-watch.ts). */
  sleep_leaf_silent: [];
  /** Our send to this node id was refused `no_route` (a sleepy leaf's Hello asks a router: hello-where.ts). */
  route_missing: [nodeId: Uint8Array];
  /** The node stopped its apps and timers. */
  stop: [];
}

export type PackagerEventName = keyof PackagerEvents;
