/** `help [command]`: upstream's "Commands:" listing (printer.ts: tab-indented, one line per command). */
import type { ConsoleCommand } from '../mycelium/apps/app.js';
import type { CommandSpec } from './spec.js';
import { errorResult, textResult, type CommandInfo, type CommandResult } from './results.js';

function info(c: CommandSpec): CommandInfo {
  return { name: c.name, aliases: c.aliases, usage: c.usage, summary: c.summary };
}

export function helpResult(specs: readonly CommandSpec[], fromApps: readonly ConsoleCommand[], args: readonly string[]): CommandResult {
  if (args.length > 0) {
    const want = args[0].toLowerCase();
    const spec = specs.find((c) => c.name === want || c.aliases.includes(want));
    if (spec) return { kind: 'help_command', command: info(spec) };
    const app = fromApps.find((c) => c.name.toLowerCase() === want);
    if (app) return textResult(app.help);
    return errorResult(`unknown command "${args[0]}" (type help for the list of commands)`);
  }
  return { kind: 'help', commands: specs.map(info), appHelp: fromApps.map((c) => c.help) };
}
