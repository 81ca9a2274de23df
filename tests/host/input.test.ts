/** Typing on a serial terminal and pressing buttons, as the board hosts see them. */
import { LineReader, MAX_INPUT_LINE } from '../../modules/host/line-reader.js';
import { HoldButton } from '../../modules/host/hold-button.js';

const bytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

test('the line reader splits on CR, LF and CRLF, erases on backspace and echoes what was typed', () => {
  const r = new LineReader();
  const lines: string[] = [];
  const echo = r.feed(bytes('get pex\x7fers\r\nstatus\nver'), (l) => lines.push(l));
  expect(lines).toEqual(['get peers', 'status']);
  expect(echo).toBe('get pex\b \bers\r\nstatus\r\nver');
  r.feed(bytes('sion\r'), (l) => lines.push(l));
  r.feed(bytes('\n'), (l) => lines.push(l)); // the LF of a CRLF split across reads: no empty line
  expect(lines).toEqual(['get peers', 'status', 'version']);
});

test('control bytes are ignored and a runaway line is capped', () => {
  const r = new LineReader();
  const lines: string[] = [];
  r.feed(Uint8Array.of(0x1b, 0x5b, 0x41, 0x00), () => undefined); // an arrow key: ESC [ A
  r.feed(new Uint8Array(5000).fill(0x61), () => undefined);
  r.feed(bytes('\r'), (l) => lines.push(l));
  expect(lines).toEqual(['[A' + 'a'.repeat(MAX_INPUT_LINE - 2)]);
});

test('a short press does the upstream action, holding the button turns the page', () => {
  let now = 0;
  const done: string[] = [];
  const b = new HoldButton(() => now, { onShort: () => done.push('short'), onLong: () => done.push('long') });
  b.changed(true);
  now = 200;
  b.changed(false);
  b.changed(true);
  now = 1500;
  b.changed(true); // repeated level: still the same press
  now = 1300 + 1000;
  b.changed(false);
  b.changed(false); // a release without a press does nothing
  expect(done).toEqual(['short', 'long']);
});
