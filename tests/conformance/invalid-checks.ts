/**
 * The invalid_inputs category: what upstream does with bad or edge input. Where upstream raises,
 * we must refuse with a typed error; where it silently accepts garbage (wrapped coordinates,
 * truncated addresses, oversized bodies, non-byte flags, short messages) we must refuse too and
 * the case counts as a deliberate difference; legitimate edge inputs must work as upstream's do.
 */
import * as W from '../../modules/mycelium/wire/index.js';
import { type Case, type Check, type Context, Mismatch, refused, same, value } from './util.js';

type Handler = (m: RegExpMatchArray, c: Case, ctx: Context) => void;

const zeros = (n: number) => new Uint8Array(n);
const pkt = (schemaId: number, extra: Partial<W.Packet> = {}): W.Packet => ({ schemaId, flags: 0, packetId: 0, body: zeros(0), ...extra });
const routed = (extra: Partial<W.Packet>) => pkt(5, { ttl: 255, treeState: 0, toAddr: zeros(16), fromAddr: zeros(16), ...extra });
const s2 = () => W.getSchema(2) as W.Schema;

/** Upstream accepted it; we refuse on purpose. */
function garbage(what: string, r: W.Result<unknown>, ctx: Context): void {
  refused(what, r);
  ctx.deliberate++;
}

const HANDLERS: [RegExp, Handler][] = [
  [/^get_schema\((-?\d+)\)$/, (m) => same('getSchema', W.getSchema(Number(m[1])), undefined)],
  [/^pack body too large \(schema (\d+), (\d+) bytes\)$/, (m) => { refused('pack', W.serializePacket(pkt(+m[1], { body: zeros(+m[2]) }))); }],
  [/^pack body exactly max \(schema (\d+), (\d+) bytes\)$/, (m, c) => same('length', value('pack', W.serializePacket(pkt(+m[1], { body: zeros(+m[2]) }))).length, c.ok)],
  [/^pack oversized body given as \w+ is NOT checked$/, (_m, c, ctx) => garbage('oversized body', W.serializePacket(pkt(0, { body: zeros(c.ok - 5) })), ctx)],
  [/^pack missing field$/, () => { refused('pack', W.serializePacket({ schemaId: 0, flags: 0, body: zeros(0) } as unknown as W.Packet)); }],
  [/^pack packet_id 256 in 1-byte field$/, () => { refused('pack', W.serializePacket(pkt(0, { packetId: 256 }))); }],
  [/^pack negative packet_id$/, () => { refused('pack', W.serializePacket(pkt(0, { packetId: -1 }))); }],
  [/^pack to_addr of 15 bytes$/, () => { refused('pack', W.serializePacket(routed({ toAddr: zeros(15) }))); }],
  [/^pack to_addr given as bytearray\(15\) is NOT length-checked$/, (_m, _c, ctx) => garbage('15-byte to_addr', W.serializePacket(routed({ toAddr: zeros(15) })), ctx)],
  [/^pack flags 256$/, () => { refused('pack', W.serializePacket(pkt(0, { flags: 256 }))); }],
  [/^Packet\.unpack unknown schema id (\d+)$/, (m) => { refused('parse', W.parsePacket(Uint8Array.of(0, 0, +m[1], 0, 0))); }],
  [/^Packet\.unpack version (\d+)$/, (m) => { refused('parse', W.parsePacket(Uint8Array.of(+m[1], 0, 0, 0, 0))); }],
  [/^Packet\.unpack (\d+) bytes$/, (m) => { refused('parse', W.parsePacket(zeros(+m[1]))); }],
  [/^Packet\.unpack header only \(schema 0, no packet_id\)$/, () => { refused('parse', W.parsePacket(zeros(4))); }],
  [/^Packet\.unpack schema 0 with empty body$/, (_m, c) => {
    const p = value('parse', W.parsePacket(Uint8Array.of(0, 0, 0, 0, c.ok.packet_id)));
    same('parse', { version: 0, reserved: p.reserved, id: p.schemaId, flags: p.flags, packet_id: p.packetId, body: W.toHex(p.body) }, c.ok);
  }],
  [/^Packet\.unpack schema 5 truncated header$/, () => { refused('parse', W.parsePacket(Uint8Array.of(0, 0, 5, 0, 0, 255, 0))); }],
  [/^Packet\.unpack schema 0 with (\d+)-byte body \(no max check on unpack\)$/, (m, _c, ctx) => garbage('oversized frame', W.parsePacket(zeros(5 + +m[1])), ctx)],
  [/^set_checksum on schema without checksum$/, (_m, _c, ctx) => { refused('checksum', W.withChecksum(ctx.hashes, pkt(0))); }],
  [/^Package app_id (\d+) bytes$/, (m, _c, ctx) => { refused('package', W.buildPackage(ctx.hashes, zeros(+m[1]), zeros(1))); }],
  [/^Package\.unpack 31 bytes$/, () => { refused('package', W.parsePackage(zeros(31))); }],
  [/^Package\.unpack 32 bytes \(empty blob\)$/, (_m, c) => same('blob', W.toHex(value('package', W.parsePackage(zeros(32))).blob), c.ok.hex)],
  [/^Sequence on schema 0$/, () => { refused('sequence', W.OutboundSequence.create(W.getSchema(0) as W.Schema, 0, zeros(10))); }],
  [/^Sequence id 256$/, () => { refused('sequence', W.OutboundSequence.create(s2(), 256, zeros(10))); }],
  [/^Sequence data_size 256\*243 \(too large for schema 2\)$/, () => { refused('sequence', W.OutboundSequence.create(s2(), 0, zeros(256 * 243))); }],
  [/^Sequence data_size 256\*243-1 \(largest accepted\)$/, (_m, c) => same('count', value('sequence', W.OutboundSequence.create(s2(), 0, zeros(256 * 243 - 1))).count, c.ok)],
  [/^Sequence\.set_data 256\*243 bytes on seq_size-constructed schema 2$/, (_m, c) => {
    const r = value('reassembly', W.Reassembly.start(s2(), 0, 255, s2().maxPackage));
    for (let i = 0; i < 256; i++) value(`add ${i}`, r.add(i, zeros(243)));
    same('complete fragments', r.complete ? r.count : -1, c.ok);
    same('length', r.assemble()?.length, 256 * 243);
  }],
  [/^Sequence\.set_data 256\*243\+1 bytes$/, () => { refused('sequence', W.OutboundSequence.create(s2(), 0, zeros(256 * 243 + 1))); }],
  [/^Sequence data_size 0$/, () => { refused('sequence', W.OutboundSequence.create(s2(), 0, zeros(0))); }],
  [/^Sequence\.get_packet unknown id$/, (_m, c) => {
    const s = value('sequence', W.OutboundSequence.create(s2(), 0, zeros(10)));
    same('fragment', s.fragment(s.count, 0, {}, false) ?? null, c.ok);
  }],
  [/^Address tree_state bytes$/, () => { refused('address', W.Address.fromCoords('1' as unknown as number, [1])); }],
  [/^Address no address\/coords$/, () => { refused('address', W.Address.fromCoords(0, undefined as unknown as number[])); }],
  [/^Address address str$/, () => { refused('address', W.Address.fromBytes(0, 'abc' as unknown as Uint8Array)); }],
  [/^Address coords of str$/, () => { refused('address', W.Address.fromCoords(0, ['a'] as unknown as number[])); }],
  [/^Address\.decode (\d+) bytes$/, (m) => { refused('decode', W.decodeAddress(zeros(+m[1]))); }],
  [/^Address\.encode negative coord$/, () => { refused('encode', W.encodeCoords([-1])); }],
  [/^Address\.encode coord (\d+) \(wraps\)$/, (m, _c, ctx) => garbage('coordinate ' + m[1], W.encodeCoords([+m[1]]), ctx)],
  [/^Address\.encode (\d+) small coords \(truncated to 16 bytes\)$/, (m, _c, ctx) => garbage(`${m[1]} coordinates`, W.encodeCoords(new Array<number>(+m[1]).fill(1)), ctx)],
  [/^Address\(0, address=b""\)/, () => { refused('address', W.Address.fromBytes(0, zeros(0))); }],
  [/^Address\.from_str without dash$/, () => { refused('parse', W.Address.parse('10::')); }],
  [/^Address\.from_str too long$/, () => { refused('parse', W.Address.parse('1-' + '11'.repeat(17))); }],
  [/^Flags\(bytes 2\)$/, (_m, c, ctx) => garbage(`flags ${c.ok}`, W.checkPacket(pkt(0, { flags: c.ok })), ctx)],
  [/^Application version -1$/, (_m, _c, ctx) => { refused('app id', W.appId(ctx.hashes, 'a', 'b', -1)); }],
  [/^TreeMessage deserialize (\d+) bytes$/, (m) => { refused('tree', W.parseTree(zeros(+m[1]))); }],
  [/^PingMessage deserialize (\d+) bytes$/, (m) => { refused('ping', W.parsePing(zeros(+m[1]))); }],
  [/^DebugMessage deserialize (\d+) bytes$/, (m) => { refused('debug', W.parseDebug(zeros(+m[1]))); }],
  [/^GossipMessage deserialize empty$/, () => { refused('gossip', W.parseGossip(zeros(0))); }],
  [/^GossipMessage deserialize 1 byte$/, (_m, _c, ctx) => garbage('1-byte gossip', W.parseGossip(Uint8Array.of(15)), ctx)],
  [/^Interface with no schemas$/, (_m, _c, ctx) => { refused('interface id', W.interfaceId(ctx.hashes, 'x', 1, [])); }],
  [/^Interface with schema (\d+)$/, (m, _c, ctx) => { refused('interface id', W.interfaceId(ctx.hashes, 'x', 1, [+m[1]])); }],
];

export const invalidInputs: Check = (c, ctx) => {
  for (const [re, handler] of HANDLERS) {
    const m = re.exec(String(c.case));
    if (!m) continue;
    if (!('ok' in c) && !('error' in c)) throw new Mismatch('case has neither ok nor error');
    handler(m, c, ctx);
    return undefined;
  }
  throw new Mismatch(`no check knows the case "${c.case}"`);
};
