/**
 * Commands that apps bring (MeshApp.commands(), as upstream's `register_commands`): a
 * third-party app on the node gets its commands on the console without the console knowing it.
 * Looked up on each use, since apps come and go; bounded, and an app whose `commands()` throws
 * is skipped.
 */
import type { ConsoleCommand } from '../mycelium/apps/app.js';
import type { Session } from './session.js';

export const MAX_APP_COMMANDS = 32;

export function appCommands(session: Session, builtins: ReadonlySet<string>): ConsoleCommand[] {
  const out: ConsoleCommand[] = [];
  for (const app of session.node.apps) {
    const provider = app as { commands?: unknown };
    if (typeof provider.commands !== 'function') continue;
    let list: unknown;
    try {
      list = (provider.commands as () => unknown).call(app);
    } catch {
      continue;
    }
    if (!Array.isArray(list)) continue;
    for (const c of list as ConsoleCommand[]) {
      if (out.length >= MAX_APP_COMMANDS) return out;
      if (!c || typeof c.name !== 'string' || typeof c.run !== 'function') continue;
      const name = c.name.toLowerCase();
      if (builtins.has(name) || out.some((o) => o.name.toLowerCase() === name)) continue;
      out.push(c);
    }
  }
  return out;
}
