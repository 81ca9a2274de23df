/**
 * The `packager` vectors replayed through a real Packager (not just the framing functions):
 * a fresh node (counters at 0) with one radio carrying the vector's schema set broadcasts,
 * sends to a peer, sends routed (118-[1] → root 118-[] → 118-[2,3]), queues for a sleeping
 * peer, answers RNS and acks. Its datagrams must equal upstream's byte for byte, except where
 * docs/compatibility.md lists a deliberate difference. ECMAScript only: this also runs inside XS.
 */
import { VirtualClock } from '../../simulator/engine/virtual-clock.js';
import type { Hashes } from '../../modules/mycelium/platform/platform.js';
import { Packager } from '../../modules/mycelium/packager/packager.js';
import type { Radio } from '../../modules/mycelium/packager/radio.js';
import { Address } from '../../modules/mycelium/wire/address.js';
import { fromHex, toHex } from '../../modules/mycelium/wire/bytes.js';
import { parsePacket, serializePacket } from '../../modules/mycelium/wire/packet.js';
import { parsePackage } from '../../modules/mycelium/wire/package.js';
import { SCHEMA_IDS, ESPNOW_SCHEMA_IDS, RYLR998_SCHEMA_IDS } from '../../modules/mycelium/wire/schemas.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';

const SETS: Record<string, readonly number[]> = {
  all: SCHEMA_IDS,
  espnow_0_10: ESPNOW_SCHEMA_IDS,
  lora_20_30: RYLR998_SCHEMA_IDS,
  seq_only_2: [2],
  routing_5_10: [5, 6, 7, 8, 9, 10],
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Case = Record<string, any>;

export interface VectorReport {
  passed: number;
  failed: number;
  deliberate: number;
  failures: string[];
}

class CaptureRadio implements Radio {
  readonly name = 'capture';
  readonly bitrate = 1_000_000;
  readonly mtu = 256;
  readonly out: { mac: string; frame: string }[] = [];
  onReceive: Radio['onReceive'];
  constructor(readonly schemaIds: readonly number[]) {}
  send(mac: Uint8Array, frame: Uint8Array): boolean {
    this.out.push({ mac: toHex(mac), frame: toHex(frame) });
    return true;
  }
  broadcast(frame: Uint8Array): boolean {
    this.out.push({ mac: 'broadcast', frame: toHex(frame) });
    return true;
  }
}

const hex = (s: string) => fromHex(s) as Uint8Array;

function fresh(hashes: Hashes, ids: readonly number[]) {
  const clock = new VirtualClock(0);
  const platform = {
    now: () => clock.now(),
    setTimeout: (cb: () => void, ms: number) => clock.setTimeout(cb, ms),
    clearTimeout: (h: unknown) => clock.clearTimeout(h),
    sha256: hashes.sha256,
    crc32: hashes.crc32,
    randomBytes: (b: Uint8Array) => b,
    log: () => {},
  };
  const radio = new CaptureRadio(ids);
  // Upstream asks for acks on fragments 0, last and middle; ours asks on all by default.
  const packager = new Packager(platform, { nodeId: new Uint8Array(32).fill(7), askEveryFragment: false });
  const iface = unwrap(packager.addInterface(radio));
  return { clock, radio, packager, iface };
}

/** The blob inside upstream's datagrams. */
function blobOf(datagrams: string[]): { appId: Uint8Array; blob: Uint8Array } {
  const parts = datagrams.map((d) => unwrap(parsePacket(hex(d))).body);
  let n = 0;
  for (const p of parts) n += p.length;
  const all = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    all.set(p, o);
    o += p.length;
  }
  const pkg = unwrap(parsePackage(all));
  return { appId: pkg.appId.slice(), blob: pkg.blob.slice() };
}

function check(c: Case, hashes: Hashes, report: VectorReport): string | undefined {
  if (c.kind === 'receive_rns_emits_nia' || c.kind === 'receive_ask_emits_ack' || c.kind === 'send_to_sleeping_peer_emits_rns') {
    const { clock, radio, packager, iface } = fresh(hashes, ESPNOW_SCHEMA_IDS);
    const peerMac = hex('6d61637065657230');
    packager.addPeer(new Uint8Array(32).fill(9), [{ mac: peerMac, radio }]);
    if (c.kind === 'send_to_sleeping_peer_emits_rns') {
      clock.advance(801);
      const { appId, blob } = blobOf(c.queued);
      unwrap(packager.send(appId, blob, { nodeId: new Uint8Array(32).fill(9) }));
      const queued = packager.peers[0].queue.map((q) => toHex(q.frame));
      if (JSON.stringify(queued) !== JSON.stringify(c.queued)) return `queued ${queued} ≠ ${c.queued}`;
      const rns = radio.out.map((o) => o.frame);
      if (JSON.stringify(rns) !== JSON.stringify(c.datagrams)) return `rns ${rns} ≠ ${c.datagrams}`;
      return undefined;
    }
    const input = c.kind === 'receive_rns_emits_nia' ? hex('0000002000') : hex(c.input);
    packager.receive(input, peerMac, iface);
    const out = radio.out.map((o) => o.frame);
    if (JSON.stringify(out) !== JSON.stringify(c.datagrams)) return `${out} ≠ ${c.datagrams}`;
    return undefined;
  }
  const ids = SETS[c.interface_schemas];
  if (!ids) return `unknown interface set ${c.interface_schemas}`;
  const { radio, packager } = fresh(hashes, ids);
  const expected: string[] = c.datagrams ?? [];
  const { appId, blob } = expected.length ? blobOf(expected) : { appId: hex(c.app_id), blob: new Uint8Array(c.blob_len) };
  let result;
  if (c.kind === 'broadcast') {
    result = packager.broadcast(appId, blob);
  } else if (c.kind === 'send_direct') {
    const peerId = new Uint8Array(32).fill(9);
    packager.addPeer(peerId, [{ mac: hex('6d61637065657230'), radio }]);
    result = packager.send(appId, blob, { nodeId: peerId });
  } else if (c.kind === 'send_routed') {
    const root = new Uint8Array(32).fill(3);
    packager.setAddress(unwrap(Address.fromCoords(c.tree_state, c.local_addr)));
    packager.addPeer(root, [{ mac: hex('6d61635f72'), radio }]);
    packager.addRoute(root, unwrap(Address.fromCoords(c.tree_state, [])));
    result = packager.send(appId, blob, { address: unwrap(Address.fromCoords(c.tree_state, c.to_addr)) });
  } else {
    return `unknown packager case kind ${c.kind}`;
  }
  if ('error' in c.result) return result.ok ? `upstream fails (${c.result.error.type}), we sent ${radio.out.length} frames` : undefined;
  if (!result.ok) return `refused: ${result.error.message}`;
  let ours = radio.out.map((o) => o.frame);
  let theirs = expected;
  if (c.kind === 'broadcast' && result.value.sequence && expected.length === 1) {
    // Deliberate: a one-packet broadcast on a sequence schema says seq_size 0, not upstream's 1.
    const p = unwrap(parsePacket(hex(expected[0])));
    theirs = [toHex(unwrap(serializePacket({ ...p, seqSize: 0 })))];
    report.deliberate++;
  }
  if (JSON.stringify(ours) !== JSON.stringify(theirs)) {
    ours = ours.map((f) => f.slice(0, 40));
    return `datagrams ${ours.join(',')} ≠ ${theirs.map((f) => f.slice(0, 40)).join(',')}`;
  }
  if (c.macs && JSON.stringify(radio.out.map((o) => o.mac)) !== JSON.stringify(c.macs)) return `macs ${radio.out.map((o) => o.mac)} ≠ ${c.macs}`;
  return undefined;
}

export function runPackagerVectors(cases: Case[], hashes: Hashes): VectorReport {
  const report: VectorReport = { passed: 0, failed: 0, deliberate: 0, failures: [] };
  cases.forEach((c, i) => {
    let why: string | undefined;
    try {
      why = check(c, hashes, report);
    } catch (e) {
      why = `threw ${String(e)}`;
    }
    if (why === undefined) report.passed++;
    else {
      report.failed++;
      report.failures.push(`packager[${i}] ${c.kind} ${c.interface_schemas ?? ''} ${c.blob_len ?? ''}: ${why}`);
    }
  });
  return report;
}
