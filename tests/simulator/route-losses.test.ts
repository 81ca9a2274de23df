/**
 * scripts/route-losses.mjs's tracer on a square of four nodes (0 1 / 2 3, no diagonals): pings
 * 0 → 3 every second go through node 2 with this seed. Untouched, nothing is lost; with the link
 * 2–3 cut at 40 s, the pings node 2 still sends to 3 until it notices are lost to the cut (on
 * hop 2, or 3 for a resend that went round by node 1), not to a loop or a drop.
 */
import { returned, routeTracer } from '../../scripts/lib/route-trace.mjs';
import { runScenario } from '../../simulator/runner/run.js';
import { InprocDriver } from '../../simulator/runner/inproc-driver.js';
import { memoHashes } from '../../simulator/platform/hash-memo.js';
import { nodeHashes } from '../../simulator/platform/node-hashes.js';
import { SimNodeApps } from '../../simulator/runner/sim-node.js';
import { parseScenario } from '../../simulator/scenario/load.js';
import { parsePacket } from '../../modules/mycelium/wire/packet.js';
import { Address } from '../../modules/mycelium/wire/address.js';
import { PingOp } from '../../modules/mycelium/wire/messages/ping.js';

const trace = routeTracer({ runScenario, InprocDriver, memoHashes, nodeHashes, SimNodeApps, parsePacket, Address, PingOp });

function square(churn: unknown[]): unknown {
  const loaded = parseScenario(
    JSON.stringify({
      name: 'square',
      seed: 1,
      duration_ms: 60_000,
      interface: 'espnow',
      radio: { model: 'unit-disk', range: 100 },
      topology: { grid: { rows: 2, cols: 2, spacing: 80 } },
      churn,
      traffic: [{ pairs: [[0, 3]], kind: 'ping', size: 16, interval_ms: 1000, start_ms: 20_000, metric: 'dTree' }],
    }),
  );
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  return loaded.scenario;
}

describe('route-losses tracer', () => {
  test('a run that delivers everything shows no losses', async () => {
    const row = await trace(square([]), { examples: 3 });
    expect(row.sent).toBeGreaterThan(30);
    expect(row.delivered).toBe(row.sent);
    expect(row).toMatchObject({ lost: 0, no_frame: 0, loop: 0, held_in_target_tree: 0, held_in_other_tree: 0, late: 0, radio: {}, refused: {}, lost_on_hop: {} });
    expect(row.examples).toEqual([]);
  });

  test('a cut link loses the messages on that hop, to the cut', async () => {
    const row = await trace(square([{ at_ms: 40_000, action: 'link_cut', a: 2, b: 3 }]), { examples: 1 });
    expect(row.lost).toBeGreaterThan(0);
    expect(row.radio).toEqual({ cut: row.lost });
    // Hop 2 (0 → 2 → cut), or 3 when the origin's resend went around node 2 through node 1 and
    // came back to it (docs/routing.md "Resends go another way"): never a hop before the cut.
    const hops = row.lost_on_hop as Record<string, number>;
    expect(Object.keys(hops).every((h) => Number(h) >= 2)).toBe(true);
    expect(Object.values(hops).reduce((a, b) => a + b, 0)).toBe(row.lost);
    expect(row).toMatchObject({ no_frame: 0, loop: 0, held_in_target_tree: 0, held_in_other_tree: 0 });
    const [example] = row.examples;
    expect(example).toMatchObject({ class: 'radio:cut', src: 0, dst: 3, holder: { index: 2 } });
    expect(example.path.slice(0, 2)).toEqual([0, 2]);
    expect(example.last_hops.at(-1)).toMatchObject({ from: 2, to: 3, outcome: 'cut' });
    // The holder's neighbours in the target's tree: nodes 0 and 3 (3 across the cut link).
    expect(example.holder.neighbours.length).toBeGreaterThan(0);
  });
});

describe('loops', () => {
  test('a node on the path the message came by receiving it again closes a loop', () => {
    const m = { firstFrom: new Map([[0, -1]]) };
    expect(returned(m, 0, 1)).toBe(false);
    expect(returned(m, 1, 2)).toBe(false);
    expect(returned(m, 2, 0)).toBe(true); // back at the source
    const n = { firstFrom: new Map([[0, -1]]) };
    [returned(n, 0, 1), returned(n, 1, 2), returned(n, 2, 3)].forEach((r) => expect(r).toBe(false));
    expect(returned(n, 3, 1)).toBe(true); // 1 → 2 → 3 → 1
  });

  test('a hop resent, or a copy arriving again by another path, is no loop', () => {
    const m = { firstFrom: new Map([[0, -1]]) };
    expect(returned(m, 0, 1)).toBe(false);
    expect(returned(m, 0, 1)).toBe(false); // the source resent its hop
    expect(returned(m, 0, 2)).toBe(false);
    expect(returned(m, 1, 3)).toBe(false);
    expect(returned(m, 2, 3)).toBe(false); // 3 again, along 0 → 2 → 3
  });
});
