/**
 * Progress of a run: a bar (cli-progress) when the stream is a terminal, else a line every 10 %
 * of simulated time, so CI logs and pipes still show that a long run is moving.
 */
import cliProgress from 'cli-progress';

export interface Progress {
  readonly update: (simulatedMs: number, totalMs: number) => void;
  /**
   * What the run does before simulated time starts (layout search, world build): on a terminal in
   * place until the bar starts; in a log only once the run has taken a second, so small runs stay
   * quiet and a 10,000-node build still shows it is moving.
   */
  readonly phase: (text: string) => void;
  /** Print a line without breaking the bar. */
  readonly log: (line: string) => void;
  readonly stop: () => void;
}

export function createProgress(stream: NodeJS.WriteStream, label: string): Progress {
  const started = performance.now();
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream,
        // cli-progress estimates the ETA from how fast simulated time has been advancing.
        format: `${label} [{bar}] {percentage}% | {sim} simulated | {wall} s wall | ETA {eta_formatted}`,
        etaBuffer: 50,
        hideCursor: true,
        clearOnComplete: true,
      },
      cliProgress.Presets.shades_classic,
    );
    let begun = false;
    return {
      phase: (text) => {
        if (!begun) stream.write(`\r\x1b[K${label}: ${text}`);
      },
      update: (sim, total) => {
        const payload = { sim: formatDuration(sim), wall: ((performance.now() - started) / 1000).toFixed(1) };
        if (!begun) {
          bar.start(total, sim, payload);
          begun = true;
        } else {
          bar.update(sim, payload);
        }
      },
      log: (line) => {
        stream.write(`\r\x1b[K${line}\n`);
        if (begun) bar.render();
      },
      stop: () => {
        if (begun) bar.stop();
      },
    };
  }
  let nextTenth = 1;
  return {
    phase: (text) => {
      const wallS = (performance.now() - started) / 1000;
      if (wallS >= 1) stream.write(`${label}: ${text} (${wallS.toFixed(1)} s wall)\n`);
    },
    update: (sim, total) => {
      while (total > 0 && sim >= (nextTenth * total) / 10 && nextTenth <= 10) {
        const wallS = (performance.now() - started) / 1000;
        stream.write(`${label}: ${nextTenth * 10}% (${formatDuration(sim)} simulated, ${wallS.toFixed(1)} s wall${etaText(sim, total, wallS)})\n`);
        nextTenth++;
      }
    },
    log: (line) => stream.write(`${line}\n`),
    stop: () => {},
  };
}

/** ", ETA 12 s": the wall time left at the pace so far (nothing at the end or before any progress). */
export function etaText(sim: number, total: number, wallS: number): string {
  if (sim <= 0 || sim >= total) return '';
  return `, ETA ${Math.ceil((wallS * (total - sim)) / sim)} s`;
}

/** 125000 → "2 min 5 s". */
export function formatDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${(ms / 1000).toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}
