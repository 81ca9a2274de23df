/**
 * `npm start` until the multi-node simulator lands: a walk through what two nodes put on the
 * air, built with the wire layer and decoded back. Every byte shown is what micropycelium sends.
 */
import * as W from '../../modules/mycelium/wire/index.js';
import { nodeHashes as H } from '../platform/node-hashes.js';

const out: string[] = [];
const say = (s = '') => out.push(s);
const hexdump = (b: Uint8Array, max = 48) => W.toHex(b.subarray(0, max)).replace(/(..)/g, '$1 ').trim() + (b.length > max ? ` … (${b.length} bytes)` : ` (${b.length} bytes)`);

function describe(frame: Uint8Array): string {
  const p = W.unwrap(W.parsePacket(frame));
  const flags = Object.entries(W.decodeFlags(p.flags)).filter(([, v]) => v).map(([k]) => k);
  const parts = [`schema ${p.schemaId}`, `flags 0x${p.flags.toString(16).padStart(2, '0')}${flags.length ? ` (${flags.join(',')})` : ''}`, `packet_id ${p.packetId}`];
  if (p.seqId !== undefined) parts.push(`seq ${p.seqId} size ${p.seqSize}`);
  if (p.ttl !== undefined) parts.push(`ttl ${p.ttl}`);
  if (p.toAddr) parts.push(`to ${W.unwrap(W.Address.fromBytes(p.treeState as number, p.toAddr)).toString()}`);
  if (p.fromAddr) parts.push(`from ${W.unwrap(W.Address.fromBytes(p.treeState as number, p.fromAddr)).toString()}`);
  parts.push(`body ${p.body.length} B`);
  return parts.join(', ');
}

export function main(): string {
  const idA = W.nodeIdFromUniqueId(H, W.fromHex('a4cf12000001') as Uint8Array);
  const idB = W.nodeIdFromUniqueId(H, W.fromHex('a4cf12000002') as Uint8Array);
  const app = (n: string, d: string) => W.unwrap(W.appId(H, n, d, 0));
  const beaconId = app('Beacon', 'Dev Beacon App');
  const apps = [beaconId, app('Gossip', 'Dev Gossip App'), app('SpanningTree', 'Dev SpanningTree App'), app('Ping', 'Dev Ping App'), app('DebugApp', 'Debug App')];

  say('moddable-mycelium wire demo: two nodes, the bytes they put on the air (micropycelium protocol 0)');
  say(`node A id ${W.toHex(idA).slice(0, 16)}…  tree_state of its own tree: ${W.treeState(H, idA)}`);
  say(`node B id ${W.toHex(idB).slice(0, 16)}…  tree_state of its own tree: ${W.treeState(H, idB)}`);
  say();

  say('1. A broadcasts a Beacon announcing its 5 apps (ESP-NOW, schemas 0–10):');
  const beacon = W.unwrap(W.beaconMessages(W.BeaconOp.BEACON, idA, apps))[0];
  const bframe = W.unwrap(W.frameBlob(H, 'broadcast', W.ESPNOW_SCHEMA_IDS, beaconId, beacon, { packetId: 0, seqId: 0 }));
  say(`   ${describe(bframe.frames[0])}`);
  say(`   ${hexdump(bframe.frames[0])}`);
  const got = W.unwrap(W.parsePackage(W.unwrap(W.parsePacket(bframe.frames[0])).body));
  say(`   B decodes: app ${W.toHex(got.appId)} (Beacon), hash ok: ${W.verifyPackage(H, got)}, announces ${W.unwrap(W.parseBeacon(got.blob)).apps.length} apps`);
  say();

  const winner = W.compareBytes(W.claimScore(idA), W.claimScore(idB)) < 0 ? 'A' : 'B';
  say(`2. Root election: claim score = node id XOR "1234"×8, lower wins → ${winner} is root.`);
  const child = W.unwrap(W.Address.fromCoords(W.treeState(H, winner === 'A' ? idA : idB), [1]));
  say(`   the other node is assigned the first child address ${child.toString()} (coords [1])`);
  say();

  say('3. A sends B a 2,000-byte blob directly: too big for one packet, so a sequence on schema 2:');
  const blob = Uint8Array.from({ length: 2000 }, (_v, i) => (i * 3) & 255);
  const seq = W.unwrap(W.frameBlob(H, 'direct', W.ESPNOW_SCHEMA_IDS, apps[1], blob, { packetId: 0, seqId: 0 }));
  for (const f of seq.frames) say(`   ${describe(f)}`);
  const first = W.unwrap(W.parsePacket(seq.frames[0]));
  const r = W.unwrap(W.Reassembly.start(W.getSchema(first.schemaId) as W.Schema, first.seqId as number, first.seqSize as number, 64 * 1024));
  for (const f of [...seq.frames].reverse()) {
    const p = W.unwrap(W.parsePacket(f));
    W.unwrap(r.add(p.packetId, p.body));
  }
  const pkg = W.unwrap(W.parsePackage(r.assemble() as Uint8Array));
  say(`   B reassembles out of order: ${pkg.blob.length} bytes, hash ok: ${W.verifyPackage(H, pkg)}; each ask (0x08) is answered by an ack:`);
  say(`   ${hexdump(W.unwrap(W.frameAck(H, first)))}`);
  say();

  say('4. A routed Ping from 118-10:: to 118-23:: (schema 5: ttl, tree_state, to, from):');
  const from = W.unwrap(W.Address.fromCoords(118, [1]));
  const to = W.unwrap(W.Address.fromCoords(118, [2, 3]));
  const ping = W.unwrap(W.serializePing({ op: W.PingOp.REQUEST, nonce: 7, metric: W.Metric.dTree, ts1: 1000n, ts2: 0n, ts3: 0n, treeState: 118, address: from.bytes, nodeId: idA }));
  const routed = W.unwrap(W.frameBlob(H, 'routed', W.ESPNOW_SCHEMA_IDS, apps[3], ping, { packetId: 1, seqId: 0 }, { to, from }));
  say(`   ${describe(routed.frames[0])}`);
  say(`   dTree from the root [] to [2,3] = ${W.dTree([], [2, 3])} hops; from [1] = ${W.dTree([1], [2, 3])}; dCPL [2] vs [2,3] = ${W.dCPL([2], [2, 3]).toFixed(4)}`);
  say();
  say('Checked byte for byte against 1,268 upstream vectors: npm run vectors (Node), npm run vectors:xs (XS).');
  return out.join('\n');
}
