/**
 * Nodes with an ESP-NOW and a RYLR-998-like interface at once (docs/lora.md "Bridges"): the link
 * chosen per next hop, the fallback to the slow link when the fast one dies, timings per
 * interface, and broadcasts on both interfaces (each framed for its radio, paced on the slow one).
 * On the virtual clock, over two in-memory media.
 */
import { VirtualClock } from '../../simulator/engine/virtual-clock.js';
import { MemoryMedium, type MemoryRadio } from '../../simulator/medium/memory-medium.js';
import { Node } from '../../modules/mycelium/node.js';
import { ESPNOW_SCHEMA_IDS, RYLR998_SCHEMA_IDS } from '../../modules/mycelium/wire/schemas.js';
import type { InterfaceOptions } from '../../modules/mycelium/packager/options.js';
import { RecordingApp, TEST_APP_ID, macOf, nodeIdOf, seeded, virtualPlatform } from '../support/mesh.js';
import { appId } from '../../modules/mycelium/wire/ids.js';
import { Address } from '../../modules/mycelium/wire/address.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';
import { portableHashes } from '../../modules/mycelium/platform/portable.js';

const LORA_TIMINGS = { sendRetryDelayMs: 6_000, peerAwakeMs: 1e9, broadcastSpacingMs: 60_000 };

interface Member {
  readonly node: Node;
  readonly app: RecordingApp;
  readonly fast?: MemoryRadio;
  readonly slow?: MemoryRadio;
}

function world() {
  const clock = new VirtualClock(1_000_000);
  const espnow = new MemoryMedium(clock, { latencyMs: 1, random: seeded(3) });
  const lora = new MemoryMedium(clock, { latencyMs: 50, random: seeded(5) });
  const make = (n: number, radios: { fast?: boolean; slow?: boolean }, slowOptions: InterfaceOptions = { timings: LORA_TIMINGS }): Member => {
    const fast = radios.fast ? espnow.radio(macOf(n)) : undefined;
    const slow = radios.slow ? lora.radio(Uint8Array.of(0, n), { name: 'rylr998', bitrate: 5_470, schemaIds: RYLR998_SCHEMA_IDS, mtu: 240 }) : undefined;
    const node = new Node({
      platform: virtualPlatform(clock, n),
      nodeId: nodeIdOf(n),
      loopback: false,
      radios: [...(fast ? [fast] : []), ...(slow ? [{ radio: slow, options: slowOptions }] : [])],
    });
    const app = new RecordingApp();
    node.addApp(app);
    return { node, app, fast, slow };
  };
  /** Peer entries both ways on each medium they share (what the Beacons would do). */
  const meet = (a: Member, b: Member): void => {
    if (a.fast && b.fast) {
      espnow.link(a.fast, b.fast);
      a.node.packager.addPeer(b.node.nodeId, [{ mac: b.fast.mac, radio: a.fast }]);
      b.node.packager.addPeer(a.node.nodeId, [{ mac: a.fast.mac, radio: b.fast }]);
    }
    if (a.slow && b.slow) {
      lora.link(a.slow, b.slow);
      a.node.packager.addPeer(b.node.nodeId, [{ mac: b.slow.mac, radio: a.slow }]);
      b.node.packager.addPeer(a.node.nodeId, [{ mac: a.slow.mac, radio: b.slow }]);
    }
  };
  return { clock, espnow, lora, make, meet };
}

const blob = (n: number) => Uint8Array.of(n, 1, 2, 3);

describe('a node with ESP-NOW and LoRa at once', () => {
  it('sends to a neighbour in reach of both on ESP-NOW, and to a LoRa-only one on LoRa', () => {
    const w = world();
    const bridge = w.make(1, { fast: true, slow: true });
    const both = w.make(2, { fast: true, slow: true });
    const far = w.make(3, { slow: true });
    w.meet(bridge, both);
    w.meet(bridge, far);
    w.espnow.clearLog();
    w.lora.clearLog();
    expect(bridge.node.packager.send(TEST_APP_ID, blob(1), { nodeId: both.node.nodeId }).ok).toBe(true);
    expect(bridge.node.packager.send(TEST_APP_ID, blob(2), { nodeId: far.node.nodeId }).ok).toBe(true);
    w.clock.advance(500);
    expect(both.app.received.map((r) => r.blob[0])).toEqual([1]);
    expect(far.app.received.map((r) => r.blob[0])).toEqual([2]);
    // The data frame to `both` went on ESP-NOW only, the one to `far` on LoRa under a LoRa schema.
    const loraData = w.lora.log.filter((f) => f.to && f.from[1] === 1);
    expect(loraData.map((f) => f.to?.[1])).toEqual([3]);
    expect(RYLR998_SCHEMA_IDS).toContain(loraData[0].frame[2]);
    expect(w.espnow.log.filter((f) => f.to && f.from[5] === 1).map((f) => f.to?.[5])).toEqual([2]);
  });

  it('falls back to LoRa when the ESP-NOW link to a neighbour dies and LoRa still hears it', () => {
    const w = world();
    const bridge = w.make(1, { fast: true, slow: true });
    const other = w.make(2, { fast: true, slow: true });
    w.meet(bridge, other);
    // ESP-NOW between them goes (out of range); the neighbour's LoRa frames keep arriving.
    w.espnow.unlink(bridge.fast!, other.fast!);
    // ESP-NOW's linkStaleMs (150 s) after it was last heard, LoRa still heard: LoRa takes over.
    for (let t = 0; t < 160_000; t += 10_000) {
      w.clock.advance(10_000);
      bridge.node.packager.addPeer(other.node.nodeId, [{ mac: other.slow!.mac, radio: bridge.slow! }]);
    }
    expect(bridge.node.packager.send(TEST_APP_ID, blob(7), { nodeId: other.node.nodeId }).ok).toBe(true);
    w.clock.advance(1_000);
    expect(other.app.received.map((r) => r.blob[0])).toEqual([7]);
    expect(bridge.node.packager.counters.get('rx_acks')).toBeGreaterThan(0);
  });

  it('keeps ESP-NOW while it is heard, even when LoRa was heard later', () => {
    const w = world();
    const bridge = w.make(1, { fast: true, slow: true });
    const other = w.make(2, { fast: true, slow: true });
    w.meet(bridge, other);
    w.clock.advance(5_000); // LoRa heard 5 s after ESP-NOW: within the ESP-NOW link's staleness
    bridge.node.packager.addPeer(other.node.nodeId, [{ mac: other.slow!.mac, radio: bridge.slow! }]);
    w.lora.clearLog();
    bridge.node.packager.send(TEST_APP_ID, blob(8), { nodeId: other.node.nodeId });
    w.clock.advance(100);
    expect(other.app.received).toHaveLength(1);
    expect(w.lora.log.filter((f) => f.to)).toHaveLength(0);
  });

  it('keeps ESP-NOW while the neighbour\'s frames keep arriving on it, though only LoRa is re-announced', () => {
    const w = world();
    const bridge = w.make(1, { fast: true, slow: true });
    const other = w.make(2, { fast: true, slow: true });
    w.meet(bridge, other);
    // For 160 s (past ESP-NOW's linkStaleMs) the neighbour's data comes on ESP-NOW every 10 s
    // while only its LoRa link is named again: every frame received marks its link heard.
    for (let t = 0; t < 160_000; t += 10_000) {
      w.clock.advance(10_000);
      bridge.node.packager.addPeer(other.node.nodeId, [{ mac: other.slow!.mac, radio: bridge.slow! }]);
      expect(other.node.packager.send(TEST_APP_ID, blob(1), { nodeId: bridge.node.nodeId }).ok).toBe(true);
    }
    w.clock.advance(1_000);
    w.lora.clearLog();
    bridge.node.packager.send(TEST_APP_ID, blob(9), { nodeId: other.node.nodeId });
    w.clock.advance(100);
    expect(other.app.received.map((r) => r.blob[0])).toEqual([9]);
    expect(w.lora.log.filter((f) => f.to)).toHaveLength(0);
  });

  it('retries on each interface after that interface\'s own retry delay', () => {
    const w = world();
    const bridge = w.make(1, { fast: true, slow: true });
    const near = w.make(2, { fast: true });
    const far = w.make(3, { slow: true });
    w.meet(bridge, near);
    w.meet(bridge, far);
    // Neither answers (out of reach, still believed awake): every attempt is a retry.
    w.espnow.unlink(bridge.fast!, near.fast!);
    w.lora.unlink(bridge.slow!, far.slow!);
    w.espnow.clearLog();
    w.lora.clearLog();
    const sent = (m: MemoryMedium) => m.log.filter((f) => f.to && (f.from[5] === 1 || f.from[1] === 1) && f.frame.length > 10).length;
    bridge.node.packager.send(TEST_APP_ID, blob(1), { nodeId: near.node.nodeId });
    bridge.node.packager.send(TEST_APP_ID, blob(2), { nodeId: far.node.nodeId });
    const awake = (ms: number) => {
      for (let t = 0; t < ms; t += 100) {
        for (const p of bridge.node.packager.peers) p.lastRx = w.clock.now();
        w.clock.advance(100);
      }
    };
    awake(2_500);
    expect(sent(w.espnow)).toBe(2); // ESP-NOW: first try and a retry at 2 s
    expect(sent(w.lora)).toBe(1); // LoRa: still waiting for its 6 s
    awake(4_000);
    expect(sent(w.lora)).toBe(2);
  });

  it('sends at once to a LoRa neighbour silent for long (its awake window is LoRa\'s), not after RNS probes', () => {
    const w = world();
    const bridge = w.make(1, { fast: true, slow: true });
    const far = w.make(3, { slow: true });
    w.meet(bridge, far);
    w.clock.advance(20_000); // far beyond ESP-NOW's 800 ms awake window
    w.lora.clearLog();
    bridge.node.packager.send(TEST_APP_ID, blob(4), { nodeId: far.node.nodeId });
    w.clock.advance(200);
    expect(far.app.received).toHaveLength(1);
    expect(bridge.node.packager.counters.get('tx_frames')).toBeGreaterThan(0);
    expect(w.lora.log.filter((f) => f.to && f.from[1] === 1 && f.frame.length <= 6)).toHaveLength(0); // no RNS probe
  });

  it('broadcasts on both interfaces, each framed for its radio, paced on LoRa (newest kept)', () => {
    const w = world();
    const bridge = w.make(1, { fast: true, slow: true });
    const near = w.make(2, { fast: true });
    const far = w.make(3, { slow: true });
    w.meet(bridge, near);
    w.meet(bridge, far);
    expect(bridge.node.packager.broadcast(TEST_APP_ID, blob(1)).ok).toBe(true);
    w.clock.advance(100);
    expect(near.app.received.map((r) => r.blob[0])).toEqual([1]);
    expect(far.app.received.map((r) => r.blob[0])).toEqual([1]);
    expect(ESPNOW_SCHEMA_IDS).toContain(w.espnow.log.at(-1)!.frame[2]);
    expect(RYLR998_SCHEMA_IDS).toContain(w.lora.log.at(-1)!.frame[2]);
    // Two more within the LoRa spacing: ESP-NOW gets both at once, LoRa only the newest, later.
    w.clock.advance(10_000);
    bridge.node.packager.broadcast(TEST_APP_ID, blob(2));
    w.clock.advance(10_000);
    bridge.node.packager.broadcast(TEST_APP_ID, blob(3));
    w.clock.advance(100);
    expect(near.app.received.map((r) => r.blob[0])).toEqual([1, 2, 3]);
    expect(far.app.received.map((r) => r.blob[0])).toEqual([1]);
    // Released once the spacing has passed, within a quarter spacing more (PACING_JITTER).
    w.clock.advance(30_000);
    expect(far.app.received.map((r) => r.blob[0])).toEqual([1]);
    w.clock.advance(15_000 + 15_000);
    expect(far.app.received.map((r) => r.blob[0])).toEqual([1, 3]);
    expect(bridge.node.packager.counters.get('tx_paced_replaced')).toBe(1);
  });

  it('paces two bridges that booted together apart, so that their LoRa broadcasts stop coinciding', () => {
    const w = world();
    const a = w.make(1, { fast: true, slow: true });
    const b = w.make(2, { fast: true, slow: true });
    const far = w.make(3, { slow: true });
    w.meet(a, far);
    w.meet(b, far);
    // Both broadcast on the same fast-side period (an island's upkeep every 10 s, say): every
    // broadcast after the first waits for the 60-s spacing on LoRa. When each one reaches `far`:
    const heard: Record<number, number[]> = { 1: [], 2: [] };
    for (let s = 0; s < 600; s++) {
      if (s % 10 === 0) {
        a.node.packager.broadcast(TEST_APP_ID, blob(1));
        b.node.packager.broadcast(TEST_APP_ID, blob(2));
      }
      const before = far.app.received.length;
      w.clock.advance(1_000);
      for (const r of far.app.received.slice(before)) heard[r.blob[0]].push(w.clock.now());
    }
    expect(heard[1].length).toBeGreaterThanOrEqual(6);
    expect(heard[2].length).toBeGreaterThanOrEqual(6);
    // Before: every release exactly one spacing after the last, on both, for good (0 s apart).
    const apart = heard[1].slice(1).map((t) => Math.min(...heard[2].slice(1).map((u) => Math.abs(u - t))));
    expect(apart.filter((d) => d > 1_000).length).toBeGreaterThanOrEqual(apart.length / 2);
  });

  it('keeps an app\'s broadcasts off an interface that lists it as quiet', () => {
    const w = world();
    const hello = unwrap(appId(portableHashes, 'quiet', 'quiet', 0));
    const bridge = w.make(1, { fast: true, slow: true }, { quietApps: [hello] });
    const near = w.make(2, { fast: true });
    const far = w.make(3, { slow: true });
    const nearQuiet = new RecordingApp(hello);
    const farQuiet = new RecordingApp(hello);
    near.node.addApp(nearQuiet);
    far.node.addApp(farQuiet);
    w.meet(bridge, near);
    w.meet(bridge, far);
    bridge.node.packager.broadcast(hello, blob(5));
    w.clock.advance(100);
    expect(nearQuiet.received).toHaveLength(1);
    expect(farQuiet.received).toHaveLength(0);
  });

  it('relays a routed packet from ESP-NOW onto LoRa under the twin schema', () => {
    const w = world();
    const a = w.make(1, { fast: true });
    const bridge = w.make(2, { fast: true, slow: true });
    const far = w.make(3, { slow: true });
    w.meet(a, bridge);
    w.meet(bridge, far);
    // Tree addresses: bridge is the root, a and far its children (what SpanningTree would give).
    const at = (coords: number[]) => unwrap(Address.fromCoords(1, coords));
    const root = at([]);
    const aAddr = at([1]);
    const farAddr = at([2]);
    bridge.node.packager.setAddress(root);
    a.node.packager.setAddress(aAddr);
    far.node.packager.setAddress(farAddr);
    a.node.packager.addRoute(bridge.node.nodeId, root);
    far.node.packager.addRoute(bridge.node.nodeId, root);
    bridge.node.packager.addRoute(a.node.nodeId, aAddr);
    bridge.node.packager.addRoute(far.node.nodeId, farAddr);
    expect(a.node.packager.send(TEST_APP_ID, blob(9), { nodeId: far.node.nodeId, address: farAddr }).ok).toBe(true);
    w.clock.advance(1_000);
    expect(far.app.received.map((r) => r.blob[0])).toEqual([9]);
    expect(a.node.packager.counters.get('rx_acks')).toBeGreaterThan(0);
  });
});
