import { describe, expect, it } from 'vitest';
import { ProgressDisplay } from './progress-display.js';
import { RunMetrics } from '../../runtime/run-metrics.js';

function sink(isTTY: boolean) {
  const chunks: string[] = [];
  return { out: { isTTY, write: (t: string) => chunks.push(t) }, chunks };
}

describe('ProgressDisplay', () => {
  it('redraws one status line on a terminal, with rates since the last update', () => {
    const { out, chunks } = sink(true);
    const m = new RunMetrics(0);
    const d = new ProgressDisplay(out);
    m.recordsIn = 2000;
    m.userRecords = 50_000;
    m.rowsOut = 12;
    m.lagMs = 1500;
    d.update(m, 1000);
    expect(chunks[0]).toBe('\r\x1b[2Kin 2000 rec/s (2000)  de-aggregated 50.0k/s (50.0k)  rows out 12  windows 0  errors 0  lag 1.5s');
    d.message('results in output/analytics-bucket', 1000);
    expect(chunks[1]).toBe('\r\x1b[2Kresults in output/analytics-bucket\n');
  });
  it('writes JSON lines when not on a terminal or with json', () => {
    for (const [tty, json] of [[false, false], [true, true]] as const) {
      const { out, chunks } = sink(tty);
      const m = new RunMetrics(0);
      m.errors = 3;
      new ProgressDisplay(out, { json }).update(m, 2000);
      const o = JSON.parse(chunks[0]);
      expect(o).toMatchObject({ level: 'INFO', message: 'progress', errors: 3, elapsedMs: 2000 });
    }
  });
});
