/**
 * Standard base64 (RFC 4648 §4, with padding) for the ASCII-safe frame encoding: 3 bytes become
 * 4 printable characters, so a 240-character AT+SEND carries 180 bytes. Written here because the
 * driver stands alone on XS (no atob/btoa, no Node Buffer).
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Characters needed for `n` bytes. */
export function base64Length(n: number): number {
  return Math.ceil(n / 3) * 4;
}

/** Bytes → base64 as ASCII bytes. */
export function encodeBase64(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(base64Length(data.length));
  let o = 0;
  for (let i = 0; i < data.length; i += 3) {
    const n = data.length - i;
    const v = (data[i] << 16) | ((n > 1 ? data[i + 1] : 0) << 8) | (n > 2 ? data[i + 2] : 0);
    out[o++] = ALPHABET.charCodeAt((v >> 18) & 63);
    out[o++] = ALPHABET.charCodeAt((v >> 12) & 63);
    out[o++] = n > 1 ? ALPHABET.charCodeAt((v >> 6) & 63) : 61; // '='
    out[o++] = n > 2 ? ALPHABET.charCodeAt(v & 63) : 61;
  }
  return out;
}

function sextet(c: number): number {
  if (c >= 65 && c <= 90) return c - 65;
  if (c >= 97 && c <= 122) return c - 71;
  if (c >= 48 && c <= 57) return c + 4;
  if (c === 43) return 62;
  if (c === 47) return 63;
  return -1;
}

/** Base64 ASCII bytes → bytes, or undefined when the text is not canonical padded base64. */
export function decodeBase64(text: Uint8Array): Uint8Array | undefined {
  if (text.length % 4 !== 0) return undefined;
  const pad = text.length === 0 ? 0 : (text[text.length - 1] === 61 ? 1 : 0) + (text[text.length - 2] === 61 ? 1 : 0);
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const last = i + 4 === text.length;
    const a = sextet(text[i]);
    const b = sextet(text[i + 1]);
    const c = last && pad === 2 ? 0 : sextet(text[i + 2]);
    const d = last && pad >= 1 ? 0 : sextet(text[i + 3]);
    if (a < 0 || b < 0 || c < 0 || d < 0) return undefined;
    const v = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = v >> 16;
    if (o < out.length) out[o++] = (v >> 8) & 0xff;
    if (o < out.length) out[o++] = v & 0xff;
  }
  return out;
}
