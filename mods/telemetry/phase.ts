/**
 * When in its interval a node publishes: a fixed offset in [0, interval) taken from its id, so
 * a hundred nodes switched on together do not all publish in the same second (the mesh API has
 * no random numbers, and an offset from the id is the same after every restart).
 */
import { fromHex } from '../common/bytes.js';

export function phaseMs(nodeId: string, intervalMs: number): number {
  // FNV-1a over the id bytes: every byte moves the result, so ids that differ in one byte spread.
  let h = 0x811c9dc5;
  for (const b of fromHex(nodeId) ?? []) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h % Math.max(1, Math.floor(intervalMs));
}
