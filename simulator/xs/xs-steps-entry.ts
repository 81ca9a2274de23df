/**
 * The XS runner's worker counting only its bytecodes (issue 21): bundled instead of
 * xs-worker-entry.ts when MYCELIUM_XS_PROFILE=steps (simulator/cli/main.ts). Unlike
 * xs-profile-entry.ts nothing is wrapped, so the total is what the plain worker executes: the
 * figure to compare builds by, where the per-method profile's total also holds its wrappers'
 * own bytecodes (a few dozen per wrapped call, which an inlined getter saves as well).
 */
import { meterWorker } from './xs-profiler.js';
import './xs-worker-entry.js';

/** The run ends by asking for the crossings tally: print the count then. */
meterWorker((inputs, steps, print) => {
  print(`xs steps: ${inputs} inputs, ${Math.round(steps / 1e6)} M steps in handleInput (the worker's whole work, harness included, nothing wrapped)`);
});
