/**
 * Bytes typed on a serial terminal → command lines: Enter (CR, LF or CRLF) ends a line,
 * backspace/DEL erases, other control bytes are ignored, and a line is capped so a stuck
 * sender cannot grow memory. Returns what to echo so the user sees what they type.
 */
export const MAX_INPUT_LINE = 256;

export class LineReader {
  #line = '';
  #lastWasCR = false;

  /** Feed received bytes; `onLine` gets each finished line. Returns the text to echo back. */
  feed(bytes: Uint8Array, onLine: (line: string) => void): string {
    let echo = '';
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i];
      if (b === 0x0a && this.#lastWasCR) {
        this.#lastWasCR = false; // the LF of a CRLF
        continue;
      }
      this.#lastWasCR = b === 0x0d;
      if (b === 0x0d || b === 0x0a) {
        const line = this.#line;
        this.#line = '';
        echo += '\r\n';
        onLine(line);
      } else if (b === 0x08 || b === 0x7f) {
        if (this.#line.length) {
          this.#line = this.#line.slice(0, -1);
          echo += '\b \b';
        }
      } else if (b >= 0x20 && b < 0x7f && this.#line.length < MAX_INPUT_LINE) {
        const c = String.fromCharCode(b);
        this.#line += c;
        echo += c;
      }
    }
    return echo;
  }
}
