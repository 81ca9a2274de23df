/**
 * The telemetry mod (mods/telemetry): its reading format, the collector's table, the publish
 * phase, and the app run through AppRunner on a virtual-clock mesh with one collector.
 */
import { AppMesh } from '../support/apps-mesh.js';
import { runApp, runUntil, type ModNode, type OptionsOf, type ScreenPage } from './support.js';
import telemetry from '../../mods/telemetry/telemetry.js';
import { decodeReading, encodeReading, type Reading } from '../../mods/telemetry/codec.js';
import { Collector } from '../../mods/telemetry/collector.js';
import { fromHex as hostFromHex } from '../../modules/mycelium/wire/bytes.js';
import { phaseMs } from '../../mods/telemetry/phase.js';
import { screenPages } from '../../modules/status/pages.js';
import { SCREEN_PAGE_OPTIONS } from '../../modules/status/screen.js';

const text = { encodeText: (s: string) => new TextEncoder().encode(s), decodeText: (b: Uint8Array) => new TextDecoder().decode(b) };
const ID = 'c0'.repeat(32);

describe('reading format', () => {
  test('a reading round-trips, with and without the optional fields', () => {
    const full: Reading = { node: ID, uptimeS: 86_400 * 40, freeHeap: 123_456, peers: 7, battery: 88, address: '12-1110::' };
    const bare: Reading = { node: ID, uptimeS: 0, peers: 0, address: '' };
    expect(decodeReading(encodeReading(full, text), text)).toEqual(full);
    expect(decodeReading(encodeReading(bare, text), text)).toEqual(bare);
  });

  test('the layout: version 1, id, u32 uptime, u32 heap (ffffffff unknown), peers, battery (255 unknown), address', () => {
    const bytes = encodeReading({ node: ID, uptimeS: 0x01020304, peers: 300, address: '1-1::' }, text);
    expect(bytes).toHaveLength(44 + 5);
    expect(bytes[0]).toBe(1);
    expect(bytes[1]).toBe(0xc0);
    expect([...bytes.subarray(33, 44)]).toEqual([1, 2, 3, 4, 255, 255, 255, 255, 255, 255, 5]); // peers clamped to 255
  });

  test('malformed readings decode to undefined and never throw', () => {
    const good = encodeReading({ node: ID, uptimeS: 5, freeHeap: 1000, peers: 2, battery: 50, address: '1-1::' }, text);
    const bad = [
      new Uint8Array(0),
      good.subarray(0, 43), // truncated before the address length
      good.subarray(0, good.length - 1), // truncated address
      Uint8Array.of(...good, 0), // trailing byte
      Uint8Array.of(2, ...good.subarray(1)), // unknown version
      (() => {
        const b = good.slice();
        b[42] = 101; // battery over 100 and not "unknown"
        return b;
      })(),
      Uint8Array.of(...good.subarray(0, 43), 49, ...new Uint8Array(49).fill(49)), // address over 48 bytes
    ];
    for (const b of bad) expect(decodeReading(b, text)).toBeUndefined();
    let seed = 7;
    for (let n = 0; n < 2000; n++) {
      const noise = new Uint8Array(n % 100).map(() => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24);
      if (noise.length) noise[0] = 1;
      expect(() => decodeReading(noise, text)).not.toThrow();
    }
  });
});

describe('collector and phase', () => {
  const reading = (n: number): Reading => ({ node: n.toString(16).padStart(64, '0'), uptimeS: n, peers: 1, address: '' });

  test('the collector keeps max_nodes, evicting the node heard longest ago', () => {
    const c = new Collector(3);
    c.add(reading(1), 100);
    c.add(reading(2), 200);
    c.add(reading(3), 300);
    c.add(reading(1), 400); // heard again: node 2 is now the stalest
    c.add(reading(4), 500);
    expect(c.size).toBe(3);
    expect(c.byId().map((h) => h.reading.uptimeS)).toEqual([1, 3, 4]);
    expect(c.recent(2).map((h) => h.reading.uptimeS)).toEqual([4, 1]);
  });

  test('the phase is fixed per node, inside the interval, and spreads nodes out', () => {
    const ids = Array.from({ length: 100 }, (_, n) => (n + 1).toString(16).padStart(2, '0') + '00'.repeat(30) + 'a5');
    const phases = ids.map((id) => phaseMs(id, 60_000));
    expect(phases.every((p) => p >= 0 && p < 60_000)).toBe(true);
    expect(phaseMs(ids[0], 60_000)).toBe(phases[0]);
    // 100 nodes over 60 one-second slots: no slot takes more than a handful.
    const slots = new Map<number, number>();
    for (const p of phases) slots.set(Math.floor(p / 1000), (slots.get(Math.floor(p / 1000)) ?? 0) + 1);
    expect(Math.max(...slots.values())).toBeLessThanOrEqual(6);
    expect(slots.size).toBeGreaterThan(40);
  });
});

/**
 * A 3×3 grid running telemetry every 10 s, node 0 collecting (unless `options` says otherwise).
 * Node i reports a battery of 50 + i % and (100 + i) KiB free, except node 8, which cannot tell.
 */
function telemetryGrid(options: OptionsOf = (i) => ({ interval_s: 10, collector: i === 0 })) {
  const mesh = new AppMesh({ seed: 4 });
  const known = (i: number, v: number) => (i === 8 ? undefined : v);
  const apps = runApp(mesh.grid(3, 3), telemetry, options, { battery: (i) => known(i, 50 + i), freeHeap: (i) => known(i, (100 + i) * 1024) });
  mesh.startAll();
  return { mesh, apps, collector: apps[0] };
}

const LINE = /^[0-9a-f]{8} \d+s up \S+ heap (\d+k|-) peers \d+ batt (\d+|-) addr \S+$/;

function listed(c: ModNode): string[] {
  return c.exec('telemetry').slice(1).map((l) => l.split(' ')[0]);
}

describe('telemetry on a 9-node mesh', () => {
  test('after a few intervals the collector lists every node, sorted by id', () => {
    const { mesh, apps, collector } = telemetryGrid();
    mesh.run(60_000);
    const out = collector.exec('telemetry');
    expect(out[0]).toBe('telemetry: 9 nodes');
    expect(out.slice(1)).toHaveLength(9);
    for (const l of out.slice(1)) expect(l).toMatch(LINE);
    expect(listed(collector)).toEqual(apps.map((a) => a.short).sort());
    // Node 4 is the grid's centre: 4 neighbours; readings are at most one interval old.
    const centre = out.find((l) => l.startsWith(apps[4].short)) as string;
    expect(centre).toMatch(/ heap 104k peers 4 batt 54 /);
    expect(Number(/ (\d+)s up/.exec(centre)?.[1])).toBeLessThanOrEqual(10);
    expect(out.find((l) => l.startsWith(apps[8].short))).toMatch(/ heap - peers 2 batt - /);
    expect(collector.screen?.title).toBe('Telemetry');
    expect(collector.screen?.lines[0]).toEqual({ label: 'nodes', value: '9 of 64' });
    // Four nodes, two rows each: id and age, then uptime and battery (or heap), all whole on the 135 px screen.
    const rows = collector.screen?.lines.slice(1) ?? [];
    expect(rows).toHaveLength(8);
    for (let i = 0; i < 8; i += 2) {
      expect(rows[i].label).toMatch(/^[0-9a-f]{8}$/);
      expect(rows[i].value).toMatch(/^\d+s ago$/);
      expect(rows[i + 1]).toEqual({ label: '', value: expect.stringMatching(/^up \d+[smhd](\d\d[smh])?( \d+%| \d+k)?$/) });
    }
    const laidOut = screenPages(apps[0].mesh.node.state(), [collector.screen as ScreenPage], SCREEN_PAGE_OPTIONS).at(-1);
    expect(laidOut?.lines).toEqual(collector.screen?.lines);
    const centreRow = rows.findIndex((r) => r.label === apps[4].short);
    if (centreRow >= 0) expect(rows[centreRow + 1].value).toMatch(/ 54%$/);
    expect(apps.flatMap((a) => a.failures)).toEqual([]);
  });

  test('uptime grows between readings, and a node\'s address shows once the tree gives it one', () => {
    const { mesh, apps, collector } = telemetryGrid();
    runUntil(mesh, () => mesh.converged(), 300_000);
    mesh.run(20_000);
    const first = collector.exec('telemetry').find((l) => l.startsWith(apps[8].short)) as string;
    mesh.run(30_000);
    const later = collector.exec('telemetry').find((l) => l.startsWith(apps[8].short)) as string;
    const up = (l: string) => /up (\S+)/.exec(l)?.[1];
    expect(up(later)).not.toBe(up(first));
    expect(later).toContain(` addr ${apps[8].mesh.packager.address?.toString()}`);
  });

  test('max_nodes bounds the table', () => {
    const { mesh, collector } = telemetryGrid((i) => ({ interval_s: 10, collector: i === 0, max_nodes: 4 }));
    mesh.run(60_000);
    const out = collector.exec('telemetry');
    expect(out[0]).toBe('telemetry: 4 nodes');
    expect(out.slice(1)).toHaveLength(4);
    expect(collector.screen?.lines[0]).toEqual({ label: 'nodes', value: '4 of 4' });
  });

  test('in a full table, a node that went quiet makes room for a newcomer', () => {
    const { mesh, apps, collector } = telemetryGrid((i) => ({ interval_s: 10, collector: i === 0, max_nodes: 9 }));
    mesh.run(60_000);
    expect(listed(collector)).toEqual(apps.map((a) => a.short).sort());
    const quiet = apps[8];
    quiet.runner.stop();
    quiet.mesh.node.stop();
    mesh.run(5_000);
    const [late] = mesh.addApps(1);
    mesh.wire(late, apps[7].mesh);
    const [newcomer] = runApp([late], telemetry, { interval_s: 10 });
    late.node.start();
    mesh.run(60_000);
    const expected = [...apps.slice(0, 8), newcomer].map((a) => a.short).sort();
    expect(collector.exec('telemetry')[0]).toBe('telemetry: 9 nodes');
    expect(listed(collector)).toEqual(expected);
  });

  test('a non-collector says how to collect; collect on/off switches at run time', () => {
    const { mesh, apps, collector } = telemetryGrid();
    const other = apps[5];
    mesh.run(30_000);
    expect(other.exec('telemetry')).toEqual(['telemetry: this node does not collect; "telemetry collect on" starts (or set the option collector: true)']);
    expect(other.screen).toBeUndefined();

    expect(collector.exec('telemetry collect off')).toEqual(['telemetry: not collecting']);
    expect(collector.exec('telemetry')[0]).toMatch(/does not collect/);
    expect(collector.screen).toBeUndefined();

    expect(other.exec('telemetry collect on')).toEqual(['telemetry: collecting on "telemetry" (up to 64 nodes)']);
    expect(other.exec('telemetry')).toEqual(['telemetry: 0 nodes']);
    mesh.run(30_000);
    expect(other.exec('telemetry')[0]).toBe('telemetry: 9 nodes');
    expect(collector.exec('telemetry')[0]).toMatch(/does not collect/);
    expect(other.exec('telemetry bogus')).toEqual(['usage: telemetry [collect on|off]']);
  });

  test('a reading sent straight to the collector, or a malformed one on the topic, is dropped and counted', () => {
    const { mesh, apps, collector } = telemetryGrid();
    mesh.run(30_000);
    const appId = collector.runner.handle?.apps[0].id as Uint8Array;
    const topic = hostFromHex([...(collector.runner.handle?.apps[0].topics.keys() ?? [])][0]) as Uint8Array;
    const fake = encodeReading({ node: 'ee'.repeat(32), uptimeS: 1, peers: 1, address: '' }, text);
    apps[1].mesh.packager.send(appId, fake, { nodeId: collector.mesh.node.nodeId });
    apps[1].mesh.gossip.publish(topic, Uint8Array.of(1, 2, 3));
    mesh.run(2000);
    const out = collector.exec('telemetry');
    expect(out[0]).toBe('telemetry: 9 nodes, 2 bad messages dropped');
    expect(out.some((l) => l.startsWith('eeeeeeee'))).toBe(false);
    expect(collector.failures).toEqual([]);
  });

  test('bad options stop the app with an error naming the option', () => {
    const mesh = new AppMesh();
    const cases: [Record<string, unknown>, string][] = [
      [{ interval_s: 2 }, 'TypeError: telemetry: option "interval_s" must be 5-86400 seconds, not 2'],
      [{ collector: 'yes' }, 'TypeError: telemetry: option "collector" must be true or false, not yes'],
      [{ max_nodes: 257 }, 'TypeError: telemetry: option "max_nodes" must be an integer 1-256, not 257'],
      [{ topic: 'x'.repeat(65) }, 'TypeError: telemetry: option "topic" must be a string of 1-64 characters'],
    ];
    for (const [options, error] of cases) {
      const [app] = runApp(mesh.addApps(1), telemetry, options);
      expect(app.runner.status).toEqual({ name: 'app0', state: 'failed', error });
    }
  });
});
