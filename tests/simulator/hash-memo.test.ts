/** The simulator's memoised SHA-256 answers exactly as the hash it wraps, and copies its answers. */
import { keyedMemoHashes, memoHashes } from '../../simulator/platform/hash-memo.js';
import { nodeHashes } from '../../simulator/platform/node-hashes.js';
import { toHex } from '../../modules/mycelium/wire/bytes.js';

const base64Key = (data: Uint8Array): string => Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');

test.each([
  ['compared byte by byte', () => memoHashes(nodeHashes, 2)],
  ['keyed by a string of the bytes (the XS runner)', () => keyedMemoHashes(nodeHashes, base64Key, 2)],
])('memo %s: repeated and interleaved inputs give the wrapped hash\'s digests, and callers cannot corrupt it', (_, make) => {
  const memo = make();
  const inputs = [Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2, 4), Uint8Array.of(1, 2), new Uint8Array(0), Uint8Array.of(1, 2, 3)];
  for (let round = 0; round < 3; round++) {
    for (const input of inputs) {
      const got = memo.sha256(input);
      expect(toHex(got)).toBe(toHex(nodeHashes.sha256(input)));
      got.fill(0); // a caller scribbling on its answer must not change the next one
    }
  }
  expect(memo.hits() + memo.misses()).toBe(15);
  // the same bytes twice in a row are served from the memo, even in another buffer
  const before = memo.hits();
  const frame = Uint8Array.of(9, 9, 9);
  memo.sha256(frame);
  const view = new Uint8Array([0, 9, 9, 9]).subarray(1);
  expect(toHex(memo.sha256(view))).toBe(toHex(nodeHashes.sha256(frame)));
  expect(memo.hits()).toBe(before + 1);
});
