import { DutyCycle, EXACT_LIMIT } from '../../simulator/medium/duty-cycle.js';
import { ESPNOW_PROFILE } from '../../simulator/medium/profiles.js';
import { ASLEEP, OFF, ON, RadioTime } from '../../simulator/medium/radio-time.js';
import { buildWorld } from '../../simulator/scenario/build.js';
import { validateScenario } from '../../simulator/scenario/validate.js';
import { scenario, world } from './helpers.js';

describe('radio state time on a hand-made timeline (exact ms)', () => {
  test('transmit, receive, sleep, off and listen add up to the node’s life', () => {
    const t = new RadioTime();
    t.add(0);
    t.add(0);
    t.transmit(0, 10, 20);
    t.receive(1, 10, 20);
    t.receive(0, 15, 30); // node 0 hears nothing while it transmits: rx only 20..30
    t.setPower(1, ASLEEP, 50);
    t.receive(1, 60, 70); // asleep: not received
    t.setPower(1, ON, 80);
    t.setPower(1, OFF, 90);
    t.setPower(1, ON, 95);
    t.receive(1, 100, 110);
    t.setPower(1, ASLEEP, 105); // mid-frame: only 100..105 was received
    expect(t.times(0, 200)).toEqual({ txMs: 10, rxMs: 10, listenMs: 180, sleepMs: 0, offMs: 0 });
    expect(t.times(1, 200)).toEqual({ txMs: 0, rxMs: 15, listenMs: 55, sleepMs: 30 + 95, offMs: 5 });
  });

  test('a transmission takes over a reception it overlaps; a snapshot leaves out what is still ahead', () => {
    const t = new RadioTime();
    t.add(0);
    t.receive(0, 300, 310);
    t.transmit(0, 305, 320);
    expect(t.times(0, 312)).toEqual({ txMs: 7, rxMs: 5, listenMs: 300, sleepMs: 0, offMs: 0 });
    expect(t.times(0, 400)).toEqual({ txMs: 15, rxMs: 5, listenMs: 380, sleepMs: 0, offMs: 0 });
  });

  test('overlapping receptions count once', () => {
    const t = new RadioTime();
    t.add(0);
    t.receive(0, 0, 10);
    t.receive(0, 5, 12);
    t.receive(0, 6, 8);
    expect(t.times(0, 20).rxMs).toBe(12);
  });

  test('going down mid-transmission ends the transmission there, for the duty cycle too', () => {
    const t = new RadioTime();
    t.add(0);
    t.transmit(0, 0, 100);
    t.setPower(0, OFF, 40);
    t.setPower(0, ON, 60);
    expect(t.times(0, 100)).toEqual({ txMs: 40, rxMs: 0, listenMs: 40, sleepMs: 0, offMs: 20 });
    expect(t.duty(0, 100).totalMs).toBe(40);
  });
});

describe('duty cycle over a sliding hour', () => {
  const S = 1000;
  test('the largest hour-window sum, exact when the window starts on a bucket edge', () => {
    const d = new DutyCycle();
    d.add(0, 20 * S);
    d.add(3590 * S, 3600 * S); // window [0, 3600 s]: 20 + 10
    d.add(3605 * S, 3610 * S); // window [10 s, 3610 s]: 10 + 10 + 5
    expect(d.maxWindowMs).toBe(30 * S);
    expect(d.total).toBe(35 * S);
  });

  test('a window starting inside a bucket is still exact when the bucket was busy to its end', () => {
    const d = new DutyCycle();
    d.add(5 * S, 20 * S); // window [0, 20 s]: 15
    d.add(3605 * S, 3612 * S); // window [12 s, 3612 s]: 8 + 7 = 15 (its 10-s bucket holds 10)
    expect(d.maxWindowMs).toBe(15 * S);
    d.add(3615 * S, 3650 * S); // window [50 s, 3650 s]: 7 + 35 = 42
    expect(d.maxWindowMs).toBe(42 * S);
  });

  test('exact when a 10-s bucket holds transmissions on both sides of the window start', () => {
    const d = new DutyCycle();
    d.add(3 * S, 4 * S);
    d.add(8 * S, 9 * S);
    expect(d.maxWindowMs).toBe(2 * S);
    // Window [8 s, 3608 s]: 1 s (8–9 s) + 2.5 s. The buckets alone bound it by 4.5 s.
    d.add(3605.5 * S, 3608 * S);
    expect(d.maxWindowMs).toBe(3.5 * S);
    expect(d.exact).toBe(true);
  });

  test('beyond EXACT_LIMIT transmissions in an hour, the bucket bound (never below the truth)', () => {
    const d = new DutyCycle();
    for (let k = 0; k <= EXACT_LIMIT; k++) d.add(k * 100, k * 100 + 10);
    expect(d.exact).toBe(false);
    expect(d.maxWindowMs).toBeGreaterThanOrEqual((EXACT_LIMIT + 1) * 10);
  });

  test('hours apart, earlier transmissions leave the window', () => {
    const d = new DutyCycle();
    d.add(0, 30 * S);
    d.add(10 * 3600 * S, 10 * 3600 * S + 5 * S);
    expect(d.maxWindowMs).toBe(30 * S);
    expect(d.total).toBe(35 * S);
  });

  test('within the first hour, totals only give the figures that keeping every interval gives', () => {
    const kept = new DutyCycle();
    const totals = new DutyCycle();
    totals.totalsOnly();
    // 30,000 frames in 50 minutes: past EXACT_LIMIT, where the kept intervals turn into buckets.
    for (let k = 0; k < 30_000; k++) {
      const start = k * 100 + (k % 7);
      kept.add(start, start + 3.25);
      totals.add(start, start + 3.25);
    }
    expect(totals.total).toBe(kept.total);
    expect(totals.maxWindowMs).toBe(totals.total);
    expect(kept.maxWindowMs).toBeCloseTo(kept.total, 6); // no window starts after 0 yet
    expect(totals.exact).toBe(true);
  });

  test('a run shorter than an hour reports the same duty cycle with totals only', () => {
    const run = (totalsOnly: boolean): number[] => {
      const t = new RadioTime();
      t.add(0);
      t.add(0);
      if (totalsOnly) t.totalsOnly();
      t.add(0); // a node added later (an external node through the hub) follows the mode
      for (let k = 0; k < 500; k++) for (let i = 0; i < 3; i++) t.transmit(i, k * 1000 + i * 100, k * 1000 + i * 100 + 2 + i);
      return [0, 1, 2].flatMap((i) => Object.values(t.duty(i, 600 * S)));
    };
    expect(run(true)).toEqual(run(false));
  });
});

describe('the medium feeds the radio time', () => {
  test('a broadcast is tx for its sender and rx for each radio on in reach; a sleeping one stays asleep', () => {
    const { clock, medium, line } = world({ loss: { model: 'unit-disk', range: 100 } });
    const [a] = line(0, 50, 60, 500);
    medium.sleep(2, 1000);
    a.broadcast(new Uint8Array(100));
    clock.advance(1000);
    const air = ESPNOW_PROFILE.airtimeMs(100);
    const at = (i: number) => medium.radioTime.times(i, 1000);
    expect(at(0).txMs).toBeCloseTo(air, 9);
    expect(at(1).rxMs).toBeCloseTo(air, 9);
    expect(at(2)).toEqual({ txMs: 0, rxMs: 0, listenMs: 0, sleepMs: 1000, offMs: 0 });
    expect(at(3)).toEqual({ txMs: 0, rxMs: 0, listenMs: 1000, sleepMs: 0, offMs: 0 }); // out of reach
    medium.setUp(3, false);
    clock.advance(500);
    expect(medium.radioTime.times(3, 1500)).toEqual({ txMs: 0, rxMs: 0, listenMs: 1000, sleepMs: 0, offMs: 500 });
  });

  test('each link-layer retry of a lost unicast is another airtime on air', () => {
    const { clock, medium, line } = world({ loss: { model: 'unit-disk', range: 100, baseLoss: 0.999 } });
    const [a, b] = line(0, 50);
    a.send(b.mac, new Uint8Array(10));
    clock.advance(100);
    const air = ESPNOW_PROFILE.airtimeMs(10);
    expect(medium.radioTime.times(0, 100).txMs).toBeCloseTo(8 * air, 9); // 1 + 7 retries, all lost
    expect(medium.radioTime.times(0, 100).txMs).toBeCloseTo(medium.nodeStats(0).airtimeMs, 9);
  });
});

describe('scenario radio power fields', () => {
  const base = { name: 't', duration_ms: 1000, topology: { line: { n: 2, spacing: 50 } } };

  test('defaults come from the interface; a partial current profile keeps the other states', () => {
    const esp = scenario(base).radio;
    expect(esp).toMatchObject({ current_ma: { tx: 240, rx: 100, listen: 100, sleep: 27 }, supply_v: 3.3, duty_cycle_limit: null, link_retries: 7 });
    const lora = scenario({ ...base, interface: 'rylr998' }).radio;
    expect(lora).toMatchObject({ duty_cycle_limit: 0.01, link_retries: 0 });
    expect(scenario({ ...base, radio: { current_ma: { tx: 200 } } }).radio.current_ma).toEqual({ tx: 200, rx: 100, listen: 100, sleep: 27 });
    expect(scenario({ ...base, interface: 'rylr998', radio: { duty_cycle_limit: null } }).radio.duty_cycle_limit).toBeNull();
  });

  test('typos and impossible values are errors', () => {
    const r = validateScenario({
      ...base,
      interface: 'rylr998',
      radio: { current_ma: { txx: 1, rx: -1 }, supply_v: 0, duty_cycle_limit: 2, link_retries: 3 },
    });
    expect(r.ok).toBe(false);
    const errors = r.ok ? [] : r.errors.join('\n');
    expect(errors).toContain('radio.current_ma.txx: unknown field');
    expect(errors).toContain('radio.current_ma.rx: must be a number ≥ 0');
    expect(errors).toContain('radio.supply_v: must be a number > 0');
    expect(errors).toContain('radio.duty_cycle_limit: must be a number > 0 and ≤ 1');
    expect(errors).toContain('radio.link_retries: must be 0 for "rylr998"');
  });

  test('radio.room_notices is a RYLR-998 switch, absent unless set', () => {
    expect(scenario({ ...base, interface: 'rylr998' }).radio.room_notices).toBeUndefined();
    expect(scenario({ ...base, interface: 'rylr998', radio: { room_notices: true } }).radio.room_notices).toBe(true);
    const esp = validateScenario({ ...base, radio: { room_notices: true } });
    expect(esp.ok ? [] : esp.errors.join('\n')).toContain('radio.room_notices: is for "rylr998" only');
    const odd = validateScenario({ ...base, interface: 'rylr998', radio: { room_notices: 1 } });
    expect(odd.ok ? [] : odd.errors.join('\n')).toContain('radio.room_notices: must be true or false');
  });

  test('radio.link_retries replaces the profile’s retry count in the medium', () => {
    const built = (radio: object) => {
      const w = buildWorld(scenario({ ...base, radio }));
      if (!w.ok) throw new Error(w.error);
      return w.world.medium.profile.linkRetries;
    };
    expect(built({})).toBe(7);
    expect(built({ link_retries: 2 })).toBe(2);
    expect(built({ link_retries: 0 })).toBe(0);
  });
});

test('power states are distinct numbers', () => {
  expect(new Set([OFF, ASLEEP, ON]).size).toBe(3);
});
