/** Types for xsnap.mjs: run a classic script inside the XS engine (xsnap-worker). */

/** Meter data that xsnap-worker attaches to every successful reply. */
export interface XSMeter {
  /** live XS slots (32 bytes each on 64-bit hosts); strings/ArrayBuffer bytes are not counted */
  currentHeapCount: number;
  /** metering units used by the crank (roughly bytecodes executed) */
  compute: number;
  /** bytes reserved by the XS machine so far (grow-only) */
  allocate: number;
  /** wall-clock seconds (µs precision): [received, ...issueCommand pairs..., replied] */
  timestamps: number[];
}

export interface XSOptions {
  /** wall-clock limit for the whole worker session, default 120000 */
  timeoutMs?: number;
  /** receives each line of print()/console output (stream 'stdout') and worker stderr; default: process.stderr */
  onLog?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** XS metering limit per crank (xsnap-worker -l); exceeding it kills the worker */
  meteringLimit?: number;
  /** XS parser buffer size in kB (xsnap-worker -s), default 8192 */
  parserBufferSizeKB?: number;
  /** process name shown in ps */
  name?: string;
  /**
   * Answers XS's synchronous `issueCommand(arrayBuffer)`: gets the request bytes, returns the reply
   * bytes (XS receives them as an ArrayBuffer). Runs while the crank waits. Throwing kills the
   * worker. Default: every command gets an empty reply.
   */
  onCommand?: (payload: Buffer) => Uint8Array;
  /**
   * Blocking FIFOs instead of streams for the worker's protocol (sync-channel.mjs; Linux, else
   * ignored): `runSync` exists, a crank turns no event loop, and `timeoutMs` cannot cut one short.
   */
  syncIO?: boolean;
  /**
   * The lean worker (scripts/build-xs-worker.mjs: no debugger, no bytecode meter) when it is built,
   * else the package's. Its meter's `compute` is 0 and its stack traces name no lines.
   */
  lean?: boolean;
}

export interface XSSession {
  /**
   * delivers one input to globalThis.handleInput; calls are queued, one at a time. Bytes are
   * handed over as an ArrayBuffer to a script that sets `globalThis.handleInputBytes = true`.
   */
  run(input: string | Uint8Array): Promise<{ output: string; meter: XSMeter | null }>;
  /** with `syncIO` (where supported): `run` returning when the crank is done, without a promise */
  runSync?: (input: string | Uint8Array) => { output: string; meter: XSMeter | null };
  /** quits the worker (kills it if needed) and waits for it to exit */
  close(): Promise<void>;
  /** live slots and chunks (after a collection), read from a snapshot; queued like run() */
  heap(): Promise<XSHeap>;
  /** meter of the crank that evaluated the script */
  evaluateMeter: XSMeter | null;
  /** the xsnap-worker's process id (for its CPU time in /proc) */
  pid: number | undefined;
}

/** What an xsnap snapshot holds: live slots and chunks, at the host's (64-bit) sizes. */
export interface XSHeap {
  /** bytes per slot on this host (32 on 64-bit) */
  slotSize: number;
  slots: number;
  /** chunk bytes, headers (16 B each on 64-bit) included */
  chunkBytes: number;
  chunks: number;
  /** chunk data twice as wide here as on ESP32: half of every array's items and Map/Set table */
  wideBytes: number;
}

/** Parses the slot and chunk atoms of an xsnap snapshot file. */
export function heapOfSnapshot(buf: Buffer): XSHeap;

/** A heap in ESP32-equivalent bytes: slots at 16 B, chunk headers at 8 B, `wideBytes` taken off. */
export function esp32Bytes(heap: XSHeap): number;

/** The installed @agoric/xsnap's folder, undefined when it is not installed. */
export function xsnapPackageDir(): string | undefined;
/** Where scripts/build-xs-worker.mjs puts the lean worker (node_modules/.cache). */
export function leanWorkerPath(): string;
/** Path of the xsnap-worker binary (env XSNAP_WORKER overrides; lean: the lean one when built). */
export function xsnapWorkerPath(options?: { lean?: boolean }): string;
/** Whether the xsnap-worker binary exists and is executable. */
export function xsnapAvailable(): boolean;
/** Starts a worker with scriptSource evaluated; remember to close() it. */
export function openXS(scriptSource: string, options?: XSOptions): Promise<XSSession>;
export function runInXSWithMeter(
  scriptSource: string,
  input: string,
  options?: XSOptions,
): Promise<{ output: string; meter: XSMeter | null; evaluateMeter: XSMeter | null }>;
export function runInXS(scriptSource: string, input: string, options?: XSOptions): Promise<string>;
