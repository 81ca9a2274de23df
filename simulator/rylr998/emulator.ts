/**
 * The desktop twin of a REYAX RYLR-998: it speaks the module's AT command set on a byte stream
 * (the `Uart` the driver is given) and moves frames over a simulator radio (the medium), so the
 * same driver code runs in tests and simulated meshes as on a device.
 *
 * What it models (REYAX LoRa AT Command Guide for RYLR998/RYLR498, except where marked):
 * - commands AT, AT+RESET (+RESET then +READY), AT+FACTORY, AT+ADDRESS, AT+NETWORKID, AT+BAND,
 *   AT+PARAMETER, AT+CRFOP, AT+MODE, AT+IPR, AT+UID?, AT+VER?, AT+SEND; queries with "?";
 * - errors: +ERR=1 (no CR before LF), 2 (not "AT"), 4 (unknown command or bad value — the guide
 *   does not say which code a bad value gets: ours), 5 (data length mismatch), 13 (over 240
 *   bytes), 17 (AT+SEND while the previous frame is still on air), 18 (preamble out of range);
 * - +OK for AT+SEND as soon as the command is in (ours: whether the module answers before or
 *   after the transmission is to check on hardware), then the frame on air for its airtime;
 * - on air: the data plus 8 bytes (the guide: "the payload part will increase more 8 bytes");
 *   the twin puts its own header there (network id, destination, source, radio settings), and a
 *   receiver only reports frames of its network id and settings sent to its address or to 0;
 * - the UART at the configured baud rate (10 bits a byte): answers and +RCV lines arrive after
 *   their bytes' time, in order.
 */
import type { Clock, Timers } from '../../modules/mycelium/platform/platform.js';
import { loraAirtimeMs } from '../../modules/rylr998/airtime.js';
import { BANDWIDTH_HZ, FACTORY_CONFIG, MAX_SEND_BYTES, MODULE_OVERHEAD_BYTES } from '../../modules/rylr998/config.js';
import type { Uart } from '../../modules/rylr998/uart.js';
import { snrForLoss } from './signal.js';

/** What the twin needs of the simulator radio it transmits on (a SimRadio fits). */
export interface AirRadio {
  broadcast(frame: Uint8Array): boolean;
  onReceive: ((frame: Uint8Array, mac: Uint8Array | undefined) => void) | undefined;
  /** RSSI (dBm) of the frame being delivered, valid during onReceive. */
  readonly lastRssi?: number;
  /** The loss model's loss probability on that frame's link (signal.ts turns it into SNR). */
  readonly lastLinkLoss?: number;
}

export interface EmulatorOptions {
  readonly radio: AirRadio;
  readonly clock: Clock & Timers;
  /** Module unique id reported by AT+UID? (default a fixed string). */
  readonly uid?: string;
}

const LINE_CAPACITY = 300;
const READY_DELAY_MS = 50;
const IPR_RATES = Object.freeze([300, 1200, 4800, 9600, 19200, 28800, 38400, 57600, 115200]);

interface Settings {
  address: number;
  networkId: number;
  bandHz: number;
  sf: number;
  bw: number;
  cr: number;
  preamble: number;
  powerDbm: number;
  mode: number;
  baud: number;
}

function factory(): Settings {
  const f = FACTORY_CONFIG;
  return { address: f.address, networkId: f.networkId, bandHz: f.bandHz, sf: f.sf, bw: f.bw, cr: f.cr, preamble: f.preamble, powerDbm: f.powerDbm, mode: 0, baud: 115200 };
}

export class Rylr998Emulator implements Uart {
  onData: ((bytes: Uint8Array) => void) | undefined;
  readonly #radio: AirRadio;
  readonly #clock: Clock & Timers;
  readonly #uid: string;
  #s: Settings = factory();
  readonly #line = new Uint8Array(LINE_CAPACITY);
  #len = 0;
  /** After an AT+SEND header: where its data starts and ends in #line (-1: not in a send). */
  #dataStart = 0;
  #sendData = -1;
  #skipping = false;
  /** The module's transmitter is busy until then. */
  #txEnd = -Infinity;
  /** The UART towards the host is busy until then. */
  #uartFree = 0;
  /** Frames put on air / reported with +RCV (tests read them). */
  sent = 0;
  heard = 0;

  constructor(options: EmulatorOptions) {
    this.#radio = options.radio;
    this.#clock = options.clock;
    this.#uid = options.uid ?? '000000000000000000000000';
    this.#radio.onReceive = (frame) => this.#air(frame);
  }

  /** The module's current address (tests). */
  get address(): number {
    return this.#s.address;
  }

  /** Power-on: factory state is kept in flash, so only the transient state resets; says +READY. */
  powerOn(): void {
    this.#len = 0;
    this.#sendData = -1;
    this.#skipping = false;
    this.#clock.setTimeout(() => this.#say('+READY'), READY_DELAY_MS);
  }

  // ---- host → module ----------------------------------------------------------------------

  write(bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length; i++) this.#byte(bytes[i]);
  }

  #byte(b: number): void {
    if (this.#skipping) {
      if (b === 10) this.#skipping = false;
      return;
    }
    if (this.#len === LINE_CAPACITY) {
      this.#len = 0;
      this.#sendData = -1;
      this.#skipping = b !== 10;
      return this.#say('+ERR=4');
    }
    this.#line[this.#len++] = b;
    if (this.#sendData >= 0) {
      // Inside AT+SEND: exactly the declared data bytes, then CR LF.
      const after = this.#len - this.#sendData; // 1 = the byte after the data, 2 = the one after that
      if (after <= 0) return;
      if (after === 1 && b === 13) return;
      if (after === 2 && b === 10) return this.#command();
      this.#len = 0;
      this.#sendData = -1;
      this.#skipping = b !== 10;
      return this.#say('+ERR=5');
    }
    if (b === 10) return this.#command();
    if (b === 44) this.#sendHeader();
  }

  /** After a comma: is the line so far "AT+SEND=<address>,<length>,"? Then its data ends at #sendData. */
  #sendHeader(): void {
    const m = /^AT\+SEND=(\d{1,5}),(\d{1,3}),$/.exec(this.#text(0, this.#len));
    if (m) {
      this.#dataStart = this.#len;
      this.#sendData = this.#len + Number(m[2]);
    }
  }

  #text(from: number, to: number): string {
    let s = '';
    for (let i = from; i < to; i++) s += String.fromCharCode(this.#line[i]);
    return s;
  }

  #command(): void {
    const n = this.#len;
    const send = this.#sendData >= 0;
    this.#len = 0;
    this.#sendData = -1;
    if (n < 2 || this.#line[n - 2] !== 13) return this.#say('+ERR=1');
    if (send) return this.#send(this.#dataStart, n - 2);
    const line = this.#text(0, n - 2);
    if (!line.startsWith('AT')) return this.#say('+ERR=2');
    this.#say(this.#answer(line));
  }

  #answer(line: string): string {
    if (line === 'AT') return '+OK';
    if (line === 'AT+RESET') {
      this.#clock.setTimeout(() => this.#say('+READY'), READY_DELAY_MS);
      return '+RESET';
    }
    if (line === 'AT+FACTORY') {
      this.#s = factory();
      return '+FACTORY';
    }
    const m = /^AT\+([A-Z]+)(\?|=(.*))$/.exec(line);
    if (!m) return '+ERR=4';
    const [, name, , arg] = m;
    const query = arg === undefined;
    const s = this.#s;
    const nums = (arg ?? '').split(',').map((v) => (/^\d+$/.test(v) ? Number(v) : NaN));
    const one = nums.length === 1 ? nums[0] : NaN;
    switch (name) {
      case 'ADDRESS':
        if (query) return `+ADDRESS=${s.address}`;
        if (!(one >= 0 && one <= 65535)) return '+ERR=4';
        s.address = one;
        return '+OK';
      case 'NETWORKID':
        if (query) return `+NETWORKID=${s.networkId}`;
        if (!((one >= 3 && one <= 15) || one === 18)) return '+ERR=4';
        s.networkId = one;
        return '+OK';
      case 'BAND':
        if (query) return `+BAND=${s.bandHz}`;
        if (!(one >= 100_000_000 && one <= 1_000_000_000)) return '+ERR=4';
        s.bandHz = one;
        return '+OK';
      case 'PARAMETER': {
        if (query) return `+PARAMETER=${s.sf},${s.bw},${s.cr},${s.preamble}`;
        const [sf, bw, cr, pre] = nums;
        if (nums.length !== 4 || !(sf >= 5 && sf <= 11) || BANDWIDTH_HZ[bw] === undefined || !(cr >= 1 && cr <= 4)) return '+ERR=4';
        if (!(pre >= 4 && pre <= 24)) return '+ERR=18';
        Object.assign(s, { sf, bw, cr, preamble: pre });
        return '+OK';
      }
      case 'CRFOP':
        if (query) return `+CRFOP=${s.powerDbm}`;
        if (!(one >= 0 && one <= 22)) return '+ERR=4';
        s.powerDbm = one;
        return '+OK';
      case 'MODE':
        if (query) return `+MODE=${s.mode}`;
        if (!(nums[0] >= 0 && nums[0] <= 2)) return '+ERR=4';
        s.mode = nums[0];
        return '+OK';
      case 'IPR':
        if (query) return `+IPR=${s.baud}`;
        if (!IPR_RATES.includes(one)) return '+ERR=4';
        s.baud = one;
        return '+OK';
      case 'UID':
        return query ? `+UID=${this.#uid}` : '+ERR=4';
      case 'VER':
        return query ? '+VER=RYLR998-EMULATOR' : '+ERR=4';
      default:
        return '+ERR=4';
    }
  }

  /** AT+SEND=<address>,<length>,<data> with the data in #line[dataStart, end). */
  #send(dataStart: number, end: number): void {
    const header = /^AT\+SEND=(\d{1,5}),(\d{1,3}),$/.exec(this.#text(0, dataStart));
    if (!header) return this.#say('+ERR=4');
    const dst = Number(header[1]);
    const length = end - dataStart;
    if (dst > 65535) return this.#say('+ERR=4');
    if (length > MAX_SEND_BYTES) return this.#say('+ERR=13');
    const now = this.#clock.now();
    if (now < this.#txEnd) return this.#say('+ERR=17');
    const s = this.#s;
    const frame = new Uint8Array(MODULE_OVERHEAD_BYTES + length);
    frame[0] = s.networkId;
    frame[1] = dst >> 8;
    frame[2] = dst & 0xff;
    frame[3] = s.address >> 8;
    frame[4] = s.address & 0xff;
    frame[5] = s.sf | (s.cr << 4);
    frame[6] = s.bw;
    frame[7] = Math.round(s.bandHz / 100_000) & 0xff;
    frame.set(this.#line.subarray(dataStart, end), MODULE_OVERHEAD_BYTES);
    this.#say('+OK');
    this.#txEnd = now + loraAirtimeMs({ sf: s.sf, bw: BANDWIDTH_HZ[s.bw], cr: s.cr, preamble: s.preamble, payloadBytes: frame.length });
    if (this.#radio.broadcast(frame)) this.sent++;
  }

  // ---- air → host -------------------------------------------------------------------------

  #air(frame: Uint8Array): void {
    const s = this.#s;
    if (s.mode === 1 || frame.length < MODULE_OVERHEAD_BYTES) return; // asleep, or not a module's frame
    const dst = (frame[1] << 8) | frame[2];
    const src = (frame[3] << 8) | frame[4];
    const sameRadio = frame[0] === s.networkId && frame[5] === (s.sf | (s.cr << 4)) && frame[6] === s.bw && frame[7] === (Math.round(s.bandHz / 100_000) & 0xff);
    if (!sameRadio || (dst !== 0 && dst !== s.address)) return;
    const data = frame.subarray(MODULE_OVERHEAD_BYTES);
    const rssi = Math.round(this.#radio.lastRssi ?? -80);
    // The medium gives no SNR: the figure a receiver would show on a link that loses what this
    // one does (signal.ts); without a loss figure, a plausible one from the RSSI as before.
    const loss = this.#radio.lastLinkLoss;
    const snr = loss === undefined ? Math.max(-20, Math.min(12, rssi + 110)) : snrForLoss(loss, s.sf);
    const head = `+RCV=${src},${data.length},`;
    const tail = `,${rssi},${snr}\r\n`;
    const out = new Uint8Array(head.length + data.length + tail.length);
    for (let i = 0; i < head.length; i++) out[i] = head.charCodeAt(i);
    out.set(data, head.length);
    for (let i = 0; i < tail.length; i++) out[head.length + data.length + i] = tail.charCodeAt(i);
    this.heard++;
    this.#emit(out);
  }

  #say(text: string): void {
    const out = new Uint8Array(text.length + 2);
    for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
    out[text.length] = 13;
    out[text.length + 1] = 10;
    this.#emit(out);
  }

  /** Bytes towards the host: after the UART has sent them, in order. */
  #emit(bytes: Uint8Array): void {
    const now = this.#clock.now();
    const start = Math.max(now, this.#uartFree);
    this.#uartFree = start + (bytes.length * 10 * 1000) / this.#s.baud;
    this.#clock.setTimeout(() => this.onData?.(bytes), this.#uartFree - now);
  }
}
