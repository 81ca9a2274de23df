/**
 * Aligned modem sleep (docs/sleep.md) on the virtual clock: sleepers that hear each other's
 * hellos end on one wake schedule, frames for a sleeping neighbour wait for its window (no RNS),
 * and a broadcast made while asleep waits for our own window instead of being refused.
 */
import { TestMesh, TEST_APP_ID, type MeshNode } from '../support/mesh.js';
import { Hello } from '../../modules/mycelium/apps/hello.js';
import { nodeHashes } from '../../simulator/platform/node-hashes.js';
import { phaseOf } from '../../modules/mycelium/packager/wake-schedule.js';
import { ScheduleSync, filteredSchedule } from '../../modules/mycelium/packager/schedule-sync.js';
import { parseHello, serializeHello } from '../../modules/mycelium/wire/messages/hello.js';
import { ENCODED_MASK, ENCODED_SHIFT, Encoded } from '../../modules/mycelium/wire/flags.js';

const RNS = Encoded.rns << ENCODED_SHIFT;

function sleepers(startOffsets: readonly number[], modemSleep: object | boolean = true) {
  const mesh = new TestMesh({ node: { modemSleep } });
  const nodes = mesh.add(startOffsets.length);
  for (const n of nodes) n.node.addApp(new Hello(nodeHashes));
  for (let i = 1; i < nodes.length; i++) mesh.connect(nodes[i - 1], nodes[i]);
  let t = 0;
  for (let i = 0; i < nodes.length; i++) {
    mesh.clock.advance(startOffsets[i] - t);
    t = startOffsets[i];
    nodes[i].node.start();
  }
  return { mesh, nodes };
}

/** Share of `ms` (sampled every ms) during which the radio was on. */
function onShare(mesh: TestMesh, n: MeshNode, ms: number): number {
  let on = 0;
  for (let i = 0; i < ms; i++) {
    mesh.clock.advance(1);
    if (n.radio.on) on++;
  }
  return on / ms;
}

function rnsFrames(mesh: TestMesh): number {
  return mesh.medium.log.filter((f) => (f.frame[3] & ENCODED_MASK) === RNS).length;
}

test('sleepers started apart end on one wake schedule and listen together', () => {
  const { mesh, nodes } = sleepers([0, 77, 1234]);
  mesh.clock.advance(30_000);
  const [a, b, c] = nodes.map((n) => n.node.modemSleep!);
  const now = mesh.clock.now();
  // The same phase, give or take the frame's delay per hop (1 ms here): the send guard absorbs it.
  expect(Math.abs(phaseOf(b.schedule, now) - phaseOf(a.schedule, now))).toBeLessThanOrEqual(1);
  expect(Math.abs(phaseOf(c.schedule, now) - phaseOf(a.schedule, now))).toBeLessThanOrEqual(2);
  // Radios on together: sampled over 10 s, each is on ~20 % (40 ms of 200), spread hellos aside.
  for (const n of nodes) expect(onShare(mesh, n, 2_000)).toBeLessThan(0.3);
  // Inside the first node's windows the third (two hops away) listens too.
  let inWindow = 0;
  let bothOn = 0;
  for (let i = 0; i < 2_000; i++) {
    mesh.clock.advance(1);
    if (phaseOf(a.schedule, mesh.clock.now()) >= a.schedule.windowMs - 4) continue;
    inWindow++;
    if (nodes[0].radio.on && nodes[2].radio.on) bothOn++;
  }
  expect(inWindow).toBeGreaterThan(300);
  expect(bothOn / inWindow).toBeGreaterThan(0.9);
});

test('a unicast to a sleeping neighbour waits for its window, with no RNS, and arrives', () => {
  const { mesh, nodes } = sleepers([0, 500]);
  mesh.clock.advance(20_000);
  const [a, b] = nodes;
  // Move to the middle of the sleep part of the shared cycle.
  const s = b.node.modemSleep!.schedule;
  mesh.clock.advance((s.periodMs + s.windowMs + 60 - phaseOf(s, mesh.clock.now())) % s.periodMs);
  expect(b.radio.on).toBe(false);
  mesh.medium.clearLog();
  const sent = a.packager.send(TEST_APP_ID, Uint8Array.of(7, 7), { nodeId: b.node.nodeId });
  expect(sent.ok).toBe(true);
  mesh.clock.advance(1);
  expect(mesh.medium.log.length).toBe(0); // held, not sent into the sleep
  mesh.clock.advance(s.periodMs);
  expect(b.app.received.map((r) => Array.from(r.blob))).toContainEqual([7, 7]);
  expect(rnsFrames(mesh)).toBe(0);
  expect(a.packager.counters.get('drop_peer_asleep')).toBe(0);
});

test('a broadcast made while asleep waits for our window instead of being refused', () => {
  const { mesh, nodes } = sleepers([0, 300]);
  mesh.clock.advance(20_000);
  const [a, b] = nodes;
  const s = a.node.modemSleep!.schedule;
  mesh.clock.advance((s.periodMs + s.windowMs + 30 - phaseOf(s, mesh.clock.now())) % s.periodMs);
  expect(a.radio.on).toBe(false);
  const before = b.app.received.length;
  expect(a.packager.broadcast(TEST_APP_ID, Uint8Array.of(9)).ok).toBe(true);
  mesh.clock.advance(s.periodMs);
  expect(a.packager.counters.get('radio_refused')).toBe(0);
  expect(b.app.received.slice(before).map((r) => Array.from(r.blob))).toEqual([[9]]);
});

test('near an upstream neighbour (no hello) no sleep is longer than upstream’s 90 ms', () => {
  const mesh = new TestMesh({ node: { modemSleep: true } });
  const [ours, upstream] = mesh.add(2);
  ours.node.addApp(new Hello(nodeHashes));
  mesh.connect(ours, upstream);
  ours.node.start();
  mesh.clock.advance(5_000);
  let longest = 0;
  let off = 0;
  for (let i = 0; i < 3_000; i++) {
    mesh.clock.advance(1);
    off = ours.radio.on ? 0 : off + 1;
    longest = Math.max(longest, off);
  }
  expect(longest).toBeGreaterThan(50);
  expect(longest).toBeLessThanOrEqual(90);
});

test('a schedule outside the bounds (window under 1/32 of the period) is neither adopted nor trusted', () => {
  const own = { epoch: 0, periodMs: 200, windowMs: 40 };
  const sync = new ScheduleSync(Uint8Array.of(9, 9, 9, 9), own);
  const lower = Uint8Array.of(0, 0, 0, 1);
  expect(sync.hear({ phaseMs: 5, periodMs: 4000, windowMs: 20, hops: 0, source: lower }, 1000)).toEqual({ schedule: undefined, adopted: false });
  expect(sync.schedule).toBe(own);
  const heard = sync.hear({ phaseMs: 5, periodMs: 300, windowMs: 50, hops: 0, source: lower }, 1000);
  expect(heard.adopted).toBe(true);
  expect(sync.schedule).toEqual({ epoch: 995, periodMs: 300, windowMs: 50 });
  // A larger source does not move us back.
  expect(sync.hear({ phaseMs: 100, periodMs: 200, windowMs: 40, hops: 0, source: Uint8Array.of(5, 0, 0, 0) }, 1100).adopted).toBe(false);
});

test('the hello schedule block round-trips, and a hello cut inside it is refused', () => {
  const source = Uint8Array.of(1, 2, 3, 4);
  const m = serializeHello({ seq: 5, intervalMs: 3000, flags: 1, rootSeq: 0, depth: 255, root: new Uint8Array(8), addressTag: 0, heard: [], schedule: { phaseMs: 17, periodMs: 200, windowMs: 40, hops: 3, source } });
  if (!m.ok) throw new Error(m.error.message);
  const back = parseHello(m.value);
  if (!back.ok) throw new Error(back.error.message);
  expect(back.value.schedule).toEqual({ phaseMs: 17, periodMs: 200, windowMs: 40, hops: 3, source });
  expect(parseHello(m.value.subarray(0, m.value.length - 1)).ok).toBe(false);
});

test('near an upstream neighbour a broadcast is repeated 3 times 36 ms apart, so its own cycle meets one', () => {
  const mesh = new TestMesh({ node: { modemSleep: true } });
  const [ours, upstream] = mesh.add(2);
  ours.node.addApp(new Hello(nodeHashes));
  mesh.connect(ours, upstream);
  ours.node.start();
  mesh.clock.advance(5_000);
  const s = ours.node.modemSleep!.schedule;
  mesh.clock.advance((s.periodMs - phaseOf(s, mesh.clock.now())) % s.periodMs);
  mesh.medium.clearLog();
  const t0 = mesh.clock.now();
  const at: number[] = [];
  const medium = mesh.medium;
  const transmit = medium.transmit.bind(medium);
  medium.transmit = (from, to, frame) => {
    if (to === undefined && frame.subarray(-24).every((b) => b === 3)) at.push(mesh.clock.now() - t0);
    return transmit(from, to, frame);
  };
  expect(ours.packager.broadcast(TEST_APP_ID, new Uint8Array(24).fill(3)).ok).toBe(true);
  mesh.clock.advance(150);
  expect(at).toEqual([0, 36, 72, 108]);
  expect(ours.packager.counters.get('radio_refused')).toBe(0);
});

describe('a schedule heard through delayed hellos does not creep later', () => {
  // A hello's phase is taken when it is heard: every delay before that (transmit queue, carrier
  // sense, airtime) makes the sender's windows look later, never earlier. Following each sample
  // made a lossy 40-node mesh's schedule drift 19 ms (half a window) from its source.
  const source = Uint8Array.of(0, 0, 0, 1);
  const sourceEpoch = 1_000; // where the source's superframes really begin
  const frame = 200 * 8;
  const heardAt = (k: number, delay: number) => {
    const built = sourceEpoch + k * frame + 17;
    return { at: built + delay, a: { phaseMs: 17, periodMs: 200, windowMs: 40, hops: 1, source } };
  };
  const offsetFromSource = (epoch: number) => {
    const d = (((epoch - sourceEpoch) % frame) + frame) % frame;
    return d > frame / 2 ? d - frame : d;
  };

  test('delay noise: we stay near the least delayed sample, not the latest', () => {
    const sync = new ScheduleSync(Uint8Array.of(9, 9, 9, 9), { epoch: 0, periodMs: 200, windowMs: 40 });
    const delays = [3, 1, 6, 9, 2, 8, 12, 5, 10, 7, 11, 9, 6, 12];
    // First heard from a neighbour two hops from the source, then from one a hop nearer.
    const first = heardAt(0, delays[0]);
    sync.hear({ ...first.a, hops: 2 }, first.at);
    for (let k = 1; k < delays.length; k++) {
      const h = heardAt(k, delays[k]);
      sync.hear(h.a, h.at);
    }
    // Old rule: each sample taken as heard, so we ended 12 ms late (the last sample's delay);
    // the samples' mean delay is 7.1 ms, the least 1 ms.
    expect(offsetFromSource(sync.schedule.epoch)).toBeGreaterThanOrEqual(1);
    expect(offsetFromSource(sync.schedule.epoch)).toBeLessThan(6);
  });

  test('a steady offset (real clock drift) is still followed within a few hellos', () => {
    const sync = new ScheduleSync(Uint8Array.of(9, 9, 9, 9), { epoch: 0, periodMs: 200, windowMs: 40 });
    const first = heardAt(0, 0);
    sync.hear(first.a, first.at);
    expect(offsetFromSource(sync.schedule.epoch)).toBe(0);
    for (let k = 1; k <= 12; k++) {
      const h = heardAt(k, 6); // the source's clock now runs 6 ms behind ours, every hello
      sync.hear(h.a, h.at);
    }
    expect(offsetFromSource(sync.schedule.epoch)).toBeGreaterThan(6 - 2.5);
  });

  test('two neighbours a hop nearer, 27 ms apart: we stay on the earlier, not swinging to each', () => {
    // Their phases came down different paths from the source. Taking a phase later by over half
    // a window at once made a router swing 27 ms of its 40-ms window at each of their hellos.
    const sync = new ScheduleSync(Uint8Array.of(9, 9, 9, 9), { epoch: 0, periodMs: 200, windowMs: 40 });
    const first = heardAt(0, 0);
    sync.hear({ ...first.a, hops: 2 }, first.at);
    let moves = 0;
    for (let k = 1; k <= 12; k++) {
      const h = heardAt(k, k % 2 === 0 ? 27 : 0); // the late neighbour, then the early one
      if (sync.hear(h.a, h.at).adopted) moves++;
      expect(offsetFromSource(sync.schedule.epoch)).toBe(0);
    }
    expect(moves).toBe(0);
    // A real move of the same size, in every hello, is still followed after a few.
    for (let k = 13; k <= 20; k++) {
      const h = heardAt(k, 27);
      sync.hear(h.a, h.at);
    }
    expect(offsetFromSource(sync.schedule.epoch)).toBe(27);
  });

  test("a neighbour's recorded windows: an earlier sample at once, a later one an eighth of the way, a large move at once", () => {
    const prev = { epoch: 1_000, periodMs: 200, windowMs: 40 };
    expect(filteredSchedule(prev, { ...prev, epoch: 998 }, frame).epoch).toBe(998);
    expect(filteredSchedule(prev, { ...prev, epoch: 1_008 }, frame).epoch).toBe(1_001);
    expect(filteredSchedule(prev, { ...prev, epoch: 1_000 + frame + 8 }, frame).epoch).toBe(1_001);
    expect(filteredSchedule(prev, { ...prev, epoch: 1_030 }, frame).epoch).toBe(1_030);
    expect(filteredSchedule(prev, { epoch: 1_008, periodMs: 300, windowMs: 40 }, frame).epoch).toBe(1_008);
  });
});
