import type { ParseArgsConfig } from 'node:util';
/** parseArgs with --help and a usage line on bad arguments (exit 2). */
export function parseCli(
  usage: string,
  options: NonNullable<ParseArgsConfig['options']>,
  config?: { allowPositionals?: boolean },
): { values: Record<string, string | boolean | undefined>; positionals: string[] };
