/**
 * A board with a RYLR-998 (issue 18, "a board manifest option for a RYLR-998 on a UART"): the
 * `lora_*` build keys as mcconfig passes them, the ECMA-419 serial adapter, and two MeshHosts
 * whose nodes run on the real driver over the simulator's AT-speaking twin through that adapter.
 */
import { VirtualClock } from '../../simulator/engine/virtual-clock.js';
import { SeededRandom } from '../../simulator/engine/random.js';
import { Medium } from '../../simulator/medium/medium.js';
import { Rylr998Emulator } from '../../simulator/rylr998/emulator.js';
import { nodeHashes } from '../../simulator/platform/node-hashes.js';
import { hostPlatform } from '../../modules/host/platform.js';
import { MeshHost } from '../../modules/host/mesh-host.js';
import { SerialUart, type SerialPortLike } from '../../modules/host/serial-uart.js';
import { addressFromMac, loraBoardConfig, wantsLora } from '../../modules/rylr998/board-config.js';
import { openRylr998Radio } from '../../modules/rylr998/open-radio.js';
import { loraNodeDefaults } from '../../modules/rylr998/timings.js';
import { toHex } from '../../modules/mycelium/wire/bytes.js';
import { FakePreference } from './support.js';

const MAC = Uint8Array.of(0x24, 0x6f, 0x28, 0x01, 0xab, 0xcd);

describe('lora_* build keys', () => {
  test('off unless asked; defaults are UART2 on 16/17, EU868 at 1 %, the address from the MAC', () => {
    expect(wantsLora({})).toBe(false);
    expect(wantsLora({ lora: '0' })).toBe(false);
    expect(wantsLora({ lora: '1' })).toBe(true);
    expect(wantsLora({ lora: true })).toBe(true);
    const c = loraBoardConfig({ lora: '1' }, MAC);
    expect(c).toEqual({
      ok: true,
      value: {
        serial: { port: 2, receive: 16, transmit: 17, baud: 115200 },
        module: { address: 0xabcd, networkId: 18, bandHz: 868_100_000, sf: 9, bw: 7, cr: 1, preamble: 12, powerDbm: 22 },
        dutyCycle: 0.01,
      },
    });
  });

  test('command-line strings and manifest numbers both work', () => {
    const c = loraBoardConfig({ lora: '1', lora_rx: '33', lora_tx: 32, lora_sf: '7', lora_address: '12', lora_duty: '0.001' }, MAC);
    expect(c.ok && c.value.serial).toEqual({ port: 2, receive: 33, transmit: 32, baud: 115200 });
    expect(c.ok && [c.value.module.sf, c.value.module.address, c.value.dutyCycle]).toEqual([7, 12, 0.001]);
  });

  test('a wrong key is named, with what it should be', () => {
    expect(loraBoardConfig({ lora_sf: 'fast' }, MAC)).toEqual({ ok: false, error: 'lora_sf must be a number, got fast' });
    expect(loraBoardConfig({ lora_sf: '12' }, MAC)).toEqual({ ok: false, error: 'lora: spreading factor must be 5..11, got 12' });
    expect(loraBoardConfig({ lora_address: 0 }, MAC)).toEqual({ ok: false, error: "lora: address must be 1..65535 (0 is AT+SEND's broadcast), got 0" });
    expect(loraBoardConfig({ lora_duty: 5 }, MAC)).toEqual({ ok: false, error: 'lora_duty must be a fraction 0..1 (0.01 = 1 %), got 5' });
    expect(loraBoardConfig({ lora_rx: -1 }, MAC)).toEqual({ ok: false, error: 'lora_rx must be a UART number or GPIO 0..48, got -1' });
  });

  test('a MAC ending in 00:00 never gives the broadcast address', () => {
    expect(addressFromMac(Uint8Array.of(1, 2, 3, 4, 0, 0))).toBe(1);
  });
});

/** An ECMA-419 serial port (buffer format) wired to a module twin: what the board's Serial is. */
class TwinPort implements SerialPortLike {
  readonly #pending: Uint8Array[] = [];
  readonly #twin: Rylr998Emulator;
  closed = false;
  constructor(twin: Rylr998Emulator, onReadable: () => void, chunk: number) {
    this.#twin = twin;
    // The UART hands bytes over in small pieces, as a FIFO does.
    twin.onData = (bytes) => {
      for (let i = 0; i < bytes.length; i += chunk) this.#pending.push(bytes.slice(i, i + chunk));
      onReadable();
    };
  }
  read(): ArrayBuffer | undefined {
    const b = this.#pending.shift();
    return b ? (b.buffer.slice(b.byteOffset, b.byteOffset + b.length) as ArrayBuffer) : undefined;
  }
  write(data: ArrayBuffer | Uint8Array): void {
    this.#twin.write(data instanceof Uint8Array ? data : new Uint8Array(data));
  }
  close(): void {
    this.closed = true;
  }
}

test('two boards on RYLR-998s through the serial adapter: LoRa timings, one tree, a ping answered', () => {
  const clock = new VirtualClock(0);
  const medium = new Medium({ clock, random: new SeededRandom(3), kind: 'rylr998', loss: { model: 'unit-disk', range: 1500 }, collisions: true });
  const boards = [0, 1].map((i) => {
    const random = new SeededRandom(11 + i);
    const lines: string[] = [];
    const platform = hostPlatform({
      now: () => clock.now(),
      timer: { set: (cb, ms) => clock.setTimeout(cb, ms), clear: (t) => clock.clearTimeout(t) },
      sha256: nodeHashes.sha256,
      random: (into) => random.bytes(into),
      write: (line) => lines.push(line),
      preference: new FakePreference(),
    });
    const mac = Uint8Array.of(2, 0, 0, 0, 0x10, i + 1);
    const twin = new Rylr998Emulator({ radio: medium.addNode({ x: i * 500 }), clock: platform });
    twin.powerOn();
    const built = loraBoardConfig({ lora: '1' }, mac) // factory SF9/BW125: the medium's airtime model;
    if (!built.ok) throw new Error(built.error);
    let ready: boolean | undefined;
    const uart = new SerialUart((onReadable) => new TwinPort(twin, onReadable, 7));
    const radio = openRylr998Radio(uart, platform, { config: built.value.module, dutyCycle: built.value.dutyCycle }, (ok) => (ready = ok));
    const host = new MeshHost({ platform, radio, uniqueId: mac, write: (l) => lines.push(l) });
    host.start();
    return { host, lines, radio, ready: () => ready };
  });
  clock.advance(2_000);
  expect(boards.map((b) => b.ready())).toEqual([true, true]);
  // The node took the LoRa defaults of its module's settings, not ESP-NOW's.
  const lora = loraNodeDefaults({ sf: 9, bw: 7, cr: 1, preamble: 12 }, 0.01);
  const [a, b] = boards.map((x) => x.host);
  expect(a.beacon.params.beacon_interval).toBe(lora.beacon.beacon_interval);
  expect(a.tree.params.tree_maintenance_delay).toBe(lora.spanningTree.tree_maintenance_delay);
  expect(a.node.apps.map((x) => x.name)).not.toContain('Hello');
  clock.advance(20 * 60_000);
  expect(a.node.packager.peers.map((p) => p.key)).toEqual([toHex(b.node.nodeId)]);
  expect(toHex(a.tree.root)).toBe(toHex(b.tree.root));
  boards[0].lines.length = 0;
  // One request: two, a second apart, meet the first one's answer and acks on a half-duplex channel
  // (SF9: 0.4 s a frame), and whether both get through then depends on the backoff draws.
  a.input(`ping ${toHex(b.node.nodeId)} 1 30`); // LoRa: a round trip takes seconds, not the console's 2 s
  clock.advance(5 * 60_000);
  expect(boards[0].lines).toContain('\tsuccess_rate: 100%');
  // Every frame went through the module's UART, and no line from it was malformed.
  expect(boards[0].radio.counters.rx_malformed ?? 0).toBe(0);
  expect(boards.every((x) => x.radio.limiter.limit === 0.01)).toBe(true);
});
