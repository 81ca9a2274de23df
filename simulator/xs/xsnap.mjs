/**
 * Run a classic script (e.g. an esbuild IIFE bundle, see ./bundle.mjs) inside the real
 * Moddable XS engine, using the `xsnap-worker` binary compiled by @agoric/xsnap's postinstall.
 *
 * We speak the worker's protocol directly (no SES / @endo/init in this Node process):
 *
 *   - The worker reads netstrings (`<decimal length>:<bytes>,`) on fd 3 and writes netstrings on fd 4.
 *     The first byte of every message is a command / reply tag (see xsnap-worker.c):
 *       host -> worker  `e<js source>`   indirect `eval` of a classic script (sloppy unless it starts
 *                                        with "use strict"; bundleForXS adds that directive)
 *                       `?<bytes>`       calls `globalThis.handleCommand(arrayBuffer)` in XS
 *                       `/<bytes>`       reply to an `issueCommand` from XS (only while one is pending)
 *                       `q`              quit (also: closing fd 3)
 *       worker -> host  `.<meter JSON>\x01<bytes>`  success. <bytes> is the crank's result if it is an
 *                                        ArrayBuffer, or its `.result` property if that is one
 *                                        (read *after* the promise-job queue is drained), else empty.
 *                                        meter JSON = {currentHeapCount, compute, allocate, timestamps}
 *                       `!<text>`        uncaught exception; text is String(exception) (no stack)
 *                       `?<bytes>`       XS called `issueCommand(arrayBuffer)`; host must answer `/...`
 *     `issueCommand` is synchronous inside XS: the crank blocks until the host's `/<bytes>` reply, and
 *     `issueCommand` returns <bytes> as an ArrayBuffer. openXS answers with the bytes returned by its
 *     `onCommand(payload)` option (synchronously, on the host, while the crank waits), or with an
 *     empty ArrayBuffer when there is no `onCommand`. If `onCommand` throws, the worker is killed and
 *     the pending request rejects with that error.
 *   - `print(...)` writes a line to the worker's stdout; fatal engine messages go to its stderr.
 *   - Exit codes: 11 memory full, 12 stack overflow, 15 unhandled exception, 16 no more keys,
 *     17 too much computation (metering limit, `-l`).
 *
 * This library hides `handleCommand`: it evaluates a small prelude that defines
 * `globalThis.handleCommand`, which UTF-8 decodes the input, calls the bundle's
 * `globalThis.handleInput(input: string) => string | Promise<string>` and UTF-8 encodes a tagged
 * reply (`o<output>` or `x<error JSON with name/message/stack>`).
 *
 * What exists inside xsnap-worker (@agoric/xsnap 0.15.0; probed, see tests/xs/xsnap-harness.test.ts):
 *   - Clocks: `performance.now()` exists but is *wall-clock* milliseconds since the Unix epoch
 *     (gettimeofday, so microsecond resolution, not monotonic, not relative to a time origin).
 *     `Date.now()` exists with 1 ms resolution. Use `performance.now()` for benchmarks and subtract.
 *   - No setTimeout/setInterval/queueMicrotask; `setImmediate` exists; promise jobs run before the
 *     reply is sent. No `console` (the prelude installs a minimal one that forwards to `print`).
 *   - Heap: no JS API to read heap size; the reply meter gives `currentHeapCount` (live XS slots,
 *     32 bytes each on 64-bit hosts, 16 on ESP32; strings / ArrayBuffer bytes live in "chunks" and
 *     are *not* counted), `allocate` (bytes reserved by the machine, grow-only), `compute` (metering
 *     units for the crank, roughly bytecodes executed). `gc()` is a global, so a bundle can collect
 *     before returning to make `currentHeapCount` meaningful.
 *   - Present: TextEncoder/TextDecoder (native), BigInt, BigInt64Array, DataView get/setBigUint64,
 *     Uint8Array slice/subarray/set, Math.imul, padStart/padEnd, JSON, Map/Set/WeakRef,
 *     Array.prototype.includes/at/findLast, Object.hasOwn, replaceAll, Error cause, `Base64`,
 *     `harden`, ArrayBuffer resize/transfer. Errors have a `stack` property.
 *   - Absent: structuredClone, Intl, console, btoa/atob, Uint8Array toBase64/fromHex,
 *     Array.prototype.toSorted (ES2023 "change array by copy"), Promise.withResolvers,
 *     Object.groupBy, String.prototype.isWellFormed, Iterator helpers, Float16Array.
 *   - Gotchas: `Math.random()` is unseeded C rand(), i.e. the same sequence in every worker;
 *     TextEncoder encodes lone surrogates as 3-byte WTF-8 sequences (Node decodes them to U+FFFD),
 *     so lone surrogates do not survive the boundary; TextDecoder strips a leading BOM unless
 *     `ignoreBOM: true` (the prelude passes it).
 */
import { spawn } from 'node:child_process';
import { accessSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, constants as fsConstants } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { openSyncChannel, syncChannelSupported } from './sync-channel.mjs';

const EXIT_MESSAGES = {
  1: 'bad usage',
  2: 'I/O error (parent pipe closed or unreadable netstring)',
  11: 'not enough memory (XS heap exhausted)',
  12: 'stack overflow',
  15: 'unhandled exception',
  16: 'no more keys',
  17: 'too much computation (metering limit exceeded)',
};

/** @returns {string | undefined} the folder of the installed @agoric/xsnap package, if any */
export function xsnapPackageDir() {
  try {
    // `main` of @agoric/xsnap is src/index.js
    return path.dirname(path.dirname(createRequire(import.meta.url).resolve('@agoric/xsnap')));
  } catch {
    const beside = fileURLToPath(new URL('../../node_modules/@agoric/xsnap', import.meta.url));
    return existsSync(beside) ? beside : undefined;
  }
}

/**
 * @returns {string} where scripts/build-xs-worker.mjs puts the lean worker (no debugger, no
 *   bytecode meter): node_modules/.cache, so that a clean install rebuilds it
 */
export function leanWorkerPath() {
  const pkgDir = xsnapPackageDir() ?? fileURLToPath(new URL('../../node_modules/@agoric/xsnap', import.meta.url));
  return path.join(path.dirname(path.dirname(pkgDir)), '.cache', 'mycelium-xsnap', 'xsnap-worker-lean');
}

/**
 * @param {{ lean?: boolean }} [options] lean: the lean worker when it is built (the XS runner's
 *   default; it has no bytecode meter and its stack traces name no lines), else the package's
 * @returns {string} path of the xsnap-worker binary (may not exist; see xsnapAvailable)
 */
export function xsnapWorkerPath({ lean = false } = {}) {
  if (process.env.XSNAP_WORKER) return process.env.XSNAP_WORKER;
  if (lean && executable(leanWorkerPath())) return leanWorkerPath();
  const platform = { linux: 'lin', darwin: 'mac' }[process.platform] ?? process.platform;
  const pkgDir = xsnapPackageDir() ?? fileURLToPath(new URL('../../node_modules/@agoric/xsnap', import.meta.url));
  return path.join(pkgDir, 'xsnap-native', 'xsnap', 'build', 'bin', platform, 'release', 'xsnap-worker');
}

function executable(file) {
  try {
    accessSync(file, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** @returns {boolean} whether the xsnap-worker binary exists and is executable. */
export function xsnapAvailable() {
  return executable(xsnapWorkerPath());
}

/**
 * Evaluated in XS before the user's script. Must stay plain ES2020 (runs as a sloppy classic script).
 * The fallback UTF-8 codec is only used if an xsnap build ever lacks TextEncoder/TextDecoder.
 */
const PRELUDE = String.raw`(function () {
  "use strict";
  var g = globalThis;
  var encode, decode;
  if (typeof g.TextEncoder === "function" && typeof g.TextDecoder === "function") {
    var te = new g.TextEncoder();
    var td = new g.TextDecoder("utf-8", { ignoreBOM: true });
    encode = function (s) { return te.encode(s); };
    decode = function (u8) { return td.decode(u8); };
  } else {
    encode = function (s) {
      var out = new Uint8Array(s.length * 3), n = 0;
      for (var i = 0; i < s.length; i++) {
        var c = s.charCodeAt(i);
        if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) {
          var d = s.charCodeAt(i + 1);
          if (d >= 0xdc00 && d < 0xe000) { c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00); i++; }
          else c = 0xfffd;
        } else if (c >= 0xd800 && c < 0xe000) c = 0xfffd;
        if (c < 0x80) out[n++] = c;
        else if (c < 0x800) { out[n++] = 0xc0 | (c >> 6); out[n++] = 0x80 | (c & 63); }
        else if (c < 0x10000) { out[n++] = 0xe0 | (c >> 12); out[n++] = 0x80 | ((c >> 6) & 63); out[n++] = 0x80 | (c & 63); }
        else { out[n++] = 0xf0 | (c >> 18); out[n++] = 0x80 | ((c >> 12) & 63); out[n++] = 0x80 | ((c >> 6) & 63); out[n++] = 0x80 | (c & 63); }
      }
      return out.slice(0, n);
    };
    decode = function (u8) {
      var parts = [], units = [];
      for (var i = 0; i < u8.length; ) {
        var b = u8[i], c = 0xfffd, need = 0, min = 0;
        if (b < 0x80) { c = b; i++; }
        else {
          if (b >= 0xc2 && b < 0xe0) { need = 1; min = 0x80; c = b & 31; }
          else if (b >= 0xe0 && b < 0xf0) { need = 2; min = 0x800; c = b & 15; }
          else if (b >= 0xf0 && b < 0xf5) { need = 3; min = 0x10000; c = b & 7; }
          var j = i + 1, ok = need > 0;
          for (var k = 0; ok && k < need; k++, j++) {
            if (j >= u8.length || (u8[j] & 0xc0) !== 0x80) ok = false; else c = (c << 6) | (u8[j] & 63);
          }
          if (ok && c >= min && c <= 0x10ffff && !(c >= 0xd800 && c < 0xe000)) i = j; else { c = 0xfffd; i++; }
        }
        if (c >= 0x10000) { c -= 0x10000; units.push(0xd800 + (c >> 10), 0xdc00 + (c & 1023)); }
        else units.push(c);
        if (units.length >= 8192) { parts.push(String.fromCharCode.apply(null, units)); units = []; }
      }
      parts.push(String.fromCharCode.apply(null, units));
      return parts.join("");
    };
  }
  function reply(tag, text) {
    var u8 = encode(tag + text);
    return (u8.byteOffset === 0 && u8.byteLength === u8.buffer.byteLength) ? u8.buffer : u8.slice().buffer;
  }
  function fail(e) {
    var info;
    try {
      info = (e !== null && typeof e === "object")
        ? { name: String(e.name), message: String(e.message), stack: typeof e.stack === "string" ? e.stack : "" }
        : { name: "thrown value", message: String(e), stack: "" };
    } catch (e2) {
      info = { name: "Error", message: "<unprintable exception>", stack: "" };
    }
    return reply("x", JSON.stringify(info));
  }
  function done(out) {
    if (typeof out !== "string") {
      return fail(new TypeError("handleInput must return a string (or a Promise of one), got " + (out === null ? "null" : typeof out)));
    }
    return reply("o", out);
  }
  function show(v) {
    if (typeof v === "string") return v;
    if (v !== null && typeof v === "object" && typeof v.stack === "string" && v.stack) return v.stack;
    if (v !== null && typeof v === "object" && !(v instanceof Error)) {
      try { return JSON.stringify(v, function (_k, x) { return typeof x === "bigint" ? x.toString() + "n" : x; }); } catch (e) { /* fall through */ }
    }
    try { return String(v); } catch (e) { return "<unprintable>"; }
  }
  if (typeof g.console === "undefined" && typeof g.print === "function") {
    var log = function () { var a = []; for (var i = 0; i < arguments.length; i++) a.push(show(arguments[i])); g.print(a.join(" ")); };
    g.console = { log: log, info: log, warn: log, error: log, debug: log, trace: log };
  }
  g.handleCommand = function (buffer) {
    // A script that sets handleInputBytes takes its inputs as they came (an ArrayBuffer).
    var input = g.handleInputBytes === true ? buffer : decode(new Uint8Array(buffer));
    var handler = g.handleInput;
    if (typeof handler !== "function") return fail(new TypeError("globalThis.handleInput is not a function"));
    var out;
    try { out = handler(input); } catch (e) { return fail(e); }
    if (out !== null && (typeof out === "object" || typeof out === "function") && typeof out.then === "function") {
      // xsnap drains the promise-job queue before it reads the reply's "result" property.
      var holder = {};
      out.then(function (v) { holder.result = done(v); }, function (e) { holder.result = fail(e); });
      return holder;
    }
    return done(out);
  };
})();
undefined;`;

const CHECK_HANDLER = `if (typeof globalThis.handleInput !== 'function') {
  throw new TypeError('the script did not define globalThis.handleInput (got ' + typeof globalThis.handleInput + ')');
}
undefined;`;

/**
 * Incremental netstring decoder: push() Buffers, get complete payloads via the callback.
 */
class NetstringDecoder {
  /** @param {(payload: Buffer) => void} onMessage @param {(err: Error) => void} onError */
  constructor(onMessage, onError) {
    this.onMessage = onMessage;
    this.onError = onError;
    /** @type {Buffer[]} */
    this.chunks = [];
    this.have = 0;
    /** body length of the message being read, or -1 while reading the header */
    this.want = -1;
    this.failed = false;
  }

  /** @param {Buffer} data */
  push(data) {
    if (this.failed) return;
    this.chunks.push(data);
    this.have += data.length;
    for (;;) {
      if (this.want < 0) {
        const head = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
        this.chunks = [head];
        const colon = head.indexOf(0x3a);
        if (colon < 0) {
          if (head.length > 12) return this.fail(`bad netstring header ${JSON.stringify(head.subarray(0, 12).toString('latin1'))}`);
          return;
        }
        const digits = head.subarray(0, colon).toString('latin1');
        if (!/^\d{1,10}$/.test(digits)) return this.fail(`bad netstring length ${JSON.stringify(digits)}`);
        this.want = Number(digits);
        this.chunks = [head.subarray(colon + 1)];
        this.have = head.length - colon - 1;
      }
      if (this.have < this.want + 1) return;
      const all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
      if (all[this.want] !== 0x2c) return this.fail('netstring not terminated by a comma');
      const payload = all.subarray(0, this.want);
      const rest = all.subarray(this.want + 1);
      this.chunks = [rest];
      this.have = rest.length;
      this.want = -1;
      this.onMessage(payload);
      if (this.failed) return;
    }
  }

  /** @param {string} why */
  fail(why) {
    this.failed = true;
    this.onError(new Error(`xsnap protocol error: ${why}`));
  }
}

const EMPTY = new Uint8Array(0);
const SLASH = Buffer.from('/', 'latin1');
const QUESTION = Buffer.from('?', 'latin1');

/**
 * The message that delivers `input` to handleInput: a string as UTF-8, bytes as they are (for a
 * script that sets `globalThis.handleInputBytes = true`, which then gets an ArrayBuffer).
 * @param {string | Uint8Array} input
 */
function inputMessage(input) {
  return Buffer.concat([QUESTION, typeof input === 'string' ? Buffer.from(input, 'utf8') : input]);
}

/** @param {Buffer|Uint8Array} payload */
function netstring(payload) {
  return Buffer.concat([Buffer.from(`${payload.length}:`, 'latin1'), payload, Buffer.from(',', 'latin1')]);
}

/**
 * @param {Buffer} msg reply after the '.' tag
 * @returns {{ meter: object | null, body: Buffer }}
 */
function splitOkReply(msg) {
  const sep = msg.indexOf(1, 1);
  if (sep < 0) return { meter: null, body: msg.subarray(1) };
  let meter = null;
  try {
    meter = JSON.parse(msg.subarray(1, sep).toString('utf8'));
  } catch {
    meter = null;
  }
  return { meter, body: msg.subarray(sep + 1) };
}

function defaultLog(line, stream) {
  process.stderr.write(`[xs${stream === 'stderr' ? ' stderr' : ''}] ${line}\n`);
}

/**
 * Start one xsnap-worker with `scriptSource` evaluated, ready to answer inputs.
 *
 * @param {string} scriptSource classic script defining globalThis.handleInput
 * @param {object} [options]
 * @param {number} [options.timeoutMs=120000] wall-clock limit for the whole session (start to close)
 * @param {(line: string, stream: 'stdout' | 'stderr') => void} [options.onLog] print()/console output from XS
 * @param {number} [options.meteringLimit] XS metering limit per crank (`-l`); exceeding it kills the worker
 * @param {number} [options.parserBufferSizeKB] XS parser buffer in kB (`-s`, default 8192)
 * @param {string} [options.name]
 * @param {(payload: Buffer) => Uint8Array} [options.onCommand] answers XS's `issueCommand(arrayBuffer)`
 *   (synchronously; default: an empty reply)
 * @param {boolean} [options.lean] run the lean worker when it is built (xsnapWorkerPath)
 * @param {boolean} [options.syncIO] talk to the worker through blocking FIFOs (sync-channel.mjs, Linux;
 *   elsewhere ignored): `runSync` becomes available and a crank no longer turns the event loop, but
 *   nothing else runs on this thread while a crank runs, and `timeoutMs` cannot interrupt one
 */
export async function openXS(scriptSource, options = {}) {
  const { timeoutMs = 120000, onLog = defaultLog, meteringLimit, parserBufferSizeKB, name = 'mycelium-xs', onCommand, syncIO = false, lean = false } = options;
  const bin = xsnapWorkerPath({ lean });
  if (!executable(bin)) {
    throw new Error(`xsnap-worker not found at ${bin} (is @agoric/xsnap installed and did its postinstall build run?)`);
  }
  const args = [name];
  if (meteringLimit) args.push('-l', String(meteringLimit));
  if (parserBufferSizeKB) args.push('-s', String(parserBufferSizeKB));
  const env = { ...process.env };
  delete env.XSBUG_HOST; // would make the debug build try to connect to xsbug

  const fifo = syncIO && syncChannelSupported() ? openSyncChannel() : null;
  let child;
  try {
    child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe', ...(fifo ? fifo.childFds : ['pipe', 'pipe'])], env });
  } finally {
    fifo?.spawned();
  }
  const channel = fifo?.channel;
  const toXS = /** @type {import('node:stream').Writable} */ (child.stdio[3]);
  const fromXS = /** @type {import('node:stream').Readable} */ (child.stdio[4]);

  // --- logs: forward complete lines, keep a tail of stderr for error messages
  let stderrTail = '';
  const lineSplitter = (stream) => {
    let partial = '';
    return {
      data(text) {
        partial += text;
        let nl;
        while ((nl = partial.indexOf('\n')) >= 0) {
          const line = partial.slice(0, nl);
          partial = partial.slice(nl + 1);
          try {
            onLog(line, stream);
          } catch {
            /* a broken logger must not break the run */
          }
        }
      },
      end() {
        if (partial) {
          const line = partial;
          partial = '';
          try {
            onLog(line, stream);
          } catch {
            /* ignore */
          }
        }
      },
    };
  };
  const outLines = lineSplitter('stdout');
  const errLines = lineSplitter('stderr');
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (t) => outLines.data(t));
  child.stderr.on('data', (t) => {
    stderrTail = (stderrTail + t).slice(-4000);
    errLines.data(t);
  });

  // --- lifecycle
  let closed = false;
  /** @type {Error | null} */
  let fatal = null;
  const exited = new Promise((resolve) => {
    child.once('close', (code, signal) => {
      closed = true;
      channel?.close();
      outLines.end();
      errLines.end();
      resolve({ code, signal });
    });
  });
  /** @type {((err: Error | null, msg?: Buffer) => void) | null} */
  let waiter = null;
  const die = (err) => {
    if (!fatal) fatal = err;
    if (waiter) {
      const w = waiter;
      waiter = null;
      w(fatal);
    }
    if (!closed) child.kill('SIGKILL');
  };
  child.once('error', (e) => die(new Error(`cannot run xsnap-worker ${bin}: ${e.message}`)));
  child.once('exit', (code, signal) => {
    if (fatal) return;
    const why = signal
      ? `killed by signal ${signal}`
      : `exited with code ${code}${EXIT_MESSAGES[code] ? ` (${EXIT_MESSAGES[code]})` : ''}`;
    // Give stderr a moment to drain so the message can include what XS reported.
    setImmediate(() => die(new Error(`xsnap-worker ${why}${stderrTail.trim() ? `: ${stderrTail.trim()}` : ''}`)));
  });
  toXS?.on('error', () => {}); // EPIPE when the worker died; reported via 'exit'
  fromXS?.on('error', () => {});

  const decoder = new NetstringDecoder(
    (msg) => {
      if (msg.length > 0 && msg[0] === 0x3f /* ? */) {
        // issueCommand() from inside XS: the crank waits for our answer (empty without onCommand).
        let answer = EMPTY;
        if (onCommand) {
          try {
            answer = onCommand(msg.subarray(1));
          } catch (e) {
            return die(e instanceof Error ? e : new Error(`onCommand threw ${String(e)}`));
          }
        }
        toXS.write(netstring(Buffer.concat([SLASH, answer])));
        return;
      }
      if (!waiter) return die(new Error(`xsnap protocol error: unexpected message ${JSON.stringify(msg.subarray(0, 80).toString('utf8'))}`));
      const w = waiter;
      waiter = null;
      w(null, msg);
    },
    (err) => die(err),
  );
  fromXS?.on('data', (d) => decoder.push(d));

  /**
   * syncIO: one request and its reply through the blocking channel, answering the worker's
   * issueCommands in between (as the decoder above does for streams).
   * @param {Buffer} payload @returns {Buffer}
   */
  const exchange = (payload) => {
    if (fatal) throw fatal;
    const ch = /** @type {import('./sync-channel.mjs').SyncChannel} */ (channel);
    try {
      ch.write(payload);
      for (;;) {
        const msg = ch.read();
        if (msg === null) throw new Error(`xsnap-worker closed its channel (it exited)${stderrTail.trim() ? `: ${stderrTail.trim()}` : ''}`);
        if (msg.length === 0 || msg[0] !== 0x3f /* ? */) return msg;
        ch.write(SLASH, onCommand ? onCommand(msg.subarray(1)) : EMPTY);
      }
    } catch (e) {
      die(e instanceof Error ? e : new Error(String(e)));
      throw fatal;
    }
  };

  const timer = setTimeout(() => die(new Error(`XS run timed out after ${timeoutMs} ms`)), timeoutMs);

  /** @param {Buffer} payload @returns {Promise<Buffer>} */
  const request = (payload) =>
    new Promise((resolve, reject) => {
      if (fatal) return reject(fatal);
      if (channel) return resolve(exchange(payload));
      if (waiter) return reject(new Error('xsnap session is busy (one request at a time)'));
      waiter = (err, msg) => (err ? reject(err) : resolve(/** @type {Buffer} */ (msg)));
      toXS.write(netstring(payload));
    });

  /** @param {string} code @param {string} what */
  const evaluate = async (code, what) => {
    const msg = await request(Buffer.from(`e${code}`, 'utf8'));
    if (msg[0] === 0x21 /* ! */) throw new Error(`XS exception while evaluating ${what}: ${msg.subarray(1).toString('utf8')}`);
    if (msg[0] !== 0x2e /* . */) throw new Error(`xsnap protocol error: unexpected reply tag ${JSON.stringify(String.fromCharCode(msg[0]))}`);
    return splitOkReply(msg).meter;
  };

  let busy = Promise.resolve();
  const close = async () => {
    clearTimeout(timer);
    if (!closed) {
      if (!fatal) {
        fatal = new Error('xsnap session closed');
        if (channel) {
          try {
            channel.write(Buffer.from('q', 'latin1'));
          } catch {
            child.kill('SIGKILL');
          }
        } else toXS.end(netstring(Buffer.from('q', 'latin1')));
      } else {
        child.kill('SIGKILL');
      }
      const grace = setTimeout(() => child.kill('SIGKILL'), 2000);
      await exited;
      clearTimeout(grace);
    }
  };

  let evaluateMeter;
  try {
    await evaluate(PRELUDE, 'the harness prelude');
    // "\n" so that a trailing line comment in the script cannot swallow anything we rely on.
    evaluateMeter = await evaluate(`${scriptSource}\n;undefined;`, 'the script');
    await evaluate(CHECK_HANDLER, 'the handleInput check');
  } catch (e) {
    await close();
    throw e;
  }

  /**
   * @param {string | Uint8Array} input
   * @returns {Promise<{ output: string, meter: object | null }>}
   */
  const run = (input) => {
    const result = busy.then(async () => runReply(await request(inputMessage(input))));
    busy = result.then(
      () => {},
      () => {},
    );
    return result;
  };

  /**
   * syncIO only: `run` without a promise, for a caller that must not yield between inputs.
   * @param {string | Uint8Array} input
   * @returns {{ output: string, meter: object | null }}
   */
  const runSync = (input) => runReply(exchange(inputMessage(input)));

  /** @param {Buffer} msg */
  const runReply = (msg) => {
    if (msg[0] === 0x21 /* ! */) throw new Error(`XS exception in handleCommand: ${msg.subarray(1).toString('utf8')}`);
    if (msg[0] !== 0x2e /* . */) throw new Error(`xsnap protocol error: unexpected reply tag ${JSON.stringify(String.fromCharCode(msg[0]))}`);
    const { meter, body } = splitOkReply(msg);
    if (body.length === 0) throw new Error('XS returned no reply (did handleInput return a Promise that never settled?)');
    if (body[0] === 0x6f /* o */) return { output: body.subarray(1).toString('utf8'), meter };
    if (body[0] === 0x78 /* x */) {
      let info;
      try {
        info = JSON.parse(body.subarray(1).toString('utf8'));
      } catch {
        info = { name: 'Error', message: body.subarray(1).toString('utf8'), stack: '' };
      }
      const err = new Error(`XS exception in handleInput: ${info.name}: ${info.message}`);
      err.xsName = info.name;
      err.xsMessage = info.message;
      err.xsStack = info.stack;
      if (info.stack) err.stack = `${err.message}\n--- XS stack ---\n${info.stack}\n--- Node stack ---\n${err.stack}`;
      throw err;
    }
    throw new Error(`xsnap harness error: unexpected reply ${JSON.stringify(body.subarray(0, 40).toString('utf8'))}`);
  };

  /**
   * The live heap, read from a snapshot (`w`): xsnap collects garbage, then writes every live slot
   * (atom HEAP) and every live chunk (atom BLOC, each chunk with its header). Queued after pending
   * inputs, like `run`. `keep`: a path to copy the snapshot to (scripts/bench-memory-shapes.mjs).
   *
   * @param {string} [keep]
   */
  const heap = (keep) => {
    const result = busy.then(async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'mycelium-xsheap-'));
      const file = path.join(dir, 'heap.xss');
      try {
        const msg = await request(Buffer.from(`w${file}`, 'utf8'));
        if (msg[0] !== 0x2e /* . */) throw new Error(`xsnap could not write a snapshot: ${msg.subarray(1).toString('utf8')}`);
        if (keep) copyFileSync(file, keep);
        return heapOfSnapshot(readFileSync(file));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
    busy = result.then(
      () => {},
      () => {},
    );
    return result;
  };

  return { run, ...(channel && { runSync }), close, heap, evaluateMeter, pid: child.pid };
}

/** txChunk on a 64-bit host (size, padding, pointer); 8 bytes on a 32-bit MCU. */
const CHUNK_HEADER_64 = 16;

/**
 * Slots and chunks of an xsnap snapshot: atoms are `<u32 BE size incl. 8><4-char tag><body>` inside
 * XS_M; BLOC is a run of chunks, each starting with its txChunk header (u32 LE size incl. header).
 *
 * @param {Buffer} buf
 */
export function heapOfSnapshot(buf) {
  /** @type {Record<string, { at: number, size: number }>} */
  const atoms = {};
  for (let at = 8; at + 8 <= buf.length; ) {
    const size = buf.readUInt32BE(at);
    if (size < 8) throw new Error(`bad snapshot atom at ${at}`);
    atoms[buf.toString('latin1', at + 4, at + 8)] = { at: at + 8, size: size - 8 };
    at += size;
  }
  const slotSize = Math.abs(buf.readInt8((atoms.VERS?.at ?? 0) + 3));
  if (!atoms.BLOC || !atoms.HEAP || !slotSize) throw new Error('snapshot without BLOC/HEAP atoms');
  let chunks = 0;
  for (let at = atoms.BLOC.at, end = at + atoms.BLOC.size; at < end; chunks++) {
    const size = buf.readUInt32LE(at) & 0x7fffffff;
    if (size < CHUNK_HEADER_64) throw new Error(`bad chunk at ${at}`);
    at += size;
  }
  return { slotSize, slots: atoms.HEAP.size / slotSize, chunkBytes: atoms.BLOC.size, chunks, wideBytes: wideBytesOf(buf, atoms.HEAP, atoms.BLOC, slotSize) };
}

/**
 * A heap (`heapOfSnapshot`) in ESP32-equivalent bytes: slots at 16 B, chunk headers at 8 B, and the
 * chunks that hold slots or slot pointers at half their 64-bit data (`wideBytes`).
 *
 * @param {{ slots: number, chunkBytes: number, chunks: number, wideBytes: number }} heap
 */
export function esp32Bytes(heap) {
  return heap.slots * 16 + heap.chunkBytes - heap.chunks * (CHUNK_HEADER_64 - 8) - heap.wideBytes;
}

/** xsAll.h's kinds whose chunk is a run of slots (an array's items) or of slot pointers (a table). */
const WIDE_KINDS = new Set([16 /* ARRAY */, 27 /* MAP */, 33 /* SET */, 35 /* WEAK_MAP */, 37 /* WEAK_SET */]);

/**
 * Chunk bytes that are 64-bit width beyond a 32-bit MCU's: an array's items are slots (32 B here,
 * 16 B on ESP32) and a Map's or Set's table holds slot pointers (8 B here, 4 B there), so half of
 * each such chunk's data. A slot is next (8), kind (1), flag (1), 2 spare, ID (4), value (16); an
 * array's or table's value starts with its chunk's address, projected in the snapshot to the
 * offset of the chunk's data in BLOC (its 16-byte header just before).
 *
 * @param {Buffer} buf
 * @param {{ at: number, size: number }} heap
 * @param {{ at: number, size: number }} bloc
 * @param {number} slotSize
 */
function wideBytesOf(buf, heap, bloc, slotSize) {
  if (slotSize !== 32) return 0;
  let wide = 0;
  for (let at = heap.at, end = heap.at + heap.size; at < end; at += slotSize) {
    if (!WIDE_KINDS.has(buf[at + 8])) continue;
    const off = Number(buf.readBigUInt64LE(at + 16));
    if (!(off >= CHUNK_HEADER_64 && off < bloc.size)) continue;
    const size = buf.readUInt32LE(bloc.at + off - CHUNK_HEADER_64) & 0x7fffffff;
    if (size > CHUNK_HEADER_64) wide += (size - CHUNK_HEADER_64) / 2;
  }
  return wide;
}

/**
 * Evaluate `scriptSource` in a fresh XS worker, deliver `input` to its `globalThis.handleInput`,
 * and return the output together with the xsnap meter of the handleInput crank.
 *
 * @param {string} scriptSource
 * @param {string} input
 * @param {Parameters<typeof openXS>[1]} [options]
 * @returns {Promise<{ output: string, meter: object | null, evaluateMeter: object | null }>}
 */
export async function runInXSWithMeter(scriptSource, input, options = {}) {
  const session = await openXS(scriptSource, options);
  try {
    const { output, meter } = await session.run(input);
    return { output, meter, evaluateMeter: session.evaluateMeter ?? null };
  } finally {
    await session.close();
  }
}

/**
 * Evaluate `scriptSource` in a fresh XS worker, deliver `input` to its `globalThis.handleInput`,
 * and resolve with the returned string. Rejects with the XS exception text on failure.
 *
 * @param {string} scriptSource
 * @param {string} input
 * @param {Parameters<typeof openXS>[1]} [options]
 * @returns {Promise<string>}
 */
export async function runInXS(scriptSource, input, options = {}) {
  return (await runInXSWithMeter(scriptSource, input, options)).output;
}
