/**
 * A board with a RYLR-998 beside ESP-NOW (`lora=bridge`, docs/lora.md "Bridges"): the build key,
 * and a MeshHost whose node runs both radios — ESP-NOW towards a neighbour of its island, the
 * module (the simulator's AT twin) towards a LoRa-only board — with the LoRa interface's own
 * timings, Hello and Gossip kept off LoRa, and a ping answered across: compact on LoRa, upstream's
 * bytes on ESP-NOW.
 */
import { VirtualClock } from '../../simulator/engine/virtual-clock.js';
import { SeededRandom } from '../../simulator/engine/random.js';
import { Medium } from '../../simulator/medium/medium.js';
import { rylr998Profile } from '../../simulator/medium/profiles.js';
import { MemoryMedium } from '../../simulator/medium/memory-medium.js';
import { Rylr998Emulator } from '../../simulator/rylr998/emulator.js';
import { nodeHashes } from '../../simulator/platform/node-hashes.js';
import { hostPlatform } from '../../modules/host/platform.js';
import { MeshHost } from '../../modules/host/mesh-host.js';
import { loraBoardConfig, wantsLora, wantsLoraBridge } from '../../modules/rylr998/board-config.js';
import { openRylr998Radio } from '../../modules/rylr998/open-radio.js';
import { loraBridgeInterface, loraBridgeTimings } from '../../modules/rylr998/bridge.js';
import { COMPACT_MARKER } from '../../modules/mycelium/wire/compact-frame.js';
import { toHex } from '../../modules/mycelium/wire/bytes.js';
import type { Platform } from '../../modules/mycelium/platform/platform.js';
import { FakePreference } from './support.js';

test('lora=bridge asks for the module beside ESP-NOW; lora=1 for the module alone', () => {
  expect(wantsLoraBridge({ lora: 'bridge' })).toBe(true);
  expect(wantsLora({ lora: 'bridge' })).toBe(true);
  expect(wantsLoraBridge({ lora: '1' })).toBe(false);
  expect(wantsLoraBridge({})).toBe(false);
});

test('a bridge board: ESP-NOW to its island, LoRa to a far board, each with its own timings', () => {
  const clock = new VirtualClock(0);
  const lora = new Medium({ clock, random: new SeededRandom(5), kind: 'rylr998', profile: rylr998Profile({ sf: 7, bw: 9, cr: 1, preamble: 12 }), loss: { model: 'unit-disk', range: 3000 }, collisions: true });
  const espnow = new MemoryMedium(clock, { latencyMs: 2 });
  const platformOf = (i: number, lines: string[]): Platform => {
    const random = new SeededRandom(21 + i);
    return hostPlatform({
      now: () => clock.now(),
      timer: { set: (cb, ms) => clock.setTimeout(cb, ms), clear: (t) => clock.clearTimeout(t) },
      sha256: nodeHashes.sha256,
      random: (into) => random.bytes(into),
      write: (line) => lines.push(line),
      preference: new FakePreference(),
    });
  };
  const module = (i: number, platform: Platform, x: number) => {
    const twin = new Rylr998Emulator({ radio: lora.addNode({ x }), clock: platform });
    twin.powerOn();
    const built = loraBoardConfig({ lora: 'bridge', lora_sf: 7, lora_bw: 9 }, Uint8Array.of(2, 0, 0, 0, 0x20, i + 1));
    if (!built.ok) throw new Error(built.error);
    return { radio: openRylr998Radio(twin, platform, { config: built.value.module, dutyCycle: built.value.dutyCycle }), built: built.value };
  };
  // The bridge: ESP-NOW and a module.
  const bridgeLines: string[] = [];
  const bp = platformOf(0, bridgeLines);
  const bridgeLora = module(0, bp, 0);
  const bridgeEspnow = espnow.radio(Uint8Array.of(2, 0, 0, 0, 0, 1));
  const options = loraBridgeInterface(bridgeLora.built.module, bridgeLora.built.dutyCycle);
  const timings = loraBridgeTimings(bridgeLora.built.module, bridgeLora.built.dutyCycle);
  expect(options).toEqual({ timings, compactFrames: true });
  // What the bridge's module is handed to send: the first byte of each unicast but the 5-byte
  // RNS/NIA probes, which have nothing to leave out.
  const loraFirst: number[] = [];
  const send = bridgeLora.radio.send.bind(bridgeLora.radio);
  bridgeLora.radio.send = (mac, frame) => (frame.length > 5 && loraFirst.push(frame[0]), send(mac, frame));
  const bridge = new MeshHost({ platform: bp, radio: bridgeEspnow, bridge: { radio: bridgeLora.radio, options }, uniqueId: Uint8Array.of(2, 0, 0, 0, 0, 1), write: (l) => bridgeLines.push(l) });
  // Its island neighbour on ESP-NOW only, and a LoRa-only board 2 km away.
  const nearEspnow = espnow.radio(Uint8Array.of(2, 0, 0, 0, 0, 2));
  espnow.link(bridgeEspnow, nearEspnow);
  const near = new MeshHost({ platform: platformOf(1, []), radio: nearEspnow, uniqueId: Uint8Array.of(2, 0, 0, 0, 0, 2), write: () => undefined });
  const fp = platformOf(2, []);
  const far = new MeshHost({ platform: fp, radio: module(2, fp, 2000).radio, uniqueId: Uint8Array.of(2, 0, 0, 0, 0, 3), write: () => undefined });
  for (const h of [bridge, near, far]) h.start();

  const [fast, slow] = bridge.node.packager.interfaces.filter((i) => i.radio !== bridge.node.loopback);
  expect([fast.radio, slow.radio]).toEqual([bridgeEspnow, bridgeLora.radio]);
  expect(fast.timings.sendRetryDelayMs).toBe(2000); // ESP-NOW's
  expect(slow.timings.sendRetryDelayMs).toBe(timings.sendRetryDelayMs);
  expect(slow.timings.broadcastSpacingMs).toBeGreaterThan(0);
  expect(slow.quietApps).toEqual(expect.arrayContaining([bridge.gossip.idHex]));

  clock.advance(10 * 60_000);
  const peers = bridge.node.packager.peers.map((p) => toHex(p.id)).sort();
  expect(peers).toEqual([toHex(near.node.nodeId), toHex(far.node.nodeId)].sort());
  // One tree across both radios.
  expect(new Set([bridge, near, far].map((h) => toHex(h.tree.root))).size).toBe(1);
  bridgeLines.length = 0;
  loraFirst.length = 0;
  espnow.log.length = 0;
  bridge.input(`ping ${toHex(far.node.nodeId)} 2 30`);
  bridge.input(`ping ${toHex(near.node.nodeId)} 2 30`);
  clock.advance(5 * 60_000);
  expect(bridgeLines.filter((l) => l === '\tsuccess_rate: 100%')).toHaveLength(2);
  // The far board expands compact frames (every build does): the pings went compact on LoRa.
  expect(loraFirst.length).toBeGreaterThan(0);
  expect(loraFirst.filter((b) => b !== COMPACT_MARKER)).toEqual([]);
  // On ESP-NOW the node's Beacon keeps compact_frames off: upstream's bytes to the island.
  const toNear = espnow.log.filter((f) => f.to !== undefined && f.frame.length > 5 && f.from[5] === 1);
  expect(toNear.length).toBeGreaterThan(0);
  expect(toNear.every((f) => f.frame[0] === 0)).toBe(true);
});
