// Command-line parsing shared by the project's scripts: node:util parseArgs, a usage line on
// bad arguments (exit 2) and on --help (exit 0).
import { parseArgs } from 'node:util';

export function parseCli(usage, options, { allowPositionals = false } = {}) {
  try {
    const args = parseArgs({ allowPositionals, options: { ...options, help: { type: 'boolean', short: 'h' } } });
    if (args.values.help) {
      console.log(usage);
      process.exit(0);
    }
    return args;
  } catch (e) {
    console.error(`${e.message}\n${usage}`);
    process.exit(2);
  }
}
