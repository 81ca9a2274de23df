#!/usr/bin/env node
// What the per-peer heap of the memory bench's star is made of (issue 21): the star's centre
// (bench/memory-star.ts, as in bench-memory.mjs) at two sizes, each in a fresh xsnap-worker whose
// heap snapshot is read slot by slot. Objects are grouped by their first property names (a
// `Peer`: key,cols,slot,held…), typed arrays' buffers and arrays' item chunks by the property
// that holds them and its object's names; each group's slots and chunk bytes in ESP32-equivalent
// bytes (as bench-memory.mjs counts them), and the difference between the two sizes per peer.
// A guide, not a target: names come from the snapshot's key table; strings are counted with the
// object property holding them (a `Peer`'s key with the `Peer`), strings in arrays with the array.
//
// `--sized` caps the centre at N peers (bench-memory.mjs's steady star, with `--seconds 540`).
// `--tables both|peer|route` weighs the Packager's tables alone instead (bench/memory-table.ts, no
// apps or traffic): each peer with its link and route, the peer alone, or a route alone.
//
//   node scripts/bench-memory-shapes.mjs [--peers 32,64] [--seconds 30] [--top 25] [--tables both|peer|route] [--sized]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { bundleForXS } from '../simulator/xs/bundle.mjs';
import { openXS, xsnapAvailable, xsnapWorkerPath } from '../simulator/xs/xsnap.mjs';
import { parseCli } from './lib/cli.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const usage = 'usage: node scripts/bench-memory-shapes.mjs [--peers 32,64] [--seconds 30] [--top 25] [--tables both|peer|route] [--sized]';
const args = parseCli(usage, { peers: { type: 'string', default: '32,64' }, seconds: { type: 'string', default: '30' }, top: { type: 'string', default: '25' }, tables: { type: 'string' }, sized: { type: 'boolean', default: false } });
const tableRows = args.values.tables;
const [small, large] = args.values.peers.split(',').map(Number);
const seconds = Number(args.values.seconds);
const top = Number(args.values.top);
if ((tableRows !== undefined && !['both', 'peer', 'route'].includes(tableRows)) || !(Number.isInteger(small) && Number.isInteger(large) && large > small && small >= 0) || !(seconds > 0) || !(top > 0)) {
  console.error(usage);
  process.exit(2);
}
if (!xsnapAvailable()) {
  console.log(`Memory shapes: SKIPPED — xsnap-worker not found at ${xsnapWorkerPath()}`);
  process.exit(0);
}

// xsAll.h (64-bit xsnap, mx32bitID): a slot is next (8), kind (1), flag (1), 2 spare, ID (4), value (16);
// the kinds' numbers are its enum's.
const SLOT = 32;
const KIND = { STRING: 5, REFERENCE: 10, INSTANCE: 13, ARRAY: 16, ARRAY_BUFFER: 17, MAP: 27, SET: 33, WEAK_MAP: 35, WEAK_SET: 37, PRIVATE: 46 };
const INTERNAL_FLAG = 1;
/** ESP32-equivalent bytes of a chunk of `size` (its 64-bit size, header included): the header is 8 B there, not 16. */
const esp32Chunk = (size) => (size ? size - 8 : 0);

/** Groups of a snapshot: label → { objects, slots, chunkBytes (ESP32-equivalent) }. */
function shapesOf(buf) {
  const atoms = {};
  for (let at = 8; at + 8 <= buf.length; ) {
    const size = buf.readUInt32BE(at);
    atoms[buf.toString('latin1', at + 4, at + 8)] = { at: at + 8, size: size - 8 };
    at += size;
  }
  const heapAt = atoms.HEAP.at;
  const count = atoms.HEAP.size / SLOT;
  const bloc = atoms.BLOC;
  const base = (i) => heapAt + (i - 1) * SLOT; // slot numbers start at 1 (0: none)
  const kind = (i) => buf[base(i) + 8];
  const internal = (i) => (buf[base(i) + 9] & INTERNAL_FLAG) !== 0;
  const next = (i) => Number(buf.readBigUInt64LE(base(i)));
  const value = (i) => Number(buf.readBigUInt64LE(base(i) + 16));
  // A chunk pointer is projected to the offset of its data in BLOC (its header just before).
  const chunk = (off) => (off > 0 && off < bloc.size ? esp32Chunk(buf.readUInt32LE(bloc.at + off - 16) & 0x7fffffff) : 0);
  const keys = atoms.KEYS.size / 8;
  const names = new Map();
  const nameOf = (i) => {
    const id = buf.readInt32LE(base(i) + 12) & 0x7fffffff;
    if (names.has(id)) return names.get(id);
    let name = `#${id}`;
    const key = id > 0 && id < keys ? Number(buf.readBigUInt64LE(atoms.KEYS.at + id * 8)) : 0;
    const off = key ? value(key) : 0;
    if (off > 0 && off < bloc.size) {
      let end = bloc.at + off;
      while (buf[end]) end++;
      name = buf.toString('latin1', bloc.at + off, end);
    }
    names.set(id, name);
    return name;
  };
  /** Bytes of the chunk a property slot owns (a string, array items and their strings, a buffer, a table). */
  const owned = (p) => {
    const k = kind(p);
    if (k === KIND.STRING) return chunk(value(p));
    if (k === KIND.ARRAY_BUFFER) return chunk(value(p));
    // A table holds slot pointers, 8 B here and 4 B on ESP32: half its data (as bench-memory.mjs).
    if (k === KIND.MAP || k === KIND.SET || k === KIND.WEAK_MAP || k === KIND.WEAK_SET) return narrow(chunk(value(p)));
    if (k !== KIND.ARRAY) return 0;
    const addr = value(p);
    const length = buf.readUInt32LE(base(p) + 24);
    // The items are slots, 32 B here and 16 B on ESP32: half the chunk's data.
    let bytes = narrow(chunk(addr));
    if (bytes) for (let j = 0; j < length && addr + (j + 1) * SLOT <= bloc.size; j++) if (buf[bloc.at + addr + j * SLOT + 8] === KIND.STRING) bytes += chunk(Number(buf.readBigUInt64LE(bloc.at + addr + j * SLOT + 16)));
    return bytes;
  };
  /** ESP32-equivalent bytes of a chunk of slots or slot pointers (its data half as wide there). */
  const narrow = (bytes) => (bytes ? bytes - (bytes - 8) / 2 : 0);
  const ownerOf = new Int32Array(count + 1);
  const objects = [];
  for (let i = 1; i <= count; i++) {
    if (kind(i) !== KIND.INSTANCE) continue;
    const props = [];
    let slots = 1;
    let bytes = 0;
    for (let p = next(i); p && !ownerOf[p]; p = next(p)) {
      ownerOf[p] = i;
      slots++;
      if (kind(p) === KIND.PRIVATE) {
        // `#private` fields: a chain of their own from the slot (value.private.first).
        for (let q = Number(buf.readBigUInt64LE(base(p) + 24)); q && !ownerOf[q]; q = next(q)) {
          ownerOf[q] = i;
          slots++;
          bytes += owned(q);
          props.push(nameOf(q));
        }
        continue;
      }
      bytes += owned(p);
      props.push(internal(p) ? `<${kind(p)}>` : nameOf(p));
    }
    objects.push({ i, props, slots, bytes });
  }
  // Who refers to an object: the first property slot holding a reference to it.
  const referrer = new Map();
  for (let i = 1; i <= count; i++) if (kind(i) === KIND.REFERENCE && ownerOf[i] && !referrer.has(value(i))) referrer.set(value(i), i);
  const signature = new Map(objects.map((o) => [o.i, o.props.slice(0, 6).join(',')]));
  /** A typed array's buffer or an array: named by the property holding it (through its view) and that object's names. */
  const holderOf = (i, depth) => {
    const r = referrer.get(i);
    if (r === undefined || depth === 0) return signature.get(i) ?? '?';
    const owner = ownerOf[r];
    const via = internal(r) ? '' : nameOf(r);
    const sig = signature.get(owner) ?? '?';
    if (sig.startsWith('<')) return `${via ? via + ' ← ' : ''}${holderOf(owner, depth - 1)}`;
    return `${via} ← {${sig}}`;
  };
  const groups = new Map();
  for (const o of objects) {
    const first = o.props[0] ?? '';
    const label = first === `<${KIND.ARRAY_BUFFER}>` || first === `<${KIND.ARRAY}>` ? `${first === `<${KIND.ARRAY}>` ? 'array' : 'buffer'} ${holderOf(o.i, 3)}` : `{${signature.get(o.i)}}`;
    const g = groups.get(label) ?? { objects: 0, slots: 0, bytes: 0 };
    g.objects++;
    g.slots += o.slots;
    g.bytes += o.bytes;
    groups.set(label, g);
  }
  let loose = 0;
  for (let i = 1; i <= count; i++) if (kind(i) !== KIND.INSTANCE && !ownerOf[i]) loose++;
  groups.set('(slots in no object: closures, frames, map entries…)', { objects: 0, slots: loose, bytes: 0 });
  return groups;
}

const script = await bundleForXS(join(root, 'bench/memory-entry.ts'));
const dir = mkdtempSync(join(tmpdir(), 'mycelium-shapes-'));
const shapes = [];
try {
  for (const peers of [small, large]) {
    const session = await openXS(script, { name: 'mycelium-memory-shapes', timeoutMs: 20 * 60_000 });
    try {
      await session.run(JSON.stringify(tableRows ? { op: 'tables', peers, hello: false, rows: tableRows } : { op: 'star', peers, seconds, sized: args.values.sized }));
      const file = join(dir, `star-${peers}.xss`);
      await session.heap(file);
      shapes.push(shapesOf(readFileSync(file)));
    } finally {
      await session.close();
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const [a, b] = shapes;
const none = { objects: 0, slots: 0, bytes: 0 };
const rows = [];
for (const label of new Set([...a.keys(), ...b.keys()])) {
  const x = a.get(label) ?? none;
  const y = b.get(label) ?? none;
  const bytes = (y.slots - x.slots) * 16 + (y.bytes - x.bytes);
  if (bytes !== 0) rows.push({ label, objects: `${x.objects} → ${y.objects}`, bytes });
}
rows.sort((p, q) => Math.abs(q.bytes) - Math.abs(p.bytes));
const total = rows.reduce((s, r) => s + r.bytes, 0);
const n = (v) => Math.round(v).toLocaleString('en-US');
const peers = large - small;
console.log(tableRows ? `\nThe Packager's tables alone (${tableRows}) from ${small} to ${large} peers by object shape (ESP32-equivalent; no apps or traffic)` : `\nThe star's heap from ${small} to ${large} peers by object shape (ESP32-equivalent; ${seconds} s simulated)`);
console.log(`| objects grouped by their first property names (or what holds the buffer / array) | objects | bytes ${small} → ${large} | a peer |`);
console.log('| --- | ---: | ---: | ---: |');
for (const r of rows.slice(0, top)) console.log(`| ${r.label.replaceAll('|', '\\|')} | ${r.objects} | ${n(r.bytes)} B | ${n(r.bytes / peers)} B |`);
const rest = rows.slice(top).reduce((s, r) => s + r.bytes, 0);
if (rows.length > top) console.log(`| the other ${rows.length - top} groups | | ${n(rest)} B | ${n(rest / peers)} B |`);
console.log(`| total | | ${n(total)} B | ${n(total / peers)} B |`);
console.log('(Command: node scripts/bench-memory-shapes.mjs. Slots × 16 B, chunks less 8 B a header, array items and Map/Set tables at ESP32 width, as in bench-memory.mjs.)');
