/**
 * Bytes an attacker puts on the air, built with the wire layer every node uses (so they are
 * frames a real ESP-NOW radio could send), and the reading of frames it hears: which app a
 * frame carries and its message. Pure functions over `Hashes`.
 */
import type { Hashes } from '../../modules/mycelium/platform/platform.js';
import { standardApps } from '../../modules/mycelium/apps/standard.js';
import { frameBlob, type Purpose, type RouteFields } from '../../modules/mycelium/wire/outbound.js';
import { bodyChecksum, parsePacket, serializePacket, type Packet } from '../../modules/mycelium/wire/packet.js';
import { buildPackage, parsePackage } from '../../modules/mycelium/wire/package.js';
import { bytesEqual } from '../../modules/mycelium/wire/bytes.js';
import { getSchema } from '../../modules/mycelium/wire/schemas.js';
import { maxSequenceData } from '../../modules/mycelium/wire/sequence.js';

/** The app ids of the standard apps, which every honest node runs. */
export interface AppIds {
  readonly beacon: Uint8Array;
  readonly gossip: Uint8Array;
  readonly tree: Uint8Array;
  readonly ping: Uint8Array;
  readonly hello: Uint8Array | undefined;
  /** Every id, for beacons that look like an honest node's. */
  readonly all: readonly Uint8Array[];
}

export function appIdsOf(hashes: Hashes): AppIds {
  const s = standardApps(hashes, { debug: false });
  return { beacon: s.beacon.id, gossip: s.gossip.id, tree: s.tree.id, ping: s.ping.id, hello: s.hello?.id, all: s.list.map((a) => a.id) };
}

export interface Counters {
  packetId: number;
  seqId: number;
}

/** Frames for `blob` of `app`; [] when the wire layer refuses (the attacker just skips it). */
export function framesFor(hashes: Hashes, purpose: Purpose, schemaIds: readonly number[], app: Uint8Array, blob: Uint8Array, counters: Counters, route?: RouteFields): Uint8Array[] {
  const framed = frameBlob(hashes, purpose, schemaIds, app, blob, { packetId: counters.packetId, seqId: counters.seqId }, route);
  counters.packetId = (counters.packetId + 1) & 0xff;
  counters.seqId = (counters.seqId + 1) & 0xff;
  return framed.ok ? framed.value.frames : [];
}

/** A frame heard: its packet, and the app id and blob it carries when it is a whole Package. */
export interface Heard {
  readonly packet: Packet;
  readonly app: Uint8Array | undefined;
  readonly blob: Uint8Array | undefined;
}

export function readFrame(frame: Uint8Array): Heard | undefined {
  const p = parsePacket(frame);
  if (!p.ok) return undefined;
  const packet = p.value;
  // A single packet (no sequence, or a one-fragment one) carries a whole Package.
  const whole = packet.seqSize === undefined || packet.seqSize === 0;
  const pkg = whole && packet.body.length >= 32 ? parsePackage(packet.body) : undefined;
  return { packet, app: pkg?.ok ? pkg.value.appId : undefined, blob: pkg?.ok ? pkg.value.blob : undefined };
}

export function isApp(h: Heard | undefined, app: Uint8Array): h is Heard & { blob: Uint8Array } {
  return h !== undefined && h.app !== undefined && h.blob !== undefined && bytesEqual(h.app, app);
}

/** `frame` with its Package's blob replaced (same packet fields, new half hash and checksum). */
export function withBlob(hashes: Hashes, h: Heard, blob: Uint8Array): Uint8Array | undefined {
  if (!h.app) return undefined;
  const body = buildPackage(hashes, h.app, blob);
  if (!body.ok) return undefined;
  const p: Packet = { ...h.packet, body: body.value };
  if (p.checksum) p.checksum = bodyChecksum(hashes, body.value);
  const out = serializePacket(p);
  return out.ok ? out.value : undefined;
}

/** The largest Package (app id, hash, blob) one unicast or broadcast sequence of these schemas carries. */
export function largestDirectPackage(schemaIds: readonly number[]): number {
  let most = 0;
  for (const id of schemaIds) {
    const s = getSchema(id);
    if (s && s.supportsSequence && !s.supportsRouting && !s.relayOnly) most = Math.max(most, maxSequenceData(s));
  }
  return most;
}
