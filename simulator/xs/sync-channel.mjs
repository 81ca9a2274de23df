/**
 * A blocking channel to an xsnap-worker's fds 3 and 4 (xsnap.mjs, option `syncIO`): two FIFOs
 * that this process opens itself, so that a crank is one `writeSync` and `readSync`s until its
 * reply, with the worker's `issueCommand`s answered in between, on the same stack.
 *
 * Why: the XS runner crosses to its worker tens of thousands of times a run (a batch per clock
 * event that reaches a node, a radio call per frame sent). Through Node streams each crossing
 * costs a turn of the event loop, stream buffers and promises on this side: about 17 µs of this
 * process's CPU per issueCommand round trip, against about 7 µs of the worker's
 * (docs/benchmarks.md, "Session 8"). Blocking reads cost a system call.
 *
 * The FIFOs are opened read-write for the child's copies (so that opening never waits for the
 * other end, Linux semantics), handed to spawn(), then closed here: afterwards the worker is the
 * only writer of the FIFO this process reads, so its exit reads as end of file, never a hang.
 * Linux only (opening a FIFO read-write is undefined in POSIX); elsewhere xsnap.mjs keeps streams.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Whether this platform can give the worker a blocking channel. */
export function syncChannelSupported() {
  return process.platform === 'linux';
}

/**
 * Opens the FIFO pair. Pass `childFds` to spawn() as the worker's fds 3 and 4, then call
 * `spawned()` (also after a failed spawn): it closes this process's copies of the child's ends.
 */
export function openSyncChannel() {
  const dir = mkdtempSync(path.join(tmpdir(), 'mycelium-xsnap-'));
  try {
    const toWorker = path.join(dir, 'to-worker');
    const fromWorker = path.join(dir, 'from-worker');
    execFileSync('mkfifo', [toWorker, fromWorker]);
    const childIn = openSync(toWorker, 'r+');
    const childOut = openSync(fromWorker, 'r+');
    const channel = new SyncChannel(openSync(fromWorker, 'r'), openSync(toWorker, 'w'));
    let open = true;
    return {
      channel,
      childFds: [childIn, childOut],
      spawned() {
        if (!open) return;
        open = false;
        closeSync(childIn);
        closeSync(childOut);
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true }); // the open fds keep the FIFOs alive
  }
}

/** Netstrings (`<length>:<bytes>,`) over two blocking fds. */
export class SyncChannel {
  /** @param {number} readFd @param {number} writeFd */
  constructor(readFd, writeFd) {
    this.readFd = readFd;
    this.writeFd = writeFd;
    this.buf = Buffer.allocUnsafe(1 << 16);
    this.start = 0;
    this.end = 0;
    this.closed = false;
  }

  /** Writes one netstring of `parts` joined; throws when the worker is gone (EPIPE). */
  write(...parts) {
    let length = 0;
    for (const p of parts) length += p.length;
    const out = Buffer.concat([Buffer.from(`${length}:`, 'latin1'), ...parts, COMMA]);
    for (let o = 0; o < out.length; ) o += retrying(() => writeSync(this.writeFd, out, o, out.length - o));
  }

  /** The next netstring's payload (a copy), or null at end of file (the worker exited). */
  read() {
    let colon = -1;
    for (;;) {
      colon = this.buf.indexOf(0x3a, this.start);
      if (colon >= 0 && colon < this.end) break;
      if (this.end - this.start > 12) throw new Error(`xsnap protocol error: bad netstring header ${JSON.stringify(this.buf.toString('latin1', this.start, this.start + 12))}`);
      if (!this.#fill(1)) return null;
    }
    const digits = this.buf.toString('latin1', this.start, colon);
    if (!/^\d{1,10}$/.test(digits)) throw new Error(`xsnap protocol error: bad netstring length ${JSON.stringify(digits)}`);
    const want = Number(digits);
    this.start = colon + 1;
    while (this.end - this.start < want + 1) if (!this.#fill(want + 1)) return null;
    if (this.buf[this.start + want] !== 0x2c) throw new Error('xsnap protocol error: netstring not terminated by a comma');
    const payload = Buffer.from(this.buf.subarray(this.start, this.start + want));
    this.start += want + 1;
    return payload;
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    for (const fd of [this.readFd, this.writeFd]) {
      try {
        closeSync(fd);
      } catch {
        // already closed
      }
    }
  }

  /** Reads more bytes, keeping room for `need` unread ones; false at end of file. */
  #fill(need) {
    if (this.start === this.end) this.start = this.end = 0;
    if (this.buf.length - this.start < need || this.end === this.buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.buf.length, 2 * need));
      this.buf.copy(bigger, 0, this.start, this.end);
      this.end -= this.start;
      this.start = 0;
      this.buf = bigger;
    }
    const n = retrying(() => readSync(this.readFd, this.buf, this.end, this.buf.length - this.end, null));
    if (n === 0) return false;
    this.end += n;
    return true;
  }
}

const COMMA = Buffer.from(',', 'latin1');

/** A system call again after EINTR/EAGAIN (a signal, or a descriptor left non-blocking). */
function retrying(call) {
  for (;;) {
    try {
      return call();
    } catch (e) {
      const code = /** @type {{ code?: string }} */ (e).code;
      if (code !== 'EINTR' && code !== 'EAGAIN') throw e;
    }
  }
}
