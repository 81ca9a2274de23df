/**
 * hosts/sim's start-up measure of the 10 KB paths (modules/host/digest-bench.ts): it must really
 * round-trip the blob, and say FAILED when the hash it is given is wrong. A fake clock that moves
 * 1 ms per reading keeps the test free of real time.
 */
import { digestBench, digestBenchLine } from '../../modules/host/digest-bench.js';
import { portableHashes } from '../../modules/mycelium/platform/portable.js';
import { nodeHashes } from '../../simulator/platform/node-hashes.js';

const ticking = (): (() => number) => {
  let t = 0;
  return () => t++;
};

test('native and portable SHA-256 both frame and reassemble the 10 KB blob', () => {
  for (const hashes of [portableHashes, nodeHashes]) {
    const r = digestBench(hashes, ticking(), 5);
    expect(r.ok).toBe(true);
    expect(r.frames).toBe(43); // 10,240 B + 32 B of Package header on schema 2's 240 B bodies
    expect(digestBenchLine('native', r)).toMatch(/^digest: native ok split 10 KB \d+\.\d{3} ms reassemble \d+\.\d{3} ms \(43 frames\)$/);
  }
});

test('a hash that answers differently each time fails the check', () => {
  let calls = 0;
  const wrong = { ...portableHashes, sha256: (d: Uint8Array) => portableHashes.sha256(Uint8Array.of(...d.subarray(0, 8), calls++)) };
  const r = digestBench(wrong, ticking(), 5);
  expect(r.ok).toBe(false);
  expect(digestBenchLine('broken', r)).toContain('digest: broken FAILED');
});
