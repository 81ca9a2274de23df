/**
 * SHA-256 that remembers its last few answers. A broadcast reaches every neighbour with the
 * same bytes, and each receiver verifies the same Package checksum within the same instant:
 * comparing a couple of hundred bytes is much cheaper than hashing them again. The answers are
 * those of `base`, so the nodes see no difference. One memo per run (it holds state).
 */
import type { Hashes } from '../../modules/mycelium/platform/platform.js';

export interface MemoHashes extends Hashes {
  readonly hits: () => number;
  readonly misses: () => number;
}

export function memoHashes(base: Hashes, entries = 4): MemoHashes {
  const inputs: (Uint8Array | undefined)[] = new Array(entries).fill(undefined);
  const outputs: (Uint8Array | undefined)[] = new Array(entries).fill(undefined);
  let next = 0;
  let hits = 0;
  let misses = 0;
  const sha256 = (data: Uint8Array): Uint8Array => {
    for (let e = 0; e < entries; e++) {
      const input = inputs[e];
      if (input !== undefined && sameBytes(input, data)) {
        hits++;
        return (outputs[e] as Uint8Array).slice(); // a copy: callers may keep or change it
      }
    }
    misses++;
    const out = base.sha256(data);
    inputs[next] = data.slice();
    outputs[next] = out.slice();
    next = (next + 1) % entries;
    return out;
  };
  return { sha256, crc32: base.crc32, hits: () => hits, misses: () => misses };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The same memo keyed by a string that stands for the bytes one to one (`keyOf`, e.g. their
 * base64 made by a native codec). For engines where a byte loop is dear: on XS comparing a
 * 200-byte frame byte by byte costs about as many bytecodes as 1/20 of hashing it, while a
 * native encoding and a Map lookup cost a handful. `keyOf` must be injective, or two inputs
 * would share a digest. Holds at most `entries` answers, dropping the oldest.
 */
export function keyedMemoHashes(base: Hashes, keyOf: (data: Uint8Array) => string, entries = 8): MemoHashes {
  const memo = new Map<string, Uint8Array>();
  let hits = 0;
  let misses = 0;
  const sha256 = (data: Uint8Array): Uint8Array => {
    const key = keyOf(data);
    const known = memo.get(key);
    if (known !== undefined) {
      hits++;
      return known.slice(); // a copy: callers may keep or change it
    }
    misses++;
    const out = base.sha256(data);
    if (memo.size >= entries) memo.delete(memo.keys().next().value as string);
    memo.set(key, out.slice());
    return out;
  };
  return { sha256, crc32: base.crc32, hits: () => hits, misses: () => misses };
}
