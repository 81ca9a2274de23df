/**
 * A start-up measure of the 10 KB paths with a host's SHA-256 (printed by hosts/sim, read by
 * `npm run test:moddable`; issue 21 asks for these beside the portable hash): `split` frames a
 * 10 KB broadcast blob as the Packager does (Package hash, fragments, serialized frames);
 * `reassemble` parses those frames, reassembles them and verifies the Package's hash, as a
 * receiver does. The same code runs on Node in tests/host/digest-bench.test.ts.
 */
import type { Hashes } from '../mycelium/platform/platform.js';
import { frameBlob } from '../mycelium/wire/outbound.js';
import { parsePackage, verifyPackage } from '../mycelium/wire/package.js';
import { parsePacket } from '../mycelium/wire/packet.js';
import { ESPNOW_SCHEMA_IDS, getSchema } from '../mycelium/wire/schemas.js';
import { Reassembly } from '../mycelium/wire/sequence.js';

const BLOB_BYTES = 10 * 1024;
const REASSEMBLY_LIMIT = 64 * 1024;

export interface DigestBenchResult {
  /** The frames reassembled to the blob and its hash verified. */
  ok: boolean;
  frames: number;
  /** Mean ms per 10 KB split (hash + fragments + serialize). */
  splitMs: number;
  /** Mean ms per 10 KB reassembly (parse + reassemble + hash check). */
  reassembleMs: number;
}

/** Repeats each path until `minMs` have passed (at least 3 times): `now` may tick in whole ms. */
export function digestBench(hashes: Hashes, now: () => number, minMs = 100): DigestBenchResult {
  const blob = new Uint8Array(BLOB_BYTES);
  for (let i = 0; i < blob.length; i++) blob[i] = (i * 31 + 7) & 0xff;
  const appId = new Uint8Array(16).fill(0xa9);
  const split = (): Uint8Array[] => {
    const r = frameBlob(hashes, 'broadcast', ESPNOW_SCHEMA_IDS, appId, blob, { packetId: 1, seqId: 2 });
    return r.ok ? r.value.frames : [];
  };
  const reassemble = (frames: readonly Uint8Array[]): boolean => {
    let ra: Reassembly | undefined;
    for (const frame of frames) {
      const p = parsePacket(frame);
      if (!p.ok || p.value.seqSize === undefined) return false;
      if (!ra) {
        const schema = getSchema(p.value.schemaId);
        const started = schema && Reassembly.start(schema, p.value.seqId as number, p.value.seqSize, REASSEMBLY_LIMIT);
        if (!started || !started.ok) return false;
        ra = started.value;
      }
      if (!ra.add(p.value.packetId, p.value.body).ok) return false;
    }
    const data = ra?.assemble();
    const pkg = data && parsePackage(data);
    return !!pkg && pkg.ok && pkg.value.blob.length === BLOB_BYTES && verifyPackage(hashes, pkg.value);
  };
  const frames = split();
  const ok = frames.length > 1 && reassemble(frames);
  return { ok, frames: frames.length, splitMs: meanMs(split, now, minMs), reassembleMs: meanMs(() => reassemble(frames), now, minMs) };
}

function meanMs(run: () => unknown, now: () => number, minMs: number): number {
  let n = 0;
  const started = now();
  let elapsed = 0;
  do {
    run();
    n++;
    elapsed = now() - started;
  } while (elapsed < minMs || n < 3);
  return elapsed / n;
}

/** The line hosts print, e.g. `digest: native ok split 10 KB 0.412 ms reassemble 0.388 ms (43 frames)`. */
export function digestBenchLine(name: string, r: DigestBenchResult): string {
  return `digest: ${name} ${r.ok ? 'ok' : 'FAILED'} split 10 KB ${r.splitMs.toFixed(3)} ms reassemble ${r.reassembleMs.toFixed(3)} ms (${r.frames} frames)`;
}
