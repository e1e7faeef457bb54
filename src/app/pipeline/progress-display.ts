/**
 * Shows a running pipeline's progress: a live status line on a terminal, or one JSON log line per interval
 * (with --json, or when the output is not a terminal, so logs stay machine-readable).
 */
import type { RunMetrics } from '../../runtime/run-metrics.js';

export interface ProgressOutput {
  write(text: string): unknown;
  isTTY?: boolean;
}

export class ProgressDisplay {
  readonly json: boolean;
  private lineShown = false;

  constructor(
    private readonly out: ProgressOutput,
    options: { json?: boolean } = {},
  ) {
    this.json = options.json === true || out.isTTY !== true;
  }

  /** One update: called about twice a second on a terminal, every few seconds for JSON logs. */
  update(metrics: RunMetrics, now: number): void {
    const rates = metrics.sample(now);
    if (this.json) {
      this.out.write(`${JSON.stringify({ time: new Date(now).toISOString(), level: 'INFO', message: 'progress', ...metrics.snapshot(now), recordsPerSecond: Math.round(rates.recordsPerSecond), userRecordsPerSecond: Math.round(rates.userRecordsPerSecond) })}\n`);
      return;
    }
    const line = progressLine({ ...metrics.snapshot(now), ...rates });
    // \r + clear-to-end-of-line redraws the status in place.
    this.out.write(`\r\x1b[2K${line}`);
    this.lineShown = true;
  }

  /** A message above the status line (e.g. "results in output/..."). */
  message(text: string, now: number = Date.now()): void {
    if (this.json) {
      this.out.write(`${JSON.stringify({ time: new Date(now).toISOString(), level: 'INFO', message: text })}\n`);
      return;
    }
    this.out.write(`${this.lineShown ? '\r\x1b[2K' : ''}${text}\n`);
    this.lineShown = false;
  }

  finish(): void {
    if (!this.json && this.lineShown) this.out.write('\n');
    this.lineShown = false;
  }
}

/** The figures of one status line: a RunMetrics snapshot and the rates since the previous update. */
export interface ProgressFigures {
  readonly recordsPerSecond: number;
  readonly userRecordsPerSecond: number;
  readonly recordsIn?: number;
  readonly userRecords?: number;
  readonly rowsOut?: number;
  readonly windowsEmitted?: number;
  readonly errors?: number;
  readonly lagMs?: number;
}

/** The terminal's status line; the studio shows the same text. */
export function progressLine(f: ProgressFigures): string {
  const lag = f.lagMs === undefined || f.lagMs === null ? '-' : `${(f.lagMs / 1000).toFixed(1)}s`;
  return (
    `in ${fmt(f.recordsPerSecond)} rec/s (${fmt(f.recordsIn ?? 0)})  ` +
    `de-aggregated ${fmt(f.userRecordsPerSecond)}/s (${fmt(f.userRecords ?? 0)})  rows out ${fmt(f.rowsOut ?? 0)}  ` +
    `windows ${fmt(f.windowsEmitted ?? 0)}  errors ${fmt(f.errors ?? 0)}  lag ${lag}`
  );
}

function fmt(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(1)}k`;
  return String(Math.round(n));
}
