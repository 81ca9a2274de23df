/** `npm run demo`: the two-node example, printed to the terminal. */
import { twoNodes } from './two-nodes.js';

twoNodes((line) => console.log(line));
