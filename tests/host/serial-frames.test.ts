/** The serial bridge's SLIP framing: frames survive any bytes, console text passes around them. */
import { BRIDGE_RECEIVE, BRIDGE_SEND, MAX_BRIDGE_FRAME, SLIP_END, SlipDecoder, decodeInfo, encodeInfo, slipEncode } from '../../modules/host/serial-frames.js';

function decoder() {
  const frames: [number, number[]][] = [];
  let text = '';
  const d = new SlipDecoder(
    (type, body) => frames.push([type, [...body]]),
    (bytes) => (text += new TextDecoder().decode(bytes)),
  );
  return { d, frames, text: () => text };
}

const cat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));
const ascii = (s: string) => new TextEncoder().encode(s);

test('a frame holding END and ESC bytes comes out whole, console text before and after it untouched', () => {
  const body = Uint8Array.of(0xc0, 0xdb, 0xdc, 0xdd, 0, 255, 0xc0);
  const wire = cat(ascii('boot ok\r\n'), slipEncode(BRIDGE_RECEIVE, body), ascii('> status\n'), slipEncode(BRIDGE_SEND, Uint8Array.of(1)));
  // END only at the frame's two ends: the body's END bytes are escaped.
  expect([...slipEncode(BRIDGE_RECEIVE, body).subarray(1, -1)]).not.toContain(SLIP_END);
  const { d, frames, text } = decoder();
  // Byte by byte: a serial port hands over any split.
  for (const b of wire) d.push(Uint8Array.of(b));
  expect(frames).toEqual([
    [BRIDGE_RECEIVE, [...body]],
    [BRIDGE_SEND, [1]],
  ]);
  expect(text()).toBe('boot ok\r\n> status\n');
  expect(d.dropped).toBe(0);
});

test('a frame too long or with a bad escape is dropped and counted; the next one still decodes', () => {
  const { d, frames } = decoder();
  d.push(slipEncode(BRIDGE_RECEIVE, new Uint8Array(MAX_BRIDGE_FRAME + 10)));
  d.push(Uint8Array.of(SLIP_END, BRIDGE_SEND, 0xdb, 0x01, SLIP_END));
  d.push(slipEncode(BRIDGE_SEND, Uint8Array.of(7, 8)));
  expect(frames).toEqual([[BRIDGE_SEND, [7, 8]]]);
  expect(d.dropped).toBe(2);
});

test('INFO carries the radio figures and name; a wrong version is refused', () => {
  const info = { name: 'rylr998', bitrate: 5470, mtu: 240, schemaIds: [0, 1, 2] };
  expect(decodeInfo(encodeInfo(info))).toEqual(info);
  const bad = encodeInfo(info);
  bad[0] = 9;
  expect(decodeInfo(bad)).toBeUndefined();
  expect(decodeInfo(Uint8Array.of(1, 0))).toBeUndefined();
});
