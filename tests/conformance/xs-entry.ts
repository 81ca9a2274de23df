/** Entry of the conformance bundle that runs inside XS: vectors text in, JSON report out. */
import { portableHashes } from '../../modules/mycelium/platform/portable.js';
import { checkVectors } from './check.js';

declare global {
  var handleInput: (input: string) => string | Promise<string>;
}

globalThis.handleInput = (text: string) => JSON.stringify(checkVectors(text, portableHashes));
