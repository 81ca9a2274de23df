#!/usr/bin/env node
// npm start: the wire-layer demo (the multi-node simulator replaces it when it lands).
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { importTs } from './lib/run-ts.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const demo = await importTs(join(root, 'simulator/demo/wire-demo.ts'));
console.log(demo.main());
