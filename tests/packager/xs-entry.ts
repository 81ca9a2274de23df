/**
 * The Packager core inside XS: the packager vectors through a real Packager, and seeded
 * reliability trials whose figures must equal Node's exactly (same code, same seeds).
 */
import { portableHashes } from '../../modules/mycelium/platform/portable.js';
import { runPackagerVectors } from './packager-vectors.js';
import { runReliability, type ReliabilityOptions } from '../../bench/reliability.js';

declare global {
  var handleInput: (input: string) => string | Promise<string>;
}

globalThis.handleInput = (text: string) => {
  const input = JSON.parse(text) as { cases: Record<string, unknown>[]; trials: ReliabilityOptions[] };
  return JSON.stringify({
    vectors: runPackagerVectors(input.cases, portableHashes),
    trials: input.trials.map((t) => runReliability(t)),
  });
};
