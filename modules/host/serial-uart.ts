/**
 * The RYLR-998 driver's `Uart` (modules/rylr998/uart.ts) over an ECMA-419 serial port
 * (`embedded:io/serial` with `format: "buffer"`). The board opens the port through `open` and
 * hands it the readable callback, so this file needs no device module and is tested on Node
 * with a fake port.
 */
import type { Uart } from '../rylr998/uart.js';

/** What the adapter needs of an `embedded:io/serial` instance. */
export interface SerialPortLike {
  /** Whatever the port holds: an ArrayBuffer in buffer format (a number only in number format), undefined when empty. */
  read(): number | ArrayBuffer | undefined;
  write(data: ArrayBuffer | Uint8Array): void;
  close(): void;
}

export type OpenSerial = (onReadable: () => void) => SerialPortLike;

export class SerialUart implements Uart {
  onData: ((bytes: Uint8Array) => void) | undefined;
  /** Writes the port refused (a full transmit FIFO throws on some ports): counted, not thrown. */
  writeErrors = 0;
  readonly #port: SerialPortLike;

  constructor(open: OpenSerial) {
    this.#port = open(() => this.#readable());
  }

  write(bytes: Uint8Array): void {
    try {
      this.#port.write(bytes);
    } catch {
      this.writeErrors++;
    }
  }

  close(): void {
    this.onData = undefined;
    this.#port.close();
  }

  #readable(): void {
    // Drain what is there: the port calls again only for bytes that arrive after this read.
    for (let chunk = this.#port.read(); chunk instanceof ArrayBuffer && chunk.byteLength > 0; chunk = this.#port.read()) {
      this.onData?.(new Uint8Array(chunk));
    }
  }
}
