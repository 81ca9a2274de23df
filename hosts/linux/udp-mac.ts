/**
 * The "MAC" of a UDP peer: the 6 bytes of its IPv4 address and port (address bytes first, port
 * big-endian), e.g. 127.0.0.1:47901 → 7f:00:00:01:bb:1d. The Packager keys links by MAC, so a
 * peer's link must be the same bytes whichever way we learn it (configured, or heard from); a
 * pure encoding gives that, and it can be turned back into the endpoint to send to, so the radio
 * needs no table of endpoints (a table would need a cap and an eviction rule). IPv6 does not fit
 * in 6 bytes: the UDP radio is IPv4 only.
 */
import { isIPv4 } from 'node:net';

export interface Endpoint {
  readonly address: string;
  readonly port: number;
}

export const UDP_MAC_BYTES = 6;

/** 6 bytes for an IPv4 endpoint, undefined for anything else (IPv6, a host name, a bad port). */
export function macOfEndpoint(e: Endpoint): Uint8Array | undefined {
  if (!isIPv4(e.address) || !Number.isInteger(e.port) || e.port < 1 || e.port > 0xffff) return undefined;
  const mac = new Uint8Array(UDP_MAC_BYTES);
  e.address.split('.').forEach((part, i) => (mac[i] = Number(part)));
  mac[4] = e.port >>> 8;
  mac[5] = e.port & 0xff;
  return mac;
}

/** The endpoint a MAC stands for (port 0 is no endpoint: undefined). */
export function endpointOfMac(mac: Uint8Array): Endpoint | undefined {
  if (mac.length !== UDP_MAC_BYTES) return undefined;
  const port = (mac[4] << 8) | mac[5];
  if (port === 0) return undefined;
  return { address: `${mac[0]}.${mac[1]}.${mac[2]}.${mac[3]}`, port };
}

/**
 * `host:port` (or `:port`, or a bare port, meaning 127.0.0.1) as an Endpoint, or an error
 * sentence for the user. Names are not resolved: a mesh of laptops is configured by address.
 */
export function parseEndpoint(text: string, defaultAddress = '127.0.0.1'): Endpoint | { error: string } {
  const t = text.trim();
  const m = /^(?:(.*):)?(\d{1,5})$/.exec(t);
  if (!m) return { error: `"${text}" is not host:port (like 127.0.0.1:47901)` };
  const address = m[1] === undefined || m[1] === '' ? defaultAddress : m[1];
  const port = Number(m[2]);
  if (port < 1 || port > 0xffff) return { error: `port ${m[2]} in "${text}" must be 1..65535` };
  if (!isIPv4(address)) return { error: `"${address}" in "${text}" is not an IPv4 address (the UDP radio is IPv4 only)` };
  return { address, port };
}
