/**
 * bench:mesh's table (bench/mesh-targets.ts): each target reads the report's own figures, a
 * scenario that is not shipped shows as missing, and the steady-state control figure is the
 * second half of the run only when the cut run really is its prefix.
 */
import { meshRows, steadyControl, type MeshReport } from '../../bench/mesh-targets.js';

const window = (sent: number, delivered: number) => ({ sent, delivered, ratio: sent ? delivered / sent : null });

function report(over: Partial<MeshReport>): MeshReport {
  return {
    scenario: 'x',
    nodes: 2,
    sent: 100,
    delivered: 100,
    delivery_ratio: 1,
    duplicates: 0,
    converged_ms: 30_000,
    simulated_ms: 600_000,
    control_bytes_per_node_per_min: 5000,
    reconvergence: [],
    per_node: [{ control_bytes: 0 }, { control_bytes: 0 }],
    series: { bucket_ms: 10_000, frames_on_air: [] },
    ...over,
  };
}

const kill = (reconverge_ms: number | null, during: [number, number]) => ({
  event_ms: 120_000,
  action: 'root_kill',
  converged_ms: reconverge_ms === null ? null : 120_000 + reconverge_ms,
  reconverge_ms,
  peak_roots: 3,
  parts: 1,
  delivery: { before: window(10, 10), during: window(...during), after: null },
});

test('root kill: met only with a stable tree within 10 s and ≥ 95 % delivered during the repair', () => {
  const rows = meshRows({
    'root-kill-random-64': { report: report({ reconvergence: [kill(8000, [40, 39])] }) },
    'root-kill-grid-100': { report: report({ reconvergence: [kill(8000, [40, 30])] }) },
  });
  expect(rows.map((r) => [r.scenario, r.met])).toEqual([
    ['root-kill-random-64', true],
    ['root-kill-grid-100', false],
  ]);
  expect(rows[0].figures).toBe('stable tree after 8 s, peak 3 roots; during repair 97.5 % (39/40)');
  expect(meshRows({ 'root-kill-random-64': { report: report({ reconvergence: [kill(null, [40, 40])] }) } })[0].met).toBe(false);
});

test('a scenario not shipped is "missing"; churn needs zero duplicates as well as delivery', () => {
  const rows = meshRows({
    'blob-lossy-10': { missing: true },
    'churn-100': { report: report({ delivered: 99, delivery_ratio: 0.99, duplicates: 1 }) },
    'lossy-50': { skipped: true },
  });
  expect(rows.map((r) => [r.scenario, r.figures, r.met])).toEqual([
    ['blob-lossy-10', 'missing (no scenario file)', null],
    ['churn-100', '99.0 % delivered (99/100), 1 duplicate', false],
  ]);
});

test('steady control bytes: the second half of the run, only when the cut run is its prefix', () => {
  const head = report({ simulated_ms: 300_000, per_node: [{ control_bytes: 9000 }, { control_bytes: 11_000 }], series: { bucket_ms: 10_000, frames_on_air: [5, 6, 7] } });
  const full = report({ simulated_ms: 600_000, per_node: [{ control_bytes: 10_000 }, { control_bytes: 12_000 }], series: { bucket_ms: 10_000, frames_on_air: [5, 6, 9, 9, 9, 9] } });
  // 2,000 more bytes over 2 nodes and 5 minutes.
  expect(steadyControl(full, head)).toBe(200);
  expect(steadyControl({ ...full, series: { bucket_ms: 10_000, frames_on_air: [5, 7, 9, 9] } }, head)).toBeNull();
  const [row] = meshRows({ 'steady-100': { report: full, head } });
  expect(row.figures).toBe('200 B per node per minute in steady state (5–10 min); 5,000 B over the whole run');
  expect(row.met).toBe(true);
});
