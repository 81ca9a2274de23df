#!/usr/bin/env node
/**
 * The TypeScript compiler the manifests give mcconfig/mcrun (`"typescript": {"compiler": …}`).
 *
 * Why: mcconfig's makefile runs `<compiler> -p <module>-tsconfig.json` once per TypeScript module
 * (about 110 for hosts/sim), and each run starts Node, loads TypeScript and type-checks the module
 * together with everything it imports: most of a host build's time. This script is called in
 * their place with the same arguments. The first call of a build compiles every module the build
 * lists in one TypeScript program (one type-check of the whole program, one emit per stale
 * module, each into the directory its own tsconfig names); the calls that make runs after it (or
 * in parallel: the makefile runs 8 jobs) find their output already written and return at once.
 * An incremental build (one file edited) still type-checks the whole program, so a module that
 * imports the edited one is checked again, which per-module tsc runs did not do.
 *
 * Anything else (`-p tsconfig-js.json` for `mcconfig -tc`, other flags) goes to the project's
 * `tsc` unchanged. It runs from the project's own node_modules, so no `tsc` on PATH is needed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const project = args.length === 2 && args[0] === '-p' ? resolve(args[1]) : undefined;
const perModule = project ? readPerModuleConfig(project) : undefined;
if (!perModule) process.exit(plainTsc(args));
process.exit(compileFor(perModule));

/** The real `tsc` of this project, for whatever this script does not handle itself. */
function plainTsc(argv) {
  const r = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), ...argv], { stdio: 'inherit' });
  return r.status ?? 1;
}

/**
 * `{ base, outDir, source }` when `file` is one of mcconfig's per-module configs (`extends` the
 * build's tsconfig-base.json, one file, its own outDir); undefined otherwise.
 */
function readPerModuleConfig(file) {
  try {
    const json = JSON.parse(readFileSync(file, 'utf8'));
    const o = json.compilerOptions ?? {};
    if (typeof json.extends !== 'string' || !json.extends.endsWith('tsconfig-base.json')) return undefined;
    if (!Array.isArray(json.files) || json.files.length !== 1 || typeof o.outDir !== 'string' || o.rootDir !== '/') return undefined;
    return { base: json.extends, outDir: o.outDir, source: json.files[0] };
  } catch {
    return undefined;
  }
}

/** Where mcconfig's tsc writes `source` for a module whose outDir is `outDir` (rootDir is "/"). */
function outputOf(m) {
  return join(m.outDir, m.source.replace(/\.ts$/, '.js'));
}

function mtime(file) {
  return existsSync(file) ? statSync(file).mtimeMs : -1;
}

/** Written since its source and the build's base config last changed. */
function isFresh(m) {
  return mtime(outputOf(m)) >= Math.max(mtime(m.source), mtime(m.base));
}

function compileFor(m) {
  const started = Date.now();
  const buildDir = dirname(m.base); // $(MODULES_DIR)
  const lock = join(buildDir, '.mc-tsc.lock');
  const failed = join(buildDir, '.mc-tsc.failed');
  acquire(lock);
  try {
    if (isFresh(m)) return 0; // an earlier call compiled it
    // A batch that failed while this call waited already printed its errors: don't repeat them.
    if (mtime(failed) >= started) return 1;
    return batch(m.base, buildDir, failed);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Every per-module config of this build, the stale ones compiled in one program. */
function batch(base, buildDir, failed) {
  const ts = require('typescript');
  const modules = listConfigs(buildDir).map(readPerModuleConfig).filter((x) => x && resolve(x.base) === resolve(base));
  const stale = modules.filter((x) => !isFresh(x));
  const parsed = ts.getParsedCommandLineOfConfigFile(base, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => report(ts, [d]) });
  if (!parsed) return 1;
  // A stand-in outDir of the same form as the real ones; each output is moved under its module's.
  const fakeOut = join(buildDir, '.mc-tsc-out');
  const options = { ...parsed.options, rootDir: '/', outDir: fakeOut };
  const host = ts.createCompilerHost(options);
  const program = ts.createProgram({ rootNames: modules.map((x) => x.source), options, host });
  const diagnostics = ts.getPreEmitDiagnostics(program);
  if (diagnostics.some((d) => d.category === ts.DiagnosticCategory.Error)) {
    report(ts, diagnostics);
    writeFileSync(failed, `${new Date().toISOString()}\n`);
    return 1;
  }
  for (const m of stale) {
    const sourceFile = program.getSourceFile(m.source);
    const result = program.emit(sourceFile, (name, text) => {
      const to = join(m.outDir, relative(fakeOut, name));
      mkdirSync(dirname(to), { recursive: true });
      writeFileSync(to, name.endsWith('.map') ? relocateMap(text, dirname(name), dirname(to)) : text);
    });
    if (result.emitSkipped) {
      report(ts, result.diagnostics);
      writeFileSync(failed, `${new Date().toISOString()}\n`);
      return 1;
    }
  }
  return 0;
}

/** A source map written for `fromDir` rewritten for `toDir`: its sources are relative paths. */
function relocateMap(text, fromDir, toDir) {
  const map = JSON.parse(text);
  map.sources = map.sources.map((s) => relative(toDir, resolve(fromDir, map.sourceRoot ?? '', s)));
  return JSON.stringify(map);
}

function listConfigs(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('-tsconfig.json'))
    .map((e) => join(e.parentPath ?? e.path, e.name));
}

function report(ts, diagnostics) {
  const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => process.cwd(), getNewLine: () => '\n' };
  process.stdout.write(ts.formatDiagnostics(diagnostics, host));
}

/** A directory as a lock (mkdir is atomic); a lock whose owner died is taken over. */
function acquire(lock) {
  const wait = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      return;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
    }
    const owner = Number(readOr(join(lock, 'pid'), ''));
    if (owner && !alive(owner)) rmSync(lock, { recursive: true, force: true });
    Atomics.wait(wait, 0, 0, 100);
  }
}

function readOr(file, fallback) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}
