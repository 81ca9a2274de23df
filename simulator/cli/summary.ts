/** The readable end of a run: a few tables (cli-table3) of what a user asks first. */
import Table from 'cli-table3';
import type { RunReport } from '../runner/run.js';
import { churnRow, rootsAtEnd } from './churn-rows.js';
import { formatDuration } from './progress.js';
import { radioRows } from './radio-summary.js';

export interface SummaryContext {
  readonly wallMs: number;
  readonly runner: string;
  readonly reportPath: string | undefined;
}

export function printSummary(out: NodeJS.WritableStream, r: RunReport, c: SummaryContext): void {
  const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
  const ms = (x: number) => `${x.toFixed(1)} ms`;
  const t = new Table({ head: [`${r.scenario} — seed ${r.seed}`, ''], style: { head: [], border: [] } });
  t.push(
    ['nodes', String(r.nodes)],
    ['simulated', `${formatDuration(r.simulated_ms)} in ${(c.wallMs / 1000).toFixed(2)} s wall (${c.runner})`],
    ['converged', r.converged_ms === null ? 'never' : `at ${formatDuration(r.converged_ms)}${r.converged_at_end ? '' : ' (not at the end)'}`],
    // Only when it says more than `converged`: a mesh past 32 levels settles as trees joined by borders.
    ...(r.joined_ms !== null && r.joined_ms !== r.converged_ms ? [['joined by borders', `at ${formatDuration(r.joined_ms)}${r.joined_at_end ? '' : ' (not at the end)'}`]] : []),
    ['roots at end', rootsAtEnd(r)],
    ['messages delivered', `${r.delivered} / ${r.sent} (${pct(r.delivery_ratio)}), ${r.duplicates} duplicates${r.misdelivered ? `, ${r.misdelivered} misdelivered` : ''}`],
    ['latency p50 / p95 / max', `${ms(r.latency_ms.p50)} / ${ms(r.latency_ms.p95)} / ${ms(r.latency_ms.max)}`],
    ['ping answers', `${r.round_trips.answered} (${pct(r.round_trips.ratio)}), rtt p50 ${ms(r.round_trips.rtt_ms.p50)}`],
    ['hops (mean) / stretch', `${r.hops_mean} / ${r.stretch_mean}`],
    ['control bytes per node per min', r.control_bytes_per_node_per_min.toFixed(0)],
    ['frames on air / airtime', `${r.frames.sent} / ${formatDuration(r.frames.airtime_ms)}`],
    ...radioRows(r),
  );
  const heap = (r.engine as { heap?: { mean_slots: number; mean_slot_bytes_64bit: number; mean_slot_bytes_esp32_estimate: number } } | undefined)?.heap;
  if (heap) {
    t.push(['XS heap per node (mean)', `${heap.mean_slots.toFixed(0)} slots = ${(heap.mean_slot_bytes_64bit / 1024).toFixed(0)} KB here, ≈ ${(heap.mean_slot_bytes_esp32_estimate / 1024).toFixed(0)} KB on ESP32`]);
  }
  const sf = r.store_forward;
  if (sf) {
    // Store and forward (docs/store-forward.md): arrivals, and what the senders were told.
    const s = sf.statuses;
    t.push(
      ['held messages delivered after return', `${sf.delivered_after_return} / ${sf.held} (${pct(sf.held_delivery_ratio)}), ${sf.duplicates} duplicates, ${sf.outstanding} outstanding`],
      ['held: senders last heard', `queued ${s.queued}, in custody ${s.in_custody}, delivered ${s.delivered}, expired ${s.expired}, evicted ${s.evicted}`],
      ['held: largest store', `${sf.storage_peak.count} bundles / ${sf.storage_peak.bytes} B${sf.storage_peak.node === null ? '' : ` (node ${sf.storage_peak.node})`}`],
    );
  }
  for (const e of r.reconvergence) t.push(churnRow(e));
  out.write(`${t.toString()}\n`);
  const skipped = Object.entries(r.skipped).filter(([, n]) => n > 0);
  // Flows' and apps' sends the source refused (send_failed holds the flows' alone).
  const failed = Object.entries(r.drops.refused ?? r.send_failed);
  const medium = Object.entries(r.drops.medium).filter(([, n]) => n > 0);
  const packager = Object.entries(r.drops.packager);
  if (skipped.length + failed.length + medium.length + packager.length > 0) {
    const d = new Table({ head: ['where', 'why', 'count'], style: { head: [], border: [] } });
    for (const [k, n] of skipped) d.push(['not sent', k, String(n)]);
    for (const [k, n] of failed) d.push(['refused at source', k, String(n)]);
    for (const [k, n] of medium) d.push(['radio medium', k, String(n)]);
    for (const [k, n] of packager) d.push(['packager', k, String(n)]);
    out.write(`${d.toString()}\n`);
  }
  printApps(out, r);
  if (c.reportPath) out.write(`report: ${c.reportPath}\n`);
}

/** The scenario's mesh apps (one row each) and its console commands with what they printed. */
function printApps(out: NodeJS.WritableStream, r: RunReport): void {
  const apps = Object.entries(r.apps ?? {});
  if (apps.length > 0) {
    const ms = (x: number) => `${x.toFixed(1)} ms`;
    const t = new Table({ head: ['app', 'nodes', 'sent', 'delivered', 'latency p50 / p95', 'hops', 'failed'], style: { head: [], border: [] } });
    for (const [name, a] of apps) {
      const sent = (['send', 'publish', 'broadcast'] as const).filter((h) => a.sent[h] > 0).map((h) => `${a.sent[h]} ${h}`);
      if (a.refused > 0) sent.push(`${a.refused} refused`);
      t.push([
        name,
        String(a.nodes),
        sent.join(', ') || '0',
        a.expected > 0 ? `${a.delivered} / ${a.expected} (${(a.delivery_ratio * 100).toFixed(2)} %)` : '-',
        a.delivered > 0 ? `${ms(a.latency_ms.p50)} / ${ms(a.latency_ms.p95)}` : '-',
        a.hops_mean === null ? '-' : `${a.hops_mean} (max ${a.hops_max})`,
        a.failed > 0 ? `${a.failed}: ${a.errors[0]?.error ?? ''}` : '0',
      ]);
    }
    out.write(`${t.toString()}\n`);
  }
  for (const c of r.console ?? []) {
    out.write(`[${formatDuration(c.at_ms)}] n${c.node}> ${c.line}\n`);
    for (const line of c.output) out.write(`  ${line}\n`);
  }
}
