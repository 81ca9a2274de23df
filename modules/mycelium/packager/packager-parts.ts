/**
 * The Packager's parts, built once and wired to each other (packager.ts is their facade): each
 * part calls the others back through one Wiring (wiring.ts), filled in as they are built.
 */
import { Applications } from './applications.js';
import type { PackagerContext } from './context.js';
import { Datagrams } from './datagrams.js';
import { Forwarding } from './forwarding.js';
import { Fragments } from './fragments.js';
import { HopReceipts } from './hop-receipts.js';
import { Neighbours } from './neighbours.js';
import type { PackagerOptions } from './options.js';
import type { Peer } from './peer.js';
import { Receiver } from './receiver.js';
import { Reliability } from './reliability.js';
import { Sending } from './sending.js';
import { Wiring, type FrameSink } from './wiring.js';

export interface PackagerParts {
  readonly neighbours: Neighbours;
  readonly reliability: Reliability;
  readonly applications: Applications;
  readonly fragments: Fragments;
  readonly sending: Sending;
  readonly hopReceipts: HopReceipts;
  readonly datagrams: Datagrams;
  readonly receiver: Receiver;
}

/** Hop recovery's default partners (module functions: no closure per Packager, issue 21). */
const speaksHello = (peer: Peer): boolean => peer.link !== undefined;
const never = (): boolean => false;

/** Build and wire the parts of the Packager `sink` (frames our radios hear go to its `receive`). */
export function assembleParts(ctx: PackagerContext, sink: FrameSink, options: PackagerOptions): PackagerParts {
  const wiring = new Wiring();
  wiring.packager = sink;
  const neighbours = (wiring.neighbours = new Neighbours(ctx, wiring));
  // `true`: hop recovery with every neighbour that speaks Hello, never an upstream one. Off by
  // default: on links with their own retries (ESP-NOW) it only adds frames a busy mesh drops.
  const hopRecovery = options.hopRecovery ?? false;
  const speaksHopRecovery = typeof hopRecovery === 'function' ? hopRecovery : hopRecovery ? speaksHello : never;
  const datagrams = (wiring.datagrams = new Datagrams(ctx, wiring, speaksHopRecovery));
  const forwarding = (wiring.forwarding = new Forwarding(ctx, neighbours, datagrams));
  const reliability = new Reliability(ctx, forwarding, datagrams, wiring);
  const applications = (wiring.applications = new Applications(ctx));
  const fragments = new Fragments(ctx, wiring, forwarding, datagrams);
  const sending = (wiring.sending = new Sending(ctx, neighbours, forwarding, reliability, options.askEveryFragment ?? true));
  const hopReceipts = new HopReceipts(ctx, datagrams);
  const receiver = new Receiver(ctx, { neighbours, datagrams, forwarding, reliability, fragments, applications, hopReceipts });
  return { neighbours, reliability, applications, fragments, sending, hopReceipts, datagrams, receiver };
}
