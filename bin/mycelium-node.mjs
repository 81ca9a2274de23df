#!/usr/bin/env node
// mycelium-node: a mesh node on this machine over UDP (hosts/linux/main.ts, loaded through
// esbuild with a cached build: simulator/cli/run-ts.mjs).
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { importTs } from '../simulator/cli/run-ts.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const node = await importTs(join(root, 'hosts/linux/main.ts'));
const code = await node.main(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env, importTs });
// Sockets and timers are closed by main; exit anyway so a stray handle cannot keep us alive.
process.stdout.write('', () => process.exit(code));
