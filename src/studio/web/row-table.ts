/**
 * One in-application stream's newest rows: a ring of at most `capacity` rows, drawn at most once per animation
 * frame into a fixed pool of table rows, so thousands of rows a second cost one redraw a frame, not one per row.
 */
export class RowTable {
  readonly element: HTMLElement;
  private readonly rows: Record<string, unknown>[] = [];
  private total = 0;
  private dirty = false;
  private columns: string[];
  private readonly head: HTMLTableSectionElement;
  private readonly body: HTMLTableSectionElement;
  private readonly counter: HTMLElement;
  private visible = false;

  constructor(
    readonly stream: string,
    columns: readonly string[],
    private readonly capacity = 200,
  ) {
    this.columns = [...columns];
    this.element = document.createElement('div');
    this.element.className = 'stream-table';
    this.element.dataset.stream = stream;
    this.counter = document.createElement('div');
    this.counter.className = 'row-count';
    const table = document.createElement('table');
    this.head = table.createTHead();
    this.body = table.createTBody();
    this.element.append(this.counter, table);
    this.drawHead();
    this.counter.textContent = 'no rows yet';
  }

  /** Rows newest last; only the newest `capacity` are kept. */
  add(rows: readonly Record<string, unknown>[], total: number): void {
    this.total += total;
    for (const r of rows) this.rows.push(r);
    if (this.rows.length > this.capacity) this.rows.splice(0, this.rows.length - this.capacity);
    if (this.columns.length === 0 && rows.length > 0) {
      this.columns = Object.keys(rows[0]);
      this.drawHead();
    }
    this.dirty = true;
  }

  clear(): void {
    this.rows.length = 0;
    this.total = 0;
    this.dirty = true;
  }

  show(visible: boolean): void {
    this.visible = visible;
    this.element.hidden = !visible;
    if (visible) this.dirty = true;
  }

  /** Called once per animation frame. */
  draw(): void {
    if (!this.dirty || !this.visible) return;
    this.dirty = false;
    this.counter.textContent = `${this.total.toLocaleString('en')} row(s); newest ${this.rows.length} shown, newest first`;
    const body = this.body;
    const n = this.rows.length;
    while (body.rows.length < n) {
      const tr = body.insertRow();
      for (let i = 0; i < this.columns.length; i++) tr.insertCell();
    }
    while (body.rows.length > n) body.deleteRow(body.rows.length - 1);
    for (let i = 0; i < n; i++) {
      const row = this.rows[n - 1 - i];
      const tr = body.rows[i];
      for (let c = 0; c < this.columns.length; c++) {
        const v = row[this.columns[c]];
        const text = v === null || v === undefined ? 'NULL' : typeof v === 'object' ? JSON.stringify(v) : String(v);
        const cell = tr.cells[c];
        if (cell.textContent !== text) cell.textContent = text;
      }
    }
  }

  private drawHead(): void {
    this.head.textContent = '';
    const tr = this.head.insertRow();
    for (const c of this.columns) {
      const th = document.createElement('th');
      th.textContent = c;
      tr.append(th);
    }
    this.body.textContent = '';
  }
}
