/**
 * One chart (uPlot) per numeric column of each output stream, over ROWTIME, one line per value of the key column
 * the user picks (the ticker, say). Windowed outputs emit one row per key and window at the window's end, so
 * the lines meet at the same times; gaps are spanned.
 */
import uPlot from 'uplot';
import type { StreamInfo } from './api.js';

const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
/** Rows kept per stream for the charts, and lines drawn per chart at most (the keys seen most recently). */
const KEPT_ROWS = 3000;
const MAX_KEYS = 8;
const REDRAW_MS = 500;

interface Chart {
  readonly stream: string;
  readonly column: string;
  plot: uPlot | null;
  keys: string;
  readonly box: HTMLElement;
}

export class StreamCharts {
  private readonly rows = new Map<string, { t: number; r: Record<string, unknown> }[]>();
  private charts: Chart[] = [];
  private key = '';
  private lastDraw = 0;
  private dirty = false;

  constructor(
    private readonly parent: HTMLElement,
    private readonly keySelect: HTMLSelectElement,
  ) {
    keySelect.addEventListener('change', () => {
      this.key = keySelect.value;
      for (const c of this.charts) c.keys = '';
      this.dirty = true;
    });
  }

  /** (Re)builds the charts for these streams: the outputs, or every stream when none is an output. */
  setStreams(streams: readonly StreamInfo[]): void {
    for (const c of this.charts) c.plot?.destroy();
    this.parent.textContent = '';
    this.charts = [];
    const outputs = streams.filter((s) => s.output);
    const charted = outputs.length > 0 ? outputs : streams;
    const keyColumns = [...new Set(charted.flatMap((s) => s.columns.filter((c) => !c.numeric && c.type.startsWith('VARCHAR')).map((c) => c.name)))];
    this.keySelect.textContent = '';
    for (const k of ['', ...keyColumns]) this.keySelect.add(new Option(k === '' ? '(no grouping)' : k, k));
    this.key = keyColumns.includes(this.key) ? this.key : keyColumns[0] ?? '';
    this.keySelect.value = this.key;
    for (const s of charted) {
      for (const col of s.columns.filter((c) => c.numeric)) {
        const box = document.createElement('div');
        box.className = 'chart';
        box.dataset.stream = s.name;
        box.dataset.column = col.name;
        this.parent.append(box);
        this.charts.push({ stream: s.name, column: col.name, plot: null, keys: '', box });
      }
    }
    this.dirty = true;
  }

  add(stream: string, rows: readonly { t: number; r: Record<string, unknown> }[]): void {
    if (!this.charts.some((c) => c.stream === stream)) return;
    let kept = this.rows.get(stream);
    if (!kept) this.rows.set(stream, (kept = []));
    kept.push(...rows);
    if (kept.length > KEPT_ROWS) kept.splice(0, kept.length - KEPT_ROWS);
    this.dirty = true;
  }

  clear(): void {
    this.rows.clear();
    this.dirty = true;
  }

  /** Called once per animation frame; redraws at most every REDRAW_MS. */
  draw(now: number): void {
    if (!this.dirty || now - this.lastDraw < REDRAW_MS) return;
    this.dirty = false;
    this.lastDraw = now;
    for (const c of this.charts) this.drawChart(c);
  }

  private drawChart(c: Chart): void {
    const rows = this.rows.get(c.stream) ?? [];
    if (rows.length === 0) return;
    const keyOf = (r: Record<string, unknown>) => (this.key ? String(r[this.key] ?? 'NULL') : c.column);
    // The keys seen most recently, at most MAX_KEYS of them, in a stable (sorted) order.
    const recent: string[] = [];
    for (let i = rows.length - 1; i >= 0 && recent.length < MAX_KEYS; i--) {
      const k = keyOf(rows[i].r);
      if (!recent.includes(k)) recent.push(k);
    }
    recent.sort();
    const times = [...new Set(rows.map((r) => r.t))].sort((a, b) => a - b);
    const index = new Map(times.map((t, i) => [t, i]));
    const series = recent.map(() => new Array<number | null>(times.length).fill(null));
    for (const { t, r } of rows) {
      const s = recent.indexOf(keyOf(r));
      const v = r[c.column];
      if (s >= 0 && typeof v === 'number') series[s][index.get(t)!] = v;
    }
    const data: uPlot.AlignedData = [times.map((t) => t / 1000), ...series];
    const keys = recent.join('\u0000');
    const width = Math.max(240, c.box.clientWidth || 400);
    if (c.plot && c.keys === keys) {
      c.plot.setData(data);
      this.widenSingleTime(c.plot, times);
      return;
    }
    c.plot?.destroy();
    c.keys = keys;
    c.plot = new uPlot(
      {
        title: `${c.column} · ${c.stream}`,
        width,
        height: 170,
        scales: { x: { time: true } },
        legend: { live: false },
        series: [{ label: 'ROWTIME' }, ...recent.map((k, i) => ({ label: k, stroke: COLORS[i % COLORS.length], width: 1.5, spanGaps: true, points: { show: times.length < 60 } }))],
      },
      data,
      c.box,
    );
    this.widenSingleTime(c.plot, times);
  }

  /** One window so far would make a zero-width time range (uPlot then spans years): show a minute around it. */
  private widenSingleTime(plot: uPlot, times: readonly number[]): void {
    if (times.length === 1) plot.setScale('x', { min: times[0] / 1000 - 30, max: times[0] / 1000 + 30 });
  }
}
