/**
 * Smoke-test host for `npm run test:moddable` (scripts/test-moddable.mjs): proves that the root
 * manifest and the espnow/sleep manifests build and preload under mcconfig, and that the desktop
 * ESP-NOW variant talks to a hub. Every line starts with "probe:" so the script can check them.
 * The hub port comes from the build (`mcconfig … hubPort=N` → mc/config), default 47800.
 */
import config from 'mc/config';
import Timer from 'timer';
import { parsePacket, serializePacket } from 'mycelium/wire/packet';
import ESPNow from 'mycelium/espnow/espnow';
import Sleep from 'mycelium/sleep/sleep';
import { Node } from 'mycelium/node';
import { Beacon } from 'mycelium/apps/beacon';

function hex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16);
  return s;
}

function main(): void {
  const frame = serializePacket({ schemaId: 0, flags: 0, packetId: 7, body: Uint8Array.of(1, 2, 3) });
  if (!frame.ok) throw new Error(frame.error.message);
  const parsed = parsePacket(frame.value);
  trace(`probe: core ${typeof Node} ${typeof Beacon}\n`); // the Packager, Node and apps are preloaded
  trace(`probe: wire ${parsed.ok ? `ok schema ${parsed.value.schemaId} body ${hex(parsed.value.body)}` : parsed.error.message}\n`);

  const hubPort = Number(config.hubPort ?? 47800);
  const radio = new ESPNow({
    onReceive(mac, data, rssi) {
      trace(`probe: rx ${data.length} bytes from ${hex(mac)} rssi ${rssi}\n`);
    },
    onSent(mac, ok) {
      trace(`probe: sent ${ok ? 'ok' : 'failed'} to ${hex(mac)}\n`);
    },
    simulator: {
      name: 'probe',
      hubPort,
      onHub(message) {
        trace(`probe: hub ${message.type}\n`);
      },
    },
  });
  trace(`probe: espnow mac ${hex(radio.mac)} channel ${radio.channel} hub port ${hubPort}\n`);
  trace(`probe: broadcast ${radio.broadcast(frame.value) ? 'accepted' : 'refused'}\n`);

  const sleep = new Sleep({ radio });
  sleep.setModemSleep(true);

  Timer.set(() => {
    trace(`probe: light sleep ${sleep.lightSleep(20)} ms\n`);
    const c = radio.counters;
    trace(`probe: counters rx ${c.rx} tx ${c.tx} sentOk ${c.sentOk} ringDrops ${c.ringDrops}\n`);
    radio.close();
    try {
      radio.broadcast(Uint8Array.of(1));
    } catch (e) {
      trace(`probe: after close ${(e as Error).message}\n`);
    }
    trace('probe: done\n');
  }, 1000);
}

try {
  main();
} catch (e) {
  // Release builds print only "XS abort" for an uncaught exception: say what it was.
  trace(`probe: error ${(e as Error).message}\n`);
}
