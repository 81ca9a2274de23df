/** LoRa node defaults: derived from the airtime so that the mesh's upkeep fits the duty budget. */
import { ACKED_DUTY, ACK_ROOM_SHARE, CONTROL_FRAME_BYTES, CONTROL_SHARE, loraNodeDefaults, radioNodeDefaults } from '../../modules/rylr998/timings.js';
import { FACTORY_CONFIG, MAX_SEND_BYTES, sendAirtimeMs } from '../../modules/rylr998/config.js';
import { HELLO_DEFAULTS } from '../../modules/mycelium/apps/hello.js';

const SF7 = { ...FACTORY_CONFIG, sf: 7 };
const HOUR = 3_600_000;

/** Control airtime per hour if every node sends what the defaults plan: adverts, beacons, gossip syncs. */
function upkeepMsPerHour(d: ReturnType<typeof loraNodeDefaults>, frameMs: number): number {
  const per = (ms: unknown) => HOUR / (ms as number);
  return frameMs * (per(d.spanningTree.tree_maintenance_delay) + per(d.beacon.beacon_interval) + per((d.gossip.schedule_delay as number) * 1000));
}

test.each([
  ['factory SF9', FACTORY_CONFIG],
  ['SF7', SF7],
])('%s at 1 %%: the upkeep stays within its share of the hour\'s budget', (_name, lora) => {
  const d = loraNodeDefaults(lora, 0.01);
  const frameMs = sendAirtimeMs(lora, CONTROL_FRAME_BYTES);
  expect(upkeepMsPerHour(d, frameMs)).toBeLessThanOrEqual(CONTROL_SHARE * 0.01 * HOUR);
});

test('a slower setting or a tighter limit stretches every period; a wait covers the frames it waits for', () => {
  const fast = loraNodeDefaults(SF7, 0.01);
  const slow = loraNodeDefaults(FACTORY_CONFIG, 0.01);
  const tight = loraNodeDefaults(SF7, 0.001);
  for (const d of [slow, tight]) {
    expect(d.spanningTree.tree_maintenance_delay).toBeGreaterThan(fast.spanningTree.tree_maintenance_delay as number);
    expect(d.beacon.beacon_interval).toBeGreaterThan(fast.beacon.beacon_interval as number);
  }
  // A retry comes after a full frame and its ack have both had time to cross, backoff included.
  for (const [d, lora] of [[fast, SF7], [slow, FACTORY_CONFIG]] as const) {
    expect(d.packager.timings.sendRetryDelayMs).toBeGreaterThanOrEqual(2 * 2.5 * sendAirtimeMs(lora, MAX_SEND_BYTES));
    // Hop resends must be recognised for less than the end-to-end retry (options.ts).
    expect(d.packager.timings.hopDuplicateWindowMs).toBeLessThan(d.packager.timings.sendRetryDelayMs as number);
    // A tree survives several lost rounds.
    expect((d.spanningTree.max_tree_age as number) * 1000).toBeGreaterThanOrEqual(3 * (d.spanningTree.tree_maintenance_delay as number));
  }
  // No limit set: the upkeep sized as for 1 %, not unbounded; only the end-to-end recovery differs.
  const unlimited = loraNodeDefaults(SF7, 0);
  expect({ ...unlimited, packager: fast.packager }).toEqual(fast);
});

test('a looser limit leaves the upkeep as frequent as at 1 %: the channel is shared by every neighbour', () => {
  const onePct = loraNodeDefaults(SF7, 0.01);
  for (const duty of [0.02, 0.1, 0]) {
    const d = loraNodeDefaults(SF7, duty);
    expect({ beacon: d.beacon, spanningTree: d.spanningTree, gossip: d.gossip, interval: d.routeVector.interval_ms }).toEqual({
      beacon: onePct.beacon,
      spanningTree: onePct.spanningTree,
      gossip: onePct.gossip,
      interval: onePct.routeVector.interval_ms,
    });
  }
  // What a looser limit gives is room: the relays' load is weighed against the node's own budget.
  expect(loraNodeDefaults(SF7, 0.1).routeVector.budget_ms).toBe(0.1 * HOUR);
  // A tighter limit still stretches every period (the cap is an upper bound, not a fixed size).
  expect(loraNodeDefaults(SF7, 0.005).spanningTree.tree_maintenance_delay).toBeGreaterThan(onePct.spanningTree.tree_maintenance_delay as number);
});

test('under a duty limit unacked routed messages are spread over 15 full frames; without one they go at once', () => {
  expect(loraNodeDefaults(SF7, 0.01).packager.timings.sendSpreadMs).toBe(6000);
  expect(loraNodeDefaults(FACTORY_CONFIG, 0.01).packager.timings.sendSpreadMs).toBe(19_000);
  expect(loraNodeDefaults(SF7, 0).packager.timings.sendSpreadMs).toBe(0);
});

test('under a tight duty limit routed messages ask for no end-to-end ack; with room they keep it and upstream\'s 3 retries', () => {
  for (const [duty, acks, retries, spread] of [
    [0.001, 0, 1, 6000],
    [0.01, 0, 1, 6000],
    [0.015, 0, 1, 6000],
    [ACKED_DUTY, 1, 3, 6000],
    [0.1, 1, 3, 6000],
    [0, 1, 3, 0],
    [1, 1, 3, 0],
  ] as const) {
    const t = loraNodeDefaults(SF7, duty).packager.timings;
    expect([duty, t.endToEndAcks, t.sendRetryCount, t.sendSpreadMs]).toEqual([duty, acks, retries, spread]);
    // Acks only while the radio has room: half the hour's budget, under a limit.
    expect(t.endToEndAckDutyMs).toBe(acks === 1 && duty > 0 && duty < 1 ? ACK_ROOM_SHARE * duty * HOUR : 0);
    // The windows that recognise resends cover every attempt.
    expect(t.duplicateWindowMs).toBeGreaterThanOrEqual((retries + 1) * (t.sendRetryDelayMs + t.sendRetryJitterMs));
  }
  expect(loraNodeDefaults(FACTORY_CONFIG, 0.001).packager.timings.endToEndAcks).toBe(0);
});

test('Hello is off: even at the factory setting its 3-s hellos alone would exceed 1 %', () => {
  const helloMs = sendAirtimeMs(FACTORY_CONFIG, 60);
  expect(helloMs * (HOUR / HELLO_DEFAULTS.interval_ms)).toBeGreaterThan(0.01 * HOUR);
  expect(loraNodeDefaults(FACTORY_CONFIG).hello).toBe(false);
});

test('radioNodeDefaults: a RYLR-998 radio gets them from its own settings and limit, another radio none', () => {
  const lora = { name: 'rylr998', config: SF7, limiter: { limit: 0.01 } };
  expect(radioNodeDefaults(lora as never)).toEqual(loraNodeDefaults(SF7, 0.01));
  expect(radioNodeDefaults({ name: 'espnow' } as never)).toBeUndefined();
});

test('routes outlive the advert period, retries are jittered, and waits cover the jittered attempts', () => {
  for (const lora of [SF7, FACTORY_CONFIG]) {
    const d = loraNodeDefaults(lora, 0.01);
    const t = d.packager.timings;
    // Without Hello the advert period does not grow: a route must survive a lost advert or three
    // (at SF9 the period, 13 min, is longer than ESP-NOW's 8-min route lifetime).
    expect(t.routeLifetimeMs).toBeGreaterThanOrEqual((d.spanningTree.max_tree_age as number) * 1000);
    expect(t.sendRetryJitterMs).toBeGreaterThan(0);
    const attempts = (t.sendRetryCount + 1) * (t.sendRetryDelayMs + t.sendRetryJitterMs);
    expect(t.duplicateWindowMs).toBeGreaterThanOrEqual(attempts);
    expect(t.outboundTtlMs).toBeGreaterThanOrEqual(attempts);
    // The upkeep answers and keeps neighbours the airtime-cheap way (tests/apps/lora-upkeep.test.ts).
    expect(d.spanningTree).toMatchObject({ route_on_assign: true, answer_broadcast_ms: d.beacon.answer_broadcast_ms });
    expect(d.beacon).toMatchObject({ any_frame_keeps_peer: true, start_count: 3, compact_frames: true });
    // One end-to-end retry: each resends on every hop of the path (docs/lora.md "Timings for LoRa").
    expect(t.sendRetryCount).toBe(1);
    // The first Gossip sync comes after the boot's tree exchange, not in the middle of it.
    expect((d.gossip.start_delay as number) * 1000).toBeGreaterThanOrEqual(4 * (d.spanningTree.tree_maintenance_delay as number));
  }
});
