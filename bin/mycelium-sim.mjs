#!/usr/bin/env node
// mycelium-sim: the multi-node simulator's command line (simulator/cli/main.ts, loaded through
// esbuild because Node 20 cannot run TypeScript itself).
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { importTs } from '../simulator/cli/run-ts.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = await importTs(join(root, 'simulator/cli/main.ts'));
process.exitCode = await cli.main(process.argv.slice(2), { root });
