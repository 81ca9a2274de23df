/** `monitor [grep…]` and `wait [count]`: the two commands that run until Enter. */
import { Monitor } from '../monitor.js';
import { parseIntIn } from '../args.js';
import { errorResult, textResult, type CommandResult } from '../results.js';
import type { Session } from '../session.js';

export function runMonitor(s: Session, args: readonly string[]): CommandResult {
  const origin = s.command;
  s.startMonitor(new Monitor(s.node, args, (line) => s.print(line, undefined, origin)));
  return textResult('Hit Enter to stop monitoring');
}

/** Upstream: count -1 (the default) waits until Enter; else until `count` output items came. */
export function runWait(s: Session, args: readonly string[]): CommandResult {
  const count = args[0] === undefined ? -1 : parseIntIn(args[0], -1, 1000);
  if (count === undefined || count === 0) return errorResult('count must be -1 (until Enter) or 1 to 1000');
  s.startWait(count);
  return textResult('Waiting for output. Hit Enter to stop waiting (command will run in background)...');
}
