/** Entry of the conformance bundle for Node: native hashes. */
import { nodeHashes } from '../../simulator/platform/node-hashes.js';
import { checkVectors, type Report } from './check.js';

export function run(text: string): Report {
  return checkVectors(text, nodeHashes);
}
