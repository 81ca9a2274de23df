/**
 * Helpers for the Ping and DebugApp tests: put Gossip/Ping/DebugApp on TestMesh nodes, and read
 * what went on the air (frames → packet → Package → app message).
 */
import { TestMesh, type MeshNode } from '../support/mesh.js';
import { portableHashes as hashes } from '../../modules/mycelium/platform/portable.js';
import { Gossip } from '../../modules/mycelium/apps/gossip.js';
import { Ping, type PingParams } from '../../modules/mycelium/apps/ping.js';
import { DebugApp, type DebugParams } from '../../modules/mycelium/apps/debug.js';
import { parsePacket, type Packet } from '../../modules/mycelium/wire/packet.js';
import { parsePackage } from '../../modules/mycelium/wire/package.js';
import { parseGossip, type GossipMessage } from '../../modules/mycelium/wire/messages/gossip.js';
import { bytesEqual, toHex } from '../../modules/mycelium/wire/bytes.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';
import { Address } from '../../modules/mycelium/wire/address.js';

export { hashes };

export interface AppNode extends MeshNode {
  readonly gossip: Gossip | undefined;
  readonly ping: Ping;
  readonly debug: DebugApp;
}

export interface StackOptions {
  readonly gossip?: boolean;
  readonly ping?: Partial<PingParams>;
  readonly debug?: Partial<DebugParams>;
  /** Start the node (default true). */
  readonly start?: boolean;
}

/** Add Gossip (unless `gossip: false`), Ping and DebugApp to a mesh node and start it. */
export function withApps(m: MeshNode, options: StackOptions = {}): AppNode {
  const gossip = options.gossip === false ? undefined : new Gossip(hashes);
  const ping = new Ping(hashes, options.ping);
  const debug = new DebugApp(hashes, options.debug);
  if (gossip) m.node.addApp(gossip);
  m.node.addApp(ping);
  m.node.addApp(debug);
  if (options.start ?? true) m.node.start();
  return { ...m, gossip, ping, debug };
}

/** SHA-256("test")[:16], the admin hash upstream's tests use. */
export const TEST_PASS_HASH = hashes.sha256(new TextEncoder().encode('test')).slice(0, 16);
export const TEST_PASSWORD = new TextEncoder().encode('test');

export function addr(ts: number, coords: number[]): Address {
  return unwrap(Address.fromCoords(ts, coords));
}

/** A 32-byte id that is not a mesh node's. */
export function strangerId(n: number): Uint8Array {
  const id = new Uint8Array(32).fill(n);
  id[0] = 0xee;
  return id;
}

export interface AirFrame {
  readonly from: string;
  /** 'broadcast' or the destination MAC in hex. */
  readonly to: string;
  readonly packet: Packet;
  /** Set when the frame carries a whole Package (not acks, not fragments of a sequence). */
  readonly appId?: Uint8Array;
  readonly blob?: Uint8Array;
}

/** Every frame on the medium since the last `clearLog`, decoded as far as it goes. */
export function air(mesh: TestMesh): AirFrame[] {
  return mesh.medium.log.map((f) => {
    const packet = unwrap(parsePacket(f.frame));
    const base = { from: toHex(f.from), to: f.to ? toHex(f.to) : 'broadcast', packet };
    if (packet.seqSize !== undefined && packet.seqSize > 0) return base;
    const pkg = parsePackage(packet.body);
    return pkg.ok ? { ...base, appId: pkg.value.appId, blob: pkg.value.blob } : base;
  });
}

/** Frames carrying a Package for `appId` (acks and other apps left out). */
export function appFrames(mesh: TestMesh, appId: Uint8Array): (AirFrame & { blob: Uint8Array })[] {
  return air(mesh).filter((f): f is AirFrame & { blob: Uint8Array } => f.appId !== undefined && bytesEqual(f.appId, appId) && f.blob !== undefined);
}

/** Gossip messages on the air (each decoded once per frame; echoes appear twice). */
export function gossipOnAir(mesh: TestMesh, gossipId: Uint8Array): GossipMessage[] {
  return appFrames(mesh, gossipId).map((f) => unwrap(parseGossip(f.blob)));
}

export function macHex(m: MeshNode): string {
  return toHex(m.radio.mac);
}
