import { endpointOfMac, macOfEndpoint, parseEndpoint } from '../../hosts/linux/udp-mac.js';
import { toHex } from '../../modules/mycelium/wire/bytes.js';

test('a UDP peer\'s MAC is its IPv4 address and port, and turns back into them', () => {
  const mac = macOfEndpoint({ address: '127.0.0.1', port: 47901 });
  expect(toHex(mac as Uint8Array)).toBe('7f000001bb1d');
  expect(endpointOfMac(mac as Uint8Array)).toEqual({ address: '127.0.0.1', port: 47901 });
  expect(macOfEndpoint({ address: '::1', port: 47901 })).toBeUndefined();
  expect(endpointOfMac(Uint8Array.of(10, 0, 0, 1, 0, 0))).toBeUndefined();
});

test('host:port as the user writes it', () => {
  expect(parseEndpoint('47902')).toEqual({ address: '127.0.0.1', port: 47902 });
  expect(parseEndpoint(':47902')).toEqual({ address: '127.0.0.1', port: 47902 });
  expect(parseEndpoint('192.168.1.20:47902')).toEqual({ address: '192.168.1.20', port: 47902 });
  expect(parseEndpoint('laptop:47902')).toEqual({ error: '"laptop" in "laptop:47902" is not an IPv4 address (the UDP radio is IPv4 only)' });
  expect(parseEndpoint('1.2.3.4')).toEqual({ error: '"1.2.3.4" is not host:port (like 127.0.0.1:47901)' });
});
