/** `help [command]`: upstream's "Commands:" listing, tab-indented, one line per command. */
import type { ConsoleCommand } from '../mycelium/apps/app.js';
import type { CommandSpec } from './spec.js';
import type { Session } from './session.js';

export function helpLine(spec: CommandSpec): string {
  const names = [spec.name, ...spec.aliases].join(', ');
  return `${names}${spec.usage ? ' ' + spec.usage : ''} - ${spec.summary}`;
}

export function printHelp(session: Session, specs: readonly CommandSpec[], fromApps: readonly ConsoleCommand[], args: readonly string[]): void {
  if (args.length > 0) {
    const want = args[0].toLowerCase();
    const spec = specs.find((c) => c.name === want || c.aliases.includes(want));
    if (spec) return session.print(helpLine(spec));
    const app = fromApps.find((c) => c.name.toLowerCase() === want);
    if (app) return session.print(app.help);
    return session.error(`unknown command "${args[0]}" (type help for the list of commands)`);
  }
  session.print('Commands:');
  for (const spec of specs) session.print('\t' + helpLine(spec));
  for (const c of fromApps) session.print('\t' + c.help);
}
