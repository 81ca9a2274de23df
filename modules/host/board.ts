/**
 * What every ESP32 board host runs (hosts/esp32, hosts/m5stamp, hosts/m5stickc-plus2): the
 * mesh on ESP-NOW with the settings' channel, modem sleep if enabled — or, when the build says
 * `lora=1`, on a RYLR-998 on a UART (the `lora_*` keys: modules/rylr998/board-config.ts,
 * docs/lora.md "Wiring") with the LoRa timings, or with `lora=bridge` on both at once (a
 * bridge, docs/lora.md "Bridges") —, and the console on the
 * serial port (115200 baud, the port `mcconfig -m` flashes through), with the serial bridge
 * beside it (serial-bridge.ts: a `mycelium-node --serial` on the other end borrows the radio;
 * the board's own node pauses meanwhile). A board's main adds only its pins. Device-only glue: reviewed, not run here (no ESP-IDF on the build machine).
 */
import Serial from 'embedded:io/serial';
import config from 'mc/config';
import ESPNow from 'mycelium/espnow/espnow';
import Sleep from 'mycelium/sleep/sleep';
import { moddablePlatform } from './moddable-platform.js';
import { Settings } from './settings.js';
import { EspNowRadio } from './espnow-radio.js';
import { MeshHost } from './mesh-host.js';
import { LineReader } from './line-reader.js';
import { SerialBridge } from './serial-bridge.js';
import { startInstalledMod } from './mod-loader.js';
import { freeHeapReader } from './free-heap.js';
import { utf8Encode } from '../mycelium/wire/bytes.js';
import type { Radio } from '../mycelium/packager/radio.js';
import type { Platform } from '../mycelium/platform/platform.js';
import { loraBoardConfig, wantsLora, wantsLoraBridge } from '../rylr998/board-config.js';
import { loraBridgeInterface } from '../rylr998/bridge.js';
import { openRylr998Radio } from '../rylr998/open-radio.js';
import type { Rylr998Config } from '../rylr998/config.js';
import { SerialUart } from './serial-uart.js';
import type { Activity } from './activity.js';

export interface BoardOptions {
  /** Each app frame sent or received (LED colours). */
  readonly onActivity?: (a: Activity) => void;
  readonly battery?: () => number | undefined;
}

export function startBoard(options: BoardOptions = {}): MeshHost {
  const reader = new LineReader();
  const started: { host?: MeshHost; bridge?: SerialBridge } = {}; // set once the node exists; input before that is dropped
  // UART0 on its usual pins (RX 3, TX 1): the USB serial port `mcconfig -m` flashes through.
  const serial = new Serial({
    port: 0,
    receive: 3,
    transmit: 1,
    baud: 115200,
    format: 'buffer',
    // Whatever arrived goes through the bridge's decoder: its frames to the bridge, the rest
    // (text) to the line reader, where each finished line is a console command.
    onReadable() {
      const data = this.read();
      if (data instanceof ArrayBuffer) started.bridge?.input(new Uint8Array(data));
    },
  });
  const typed = (bytes: Uint8Array) => {
    const h = started.host;
    if (!h) return;
    out(reader.feed(bytes, (line) => {
      h.input(line);
      out(h.console.prompt);
    }));
  };
  const out = (text: string) => serial.write(utf8Encode(text));
  const write = (line: string) => out(line + '\r\n');
  const settings = new Settings(moddablePlatform().storage);
  const platform = moddablePlatform(settings.logLevel, write);
  const sleep = new Sleep();
  sleep.setModemSleep(settings.modemSleep);
  const espnow = new EspNowRadio((onReceive, onSent) => new ESPNow({ channel: settings.channel, onReceive, onSent }), sleep);
  const mac = espnow.mac.slice();
  // lora=bridge: the module beside ESP-NOW (a bridge); lora=1: the module instead of it.
  const bridging = wantsLoraBridge(config);
  const lora = wantsLora(config) ? loraRadio(mac, platform, write) : undefined;
  if (lora && !bridging) espnow.close();
  const radio = bridging ? espnow : (lora?.radio ?? espnow);
  const bridge = bridging && lora ? { radio: lora.radio, options: loraBridgeInterface(lora.settings, lora.dutyCycle) } : undefined;
  const host = new MeshHost({
    platform,
    settings,
    radio,
    bridge,
    uniqueId: mac, // as upstream: node id = SHA-256(SHA-256(MAC)), whichever radio carries it
    write,
    battery: options.battery,
    freeHeap: freeHeapReader(),
    onActivity: options.onActivity,
  });
  started.host = host;
  started.bridge = new SerialBridge({
    radio,
    write: (bytes) => serial.write(bytes),
    onText: typed,
    // While a host program uses the radio, this node would talk without hearing: pause it.
    onTakeover: (taken) => (taken ? host.node.stop() : host.node.start()),
  });
  host.start();
  startInstalledMod(host, write); // after the mesh: a mod that fails leaves it running
  write('mycelium node ready; type help');
  out(host.console.prompt);
  return host;
}

/**
 * The RYLR-998 the build configures, in place of ESP-NOW (opened first only for the chip's MAC).
 * A wrong `lora_*` key or a module that refuses its settings is said on the console; the node
 * then runs on ESP-NOW rather than on nothing.
 */
function loraRadio(mac: Uint8Array, platform: Platform, write: (line: string) => void): { readonly radio: Radio; readonly settings: Rylr998Config; readonly dutyCycle: number } | undefined {
  const c = loraBoardConfig(config, mac);
  if (!c.ok) {
    write(`lora: ${c.error}; staying on ESP-NOW`);
    return undefined;
  }
  const s = c.value.serial;
  const uart = new SerialUart((onReadable) => new Serial({ port: s.port, receive: s.receive, transmit: s.transmit, baud: s.baud, format: 'buffer', onReadable }));
  const r = openRylr998Radio(uart, platform, { config: c.value.module, dutyCycle: c.value.dutyCycle }, (ok) => {
    write(ok ? `lora: RYLR-998 ready, address ${c.value.module.address}` : 'lora: the module did not take its settings (wiring TX/RX crossed? 3.3 V? baud?)');
  });
  return { radio: r, settings: c.value.module, dutyCycle: c.value.dutyCycle };
}
