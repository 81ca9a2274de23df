/** The scripted console session inside XS (see xs.test.ts). */
import { consoleScript } from './script.js';

declare global {
  var handleInput: (input: string) => string | Promise<string>;
}

globalThis.handleInput = () => JSON.stringify(consoleScript());
