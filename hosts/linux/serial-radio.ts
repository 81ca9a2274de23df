/**
 * A Radio over a board's USB serial (the serial bridge, modules/host/serial-bridge.ts): the board
 * puts our frames on its air and hands us what it hears, so `mycelium-node --serial PATH` joins
 * an ESP-NOW or LoRa mesh through it. The radio's name, bitrate, MTU and schemas are the board
 * radio's own (its INFO answer), so the interface id and the frames are what the board's node
 * would use. The board's console lines arrive beside the frames and go to `onLine`.
 *
 * The device is read and written as a terminal in raw mode (Node's tty streams, no dependency);
 * a USB CDC port ignores the baud rate, a UART adapter needs it set beforehand (`stty -F PATH 115200`).
 */
import { closeSync, openSync } from 'node:fs';
import { isatty, ReadStream, WriteStream } from 'node:tty';
import type { Radio } from '../../modules/mycelium/packager/radio.js';
import { BROADCAST_MAC } from '../../modules/mycelium/wire/constants.js';
import { BRIDGE_HELLO, BRIDGE_INFO, BRIDGE_RECEIVE, BRIDGE_RELEASE, BRIDGE_SEND, SlipDecoder, decodeInfo, slipEncode, type BridgeInfo } from '../../modules/host/serial-frames.js';

export interface SerialRadioOptions {
  /** How long to wait for the board's INFO (default 6000 ms: opening the port may reset the board). */
  readonly timeoutMs?: number;
  /** The board's console lines (text outside frames). */
  readonly onLine?: (line: string) => void;
}

export interface SerialRadioStats {
  rx: number;
  tx: number;
  /** Frames that made no sense (unknown type, short) or the decoder dropped. */
  bad: number;
}

/** Longest console line kept from the board (a longer one is cut). */
const MAX_LINE = 1024;

export class SerialRadio implements Radio {
  readonly name: string;
  readonly bitrate: number;
  readonly schemaIds: readonly number[];
  readonly mtu: number;
  onReceive: ((frame: Uint8Array, mac: Uint8Array | undefined) => void) | undefined;
  readonly stats: SerialRadioStats = { rx: 0, tx: 0, bad: 0 };
  readonly #out: WriteStream;
  readonly #in: ReadStream;

  private constructor(info: BridgeInfo, input: ReadStream, output: WriteStream) {
    this.name = info.name;
    this.bitrate = info.bitrate;
    this.schemaIds = info.schemaIds;
    this.mtu = info.mtu;
    this.#in = input;
    this.#out = output;
  }

  /** Open `path`, take the board's radio over and learn its figures; rejects with a one-line reason. */
  static open(path: string, options: SerialRadioOptions = {}): Promise<SerialRadio> {
    const fds: number[] = [];
    try {
      fds.push(openSync(path, 'r'), openSync(path, 'w'));
    } catch (e) {
      for (const fd of fds) closeSync(fd);
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'no such device' : code === 'EACCES' ? 'permission denied (on Linux: add yourself to the dialout group)' : String(code ?? e);
      return Promise.reject(new Error(`--serial ${path}: cannot open (${why})`));
    }
    if (!isatty(fds[0])) {
      for (const fd of fds) closeSync(fd);
      return Promise.reject(new Error(`--serial ${path}: not a serial device (a tty)`));
    }
    const input = new ReadStream(fds[0]);
    input.setRawMode(true);
    const output = new WriteStream(fds[1]);
    output.on('error', () => undefined);
    let radio: SerialRadio | undefined;
    let text: number[] = [];
    const onLine = options.onLine;
    return new Promise((resolve, reject) => {
      const hello = () => output.write(slipEncode(BRIDGE_HELLO, new Uint8Array(0)));
      const retry = setInterval(hello, 1000);
      const timer = setTimeout(() => {
        clearInterval(retry);
        input.destroy();
        output.destroy();
        reject(new Error(`--serial ${path}: no mycelium bridge answered in ${options.timeoutMs ?? 6000} ms (is the board running firmware with the serial bridge?)`));
      }, options.timeoutMs ?? 6000);
      const decoder = new SlipDecoder(
        (type, body) => {
          if (type === BRIDGE_INFO && !radio) {
            const info = decodeInfo(body);
            if (!info) return;
            clearTimeout(timer);
            clearInterval(retry);
            radio = new SerialRadio(info, input, output);
            resolve(radio);
          } else if (type === BRIDGE_RECEIVE && radio && body.length > 6) {
            radio.stats.rx++;
            radio.onReceive?.(body.slice(6), body.slice(0, 6));
          } else if (radio && type !== BRIDGE_INFO) radio.stats.bad++;
        },
        (bytes) => {
          for (const b of bytes) {
            if (b === 0x0a) {
              if (onLine) onLine(new TextDecoder().decode(Uint8Array.from(text)).replace(/\r$/, ''));
              text = [];
            } else if (text.length < MAX_LINE) text.push(b);
          }
        },
      );
      input.on('data', (chunk: Buffer) => decoder.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
      input.on('error', () => undefined);
      hello();
    });
  }

  send(mac: Uint8Array, frame: Uint8Array): boolean {
    if (frame.length > this.mtu || mac.length !== 6 || this.#out.destroyed) return false;
    const body = new Uint8Array(6 + frame.length);
    body.set(mac, 0);
    body.set(frame, 6);
    this.#out.write(slipEncode(BRIDGE_SEND, body));
    this.stats.tx++;
    return true;
  }

  broadcast(frame: Uint8Array): boolean {
    return this.send(BROADCAST_MAC, frame);
  }

  /** Give the board its radio back and close the device. */
  close(): void {
    if (!this.#out.destroyed) this.#out.end(slipEncode(BRIDGE_RELEASE, new Uint8Array(0)));
    try {
      this.#in.setRawMode(false);
    } catch {
      // the device is gone (unplugged): nothing to restore
    }
    this.#in.destroy();
  }
}
