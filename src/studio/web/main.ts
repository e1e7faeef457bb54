/**
 * The studio page: the SQL editor, one tab per in-application stream (plus error_stream and the input), charts of
 * the output streams and the run's progress, all fed by one server-sent-event stream.
 */
import 'uplot/dist/uPlot.min.css';
import './studio.css';
import { progressLine } from '../../app/pipeline/progress-display.js';
import { api, type Diagnostic, type StreamInfo, type StudioState } from './api.js';
import { InputView } from './input-view.js';
import { RowTable } from './row-table.js';
import { createSqlEditor } from './sql-editor.js';
import { StreamCharts } from './stream-charts.js';

const ERROR_STREAM = 'error_stream';
const INPUT_TAB = '(input)';
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

class StudioPage {
  private tables = new Map<string, RowTable>();
  private active = '';
  private readonly charts = new StreamCharts($('charts'), $<HTMLSelectElement>('chart-key'));
  private readonly input: InputView;
  private readonly editor;

  constructor(private state: StudioState) {
    this.input = new InputView(state.input);
    this.editor = createSqlEditor({
      doc: state.sql,
      parent: $('editor'),
      validate: async (sql) => (await api.validate(sql)).diagnostics,
      onDiagnostics: (d) => this.showDiagnostics(d),
      onSave: () => void this.save(),
    });
    $('save').addEventListener('click', () => void this.save());
    this.setStreams(state.streams);
    this.listen();
    const frame = (now: number) => {
      for (const t of this.tables.values()) t.draw();
      this.input.draw();
      this.charts.draw(now);
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  }

  private setStreams(streams: readonly StreamInfo[]): void {
    const body = $('tab-body');
    const tabs = $('tabs');
    body.textContent = '';
    tabs.textContent = '';
    this.tables = new Map();
    for (const s of streams) this.tables.set(s.name, new RowTable(s.name, ['ROWTIME', ...s.columns.map((c) => c.name)]));
    this.tables.set(ERROR_STREAM, new RowTable(ERROR_STREAM, []));
    const names = [...this.tables.keys(), INPUT_TAB];
    for (const name of names) {
      const b = document.createElement('button');
      b.textContent = name === INPUT_TAB ? `input: ${this.state.input.stream}` : name;
      b.dataset.tab = name;
      b.setAttribute('role', 'tab');
      if (streams.some((s) => s.name === name && s.output)) b.classList.add('output');
      b.addEventListener('click', () => this.select(name));
      tabs.append(b);
    }
    for (const t of this.tables.values()) body.append(t.element);
    body.append(this.input.element);
    const preferred = streams.find((s) => s.output)?.name ?? streams[0]?.name ?? ERROR_STREAM;
    this.select(this.tables.has(this.active) ? this.active : preferred);
    this.charts.setStreams(streams);
  }

  private select(name: string): void {
    this.active = name;
    for (const [n, t] of this.tables) t.show(n === name);
    this.input.show(name === INPUT_TAB);
    for (const b of $('tabs').querySelectorAll<HTMLButtonElement>('button')) b.setAttribute('aria-selected', String(b.dataset.tab === name));
  }

  private listen(): void {
    const events = api.events();
    events.addEventListener('rows', (e) => {
      const m = JSON.parse((e as MessageEvent<string>).data) as { stream: string; total: number; rows: { t: number; r: Record<string, unknown> }[] };
      this.tables.get(m.stream)?.add(m.rows.map((x) => x.r), m.total);
      this.charts.add(m.stream, m.rows);
    });
    events.addEventListener('input', (e) => this.input.add(JSON.parse((e as MessageEvent<string>).data)));
    events.addEventListener('progress', (e) => this.showProgress(JSON.parse((e as MessageEvent<string>).data)));
    events.addEventListener('status', (e) => {
      const s = JSON.parse((e as MessageEvent<string>).data) as { state: string; message: string };
      const el = $('status');
      el.textContent = `${s.state}: ${s.message}`;
      el.dataset.state = s.state;
    });
    events.addEventListener('error', () => {
      $('status').textContent = 'disconnected from the studio server (retrying)';
    });
  }

  private showProgress(f: Record<string, number>): void {
    const el = $('progress');
    el.textContent = progressLine({ ...f, recordsPerSecond: f.recordsPerSecond ?? 0, userRecordsPerSecond: f.userRecordsPerSecond ?? 0 });
    el.title = JSON.stringify(f, null, 1);
  }

  private showDiagnostics(d: Diagnostic[]): void {
    const list = $('diagnostics');
    list.textContent = '';
    for (const x of d) {
      const li = document.createElement('li');
      li.className = 'diagnostic';
      li.textContent = `line ${x.line}, column ${x.column}: ${x.message}`;
      list.append(li);
    }
    $<HTMLButtonElement>('save').disabled = d.length > 0;
  }

  private async save(): Promise<void> {
    const state = $('save-state');
    state.textContent = 'saving...';
    const r = await api.save(this.editor.state.doc.toString());
    if (r.diagnostics.length > 0) {
      this.showDiagnostics(r.diagnostics);
      state.textContent = 'not saved: the SQL has errors';
      return;
    }
    state.textContent = r.saved ? `saved to ${r.saved}; restarted at the previous source position` : 'restarted (the SQL is inline in the definition: not written to a file)';
    for (const t of this.tables.values()) t.clear();
    this.charts.clear();
    if (r.streams) this.setStreams(r.streams);
  }
}

void api.state().then((s) => new StudioPage(s));
