import { ExecutionError } from '../../errors.js';
import type { Value } from '../../types/sql-type.js';
import { compareValues, type Evaluator } from '../compile-expression.js';
import { decodeRow, encodeRow, type EncodedValue } from '../snapshot-codec.js';
import type { Emit, Operator } from './operator.js';

interface Held {
  readonly row: Value[];
  readonly t: number;
  readonly keys: Value[];
  readonly seq: number;
}

/**
 * T-sort, `ORDER BY ts WITHIN slack` (SQLREF sqlrf_T-sorting_Stream_Input). Rows arrive already re-timed to ts
 * (a NULL ts was dropped by the projection). The highest ts seen so far is the high-water mark H; rows are held
 * in a heap and released in ts order (then by the further ORDER BY keys, then arrival) once ts <= H - slack.
 * A row with ts < H - slack is later than the slack allows and could no longer be put in order: it goes to
 * error_stream (LATE_ROW) instead. Incoming rowtime bounds are ignored, as documented; end of input releases all.
 */
export class TSortOperator implements Operator {
  readonly name = 'TSort';
  private heap: Held[] = [];
  private high = -Infinity;
  private seq = 0;

  constructor(
    private readonly slackMs: number,
    private readonly keys: readonly { readonly eval: Evaluator; readonly descending: boolean }[],
    private readonly emit: Emit,
  ) {}

  push(row: Value[], rowtime: number): void {
    if (rowtime < this.high - this.slackMs) {
      throw new ExecutionError(
        'LATE_ROW',
        `T-sort: row with ROWTIME ${new Date(rowtime).toISOString()} is more than ${this.slackMs} ms older than the latest row (${new Date(this.high).toISOString()})`,
      );
    }
    const keys = this.keys.map((k) => k.eval(row, rowtime));
    this.insert({ row, t: rowtime, keys, seq: this.seq++ });
    if (rowtime > this.high) this.high = rowtime;
    this.release(this.high - this.slackMs);
  }

  advance(_time: number): void {}

  /**
   * Held rows leave in ts order; a row still to come is either at least H - slack (or its input's bound, when
   * that is higher) or goes to error_stream as late.
   */
  outputBound(inputBound: number): number {
    const next = Math.max(this.high - this.slackMs, inputBound);
    return this.heap.length === 0 ? next : Math.min(next, this.heap[0].t);
  }

  flush(): void {
    this.release(Infinity);
  }

  private release(upTo: number): void {
    const h = this.heap;
    while (h.length > 0 && h[0].t <= upTo) {
      const top = this.pop();
      this.emit(top.row, top.t);
    }
  }

  private less(a: Held, b: Held): boolean {
    if (a.t !== b.t) return a.t < b.t;
    for (let i = 0; i < this.keys.length; i++) {
      const x = a.keys[i];
      const y = b.keys[i];
      let c: number;
      if (x === null || y === null) c = x === y ? 0 : x === null ? -1 : 1;
      else c = compareValues(x, y);
      if (c !== 0) return this.keys[i].descending ? c > 0 : c < 0;
    }
    return a.seq < b.seq;
  }

  private insert(x: Held): void {
    const h = this.heap;
    h.push(x);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }

  private pop(): Held {
    const h = this.heap;
    const top = h[0];
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l], h[m])) m = l;
        if (r < h.length && this.less(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }

  snapshot(): unknown {
    const held = [...this.heap].sort((a, b) => a.seq - b.seq);
    return { high: Number.isFinite(this.high) ? this.high : null, rows: held.map((x) => ({ row: encodeRow(x.row), t: x.t })) };
  }

  restore(state: unknown): void {
    const s = state as { high: number | null; rows: { row: EncodedValue[]; t: number }[] };
    this.heap = [];
    this.seq = 0;
    for (const r of s.rows) {
      const row = decodeRow(r.row);
      this.insert({ row, t: r.t, keys: this.keys.map((k) => k.eval(row, r.t)), seq: this.seq++ });
    }
    this.high = s.high ?? -Infinity;
  }
}
