/**
 * hosts/sim: the firmware in Moddable's desktop simulator. The node joins a `mycelium-sim`
 * run through its UDP hub (`--realtime`) as an ESP-NOW radio at (x, y), and shows the status
 * screen on a simulated 135×240 M5StickC-PLUS2 (./device). Buttons as on the PLUS2: A beacons
 * (hold it 1 s to turn the page), B advertises the tree. Console output goes to stdout (trace).
 * Build-time settings: `mcconfig … hubPort=47800 x=0 y=0` (and `battery=87` for a pretend gauge). A mod built with
 * `mcrun -m -p lin` (mods/) runs on top: mcsim opens the host, then the mod's mc.xsa.
 */
import config from 'mc/config';
import Button from 'button';
import ESPNow from 'mycelium/espnow/espnow';
import Sleep from 'mycelium/sleep/sleep';
import { moddablePlatform } from 'host/moddable-platform';
import { Settings } from 'host/settings';
import { EspNowRadio } from 'host/espnow-radio';
import { MeshHost } from 'host/mesh-host';
import { HoldButton } from 'host/hold-button';
import { StatusScreen } from 'host/ui/status-screen';
import { startInstalledMod } from 'host/mod-loader';
import { freeHeapReader, heapUsedReader } from 'host/free-heap';
import { toHex } from 'mycelium/wire/bytes';
import { statusFigures } from 'status/input';
import { nativeSignatures, verifyStackBytes } from 'ed25519/native';
import { selfTest, selfTestLine } from 'ed25519/self-test';
import { digestBench, digestBenchLine } from 'host/digest-bench';
import { portableHashes } from 'mycelium/platform/portable';

function main(): void {
  const write = (line: string) => trace(line + '\n');
  // Before the mesh starts, so the timing sees an idle machine (npm run test:moddable prints it).
  write(selfTestLine('native', selfTest(nativeSignatures, () => Date.now(), verifyStackBytes)));
  const settings = new Settings(moddablePlatform().storage);
  const platform = moddablePlatform(settings.logLevel, write);
  // The 10 KB paths with crypt's native SHA-256 and with the portable one (issue 21).
  write(digestBenchLine('native', digestBench(platform, () => Date.now())));
  write(digestBenchLine('portable', digestBench(portableHashes, () => Date.now())));
  const sleeper: { sleep?: Sleep } = {};
  let espnow: ESPNow | undefined;
  const radio = new EspNowRadio(
    (onReceive, onSent) =>
      (espnow = new ESPNow({
        channel: settings.channel,
        onReceive,
        onSent,
        simulator: {
          name: settings.name || undefined,
          x: Number(config.x ?? 0),
          y: Number(config.y ?? 0),
          hubPort: Number(config.hubPort ?? 47800),
          onHub: (m) => write(`hub: ${m.type}`),
        },
      })),
    { lightSleep: (ms) => sleeper.sleep?.lightSleep(ms) ?? 0 },
  );
  sleeper.sleep = new Sleep({ radio: espnow });
  // `battery=87` at build time stands in for a gauge (the desktop has none): screenshots show it.
  const battery = config.battery === undefined ? undefined : () => Number(config.battery);
  // The node's heap at start (issue 21): what building and starting it added, garbage included.
  const heapUsed = heapUsedReader();
  const before = heapUsed();
  const host = new MeshHost({ platform, settings, radio, uniqueId: radio.mac, write, battery, freeHeap: freeHeapReader() });
  host.start();
  const after = heapUsed();
  write(before === undefined || after === undefined ? 'memory: not instrumented in this build' : `memory: node built and started ${after - before} B (slots + chunks, this build)`);
  write(`mycelium: node ${toHex(host.node.nodeId)} mac ${toHex(radio.mac)} on channel ${settings.channel}`);
  startInstalledMod(host, write); // the mod mcrun opened with this host, if any

  const screen = new StatusScreen(host);
  const a = new HoldButton(() => platform.now(), { onShort: () => host.beaconNow(), onLong: () => screen.next() });
  new Button({ buttonKey: 'aButton', onPush: (pressed: number) => a.changed(pressed !== 0) });
  new Button({ buttonKey: 'bButton', onPush: (pressed: number) => pressed && host.treeBroadcast() });
  // One line a second that scripts (npm run test:moddable) can follow.
  platform.setTimeout(function report(): void {
    const s = host.state();
    const f = statusFigures(s);
    const fields: [string, string | number | undefined][] = [
      ['id', s.nodeId.slice(0, 8)],
      ['addr', s.address ?? 'none'],
      ['root', f.root?.slice(0, 8) ?? 'none'],
      ['peers', s.peers.length],
      ['routes', s.routes.length],
      ['tx/rx', `${f.tx}/${f.rx}`],
      ['drop', f.drop],
      ['batt', s.battery === undefined ? undefined : `${s.battery}%`],
    ];
    write('status: ' + fields.filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${String(v)}`).join(' '));
    platform.setTimeout(report, 1000);
  }, 1000);
}

try {
  main();
} catch (e) {
  // Release builds print only "XS abort" for an uncaught exception: say what it was.
  trace(`mycelium: error ${(e as Error).message}\n`);
}
