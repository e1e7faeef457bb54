/** The input tab: the input schema, and a sample of raw records (after preprocessing) beside the rows they map to. */
import type { StudioState } from './api.js';

interface Sample {
  readonly at: number;
  readonly raw: string;
  readonly rows: readonly (readonly unknown[])[];
  readonly error?: string;
}

const KEPT = 20;

export class InputView {
  readonly element = document.createElement('div');
  private readonly samples: Sample[] = [];
  private readonly list = document.createElement('table');
  private dirty = false;
  private visible = false;

  constructor(private readonly input: StudioState['input']) {
    this.element.className = 'input-view';
    const schema = document.createElement('table');
    schema.className = 'schema';
    const head = schema.createTHead().insertRow();
    for (const h of ['column', 'SQL type', input.format === 'JSON' ? 'mapping' : 'position']) head.append(Object.assign(document.createElement('th'), { textContent: h }));
    input.columns.forEach((c, i) => {
      const tr = schema.createTBody().insertRow();
      for (const v of [c.name, c.sqlType, c.mapping ?? String(i + 1)]) tr.insertCell().textContent = v;
    });
    const about = document.createElement('p');
    const where = input.format === 'JSON' ? `record row path ${input.recordRowPath ?? '$'}` : `rows split on ${JSON.stringify(input.rowDelimiter ?? '\n')}, fields on ${JSON.stringify(input.columnDelimiter ?? ',')}`;
    about.textContent = `${input.stream}: ${input.format}, ${where}; source ${input.source.type}, preprocessor ${input.preprocessor}.`;
    this.list.className = 'samples';
    const lh = this.list.createTHead().insertRow();
    for (const h of ['raw record (after preprocessing)', 'mapped row(s)']) lh.append(Object.assign(document.createElement('th'), { textContent: h }));
    this.list.createTBody();
    this.element.append(about, schema, Object.assign(document.createElement('h3'), { textContent: 'newest records' }), this.list);
    this.element.hidden = true;
  }

  /** A mapped value as text: TIMESTAMP columns arrive as epoch milliseconds. */
  private cell(v: unknown, column: number): string {
    if (v === null || v === undefined) return 'NULL';
    if (typeof v === 'number' && this.input.columns[column]?.sqlType.toUpperCase().startsWith('TIMESTAMP')) return new Date(v).toISOString().replace('T', ' ').replace('Z', '');
    return String(v);
  }

  add(s: Sample): void {
    this.samples.push(s);
    if (this.samples.length > KEPT) this.samples.shift();
    this.dirty = true;
  }

  show(visible: boolean): void {
    this.visible = visible;
    this.element.hidden = !visible;
    this.dirty = true;
  }

  draw(): void {
    if (!this.dirty || !this.visible) return;
    this.dirty = false;
    const body = this.list.tBodies[0];
    body.textContent = '';
    for (const s of [...this.samples].reverse()) {
      const tr = body.insertRow();
      const raw = tr.insertCell();
      raw.className = 'raw';
      raw.textContent = s.raw;
      const mapped = tr.insertCell();
      mapped.textContent = s.error ?? s.rows.map((r) => r.map((v, i) => this.cell(v, i)).join(' | ')).join('\n');
      if (s.error) mapped.className = 'error';
    }
  }
}
