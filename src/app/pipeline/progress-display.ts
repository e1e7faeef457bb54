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
    const lag = metrics.lagMs === undefined ? '-' : `${(metrics.lagMs / 1000).toFixed(1)}s`;
    const line =
      `in ${fmt(rates.recordsPerSecond)} rec/s (${fmt(metrics.recordsIn)})  ` +
      `de-aggregated ${fmt(rates.userRecordsPerSecond)}/s (${fmt(metrics.userRecords)})  rows out ${fmt(metrics.rowsOut)}  ` +
      `windows ${fmt(metrics.windowsEmitted)}  errors ${fmt(metrics.errors)}  lag ${lag}`;
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

function fmt(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(1)}k`;
  return String(Math.round(n));
}
