/**
 * `mycelium-sim view <trace.json> [--port P] [--snapshot out.svg] [--at MS]`: open a trace saved
 * with `run … --trace` in the dashboard (until Ctrl-C), or write its SVG snapshot and exit.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { snapshotSvg } from './svg.js';
import { serveTrace, untilInterrupted } from './server/session.js';
import { checkTrace, type Trace } from './trace/types.js';

export const VIEW_USAGE = `usage: mycelium-sim view <trace.json> [--port P] [--snapshot out.svg [--at MS]]

  --port P          the dashboard's port on 127.0.0.1 (default ${47810}, 0 = any free port)
  --snapshot FILE   write the SVG of the graph and tree (at the end, or --at MS) and exit
  --at MS           simulated time of the snapshot`;

export const DEFAULT_PORT = 47810;

export async function viewMain(argv: readonly string[], context: { root: string }): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv.slice(),
      allowPositionals: true,
      options: { port: { type: 'string' }, snapshot: { type: 'string' }, at: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (e) {
    return usage((e as Error).message);
  }
  const v = parsed.values;
  if (v.help) {
    process.stdout.write(`${VIEW_USAGE}\n`);
    return 0;
  }
  const [file, ...extra] = parsed.positionals;
  if (file === undefined) return usage('missing trace file (written by `mycelium-sim run … --trace FILE`)');
  if (extra.length > 0) return usage(`unexpected argument "${extra[0]}"`);
  const port = v.port === undefined ? DEFAULT_PORT : Number(v.port);
  if (!/^\d+$/.test(v.port ?? '0') || port > 65535) return usage(`--port must be an integer from 0 to 65535, not "${v.port}"`);
  const at = v.at === undefined ? undefined : Number(v.at);
  if (at !== undefined && !(at >= 0)) return usage(`--at must be a number of simulated ms, not "${v.at}"`);

  let trace: Trace;
  try {
    const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
    const error = checkTrace(value);
    if (error) throw new Error(error);
    trace = value as Trace;
  } catch (e) {
    process.stderr.write(`mycelium-sim: ${file} is not a dashboard trace: ${(e as Error).message}\n`);
    return 2;
  }
  if (v.snapshot) {
    try {
      writeFileSync(v.snapshot, snapshotSvg(trace, { atMs: at }));
    } catch (e) {
      process.stderr.write(`mycelium-sim: cannot write ${v.snapshot}: ${(e as Error).message}\n`);
      return 1;
    }
    process.stderr.write(`snapshot written to ${v.snapshot}\n`);
    return 0;
  }
  let server;
  try {
    server = await serveTrace(trace, { root: context.root, port, log: (l) => process.stderr.write(`${l}\n`) });
  } catch (e) {
    process.stderr.write(`mycelium-sim: ${(e as Error).message}\n`);
    return 1;
  }
  await untilInterrupted();
  await server.close();
  return 0;
}

function usage(message: string): number {
  process.stderr.write(`mycelium-sim: ${message}\n${VIEW_USAGE}\n`);
  return 2;
}
