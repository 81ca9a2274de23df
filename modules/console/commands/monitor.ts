/** `monitor [grep…]` and `wait [count]`: the two commands that run until Enter. */
import { Monitor } from '../monitor.js';
import { parseIntIn } from '../args.js';
import type { Session } from '../session.js';

export function runMonitor(s: Session, args: readonly string[]): void {
  s.print('Hit Enter to stop monitoring');
  s.startMonitor(new Monitor(s.node, args, (line) => s.print(line)));
}

/** Upstream: count -1 (the default) waits until Enter; else until `count` output items came. */
export function runWait(s: Session, args: readonly string[]): void {
  const count = args[0] === undefined ? -1 : parseIntIn(args[0], -1, 1000);
  if (count === undefined || count === 0) return s.error('count must be -1 (until Enter) or 1 to 1000');
  s.print('Waiting for output. Hit Enter to stop waiting (command will run in background)...');
  s.startWait(count);
}
