import type { Value } from '../../types/sql-type.js';
import { compareValues, type Evaluator } from '../compile-expression.js';
import { decodeRow, encodeRow, type EncodedValue } from '../snapshot-codec.js';
import type { Emit, Operator } from './operator.js';

/**
 * Streaming ORDER BY: the leading key is monotonic, so rows are held while it keeps its value and emitted,
 * sorted by all keys, once a row or a rowtime bound moves it on (SQLREF sql-reference-order-by-clause).
 */
export class SortOperator implements Operator {
  readonly name = 'Sort';
  private buffer: { row: Value[]; rowtime: number; keys: Value[] }[] = [];
  private lead: Value = null;
  /** While a group is being emitted: its ROWTIME (the buffer is already empty then). */
  private releasing = Infinity;

  constructor(
    private readonly keys: readonly { readonly eval: Evaluator; readonly descending: boolean }[],
    /** Evaluates the leading key at a bare time (only when it depends on ROWTIME alone). */
    private readonly leadAtTime: ((time: number) => Value) | null,
    private readonly emit: Emit,
  ) {}

  push(row: Value[], rowtime: number): void {
    const keys = this.keys.map((k) => k.eval(row, rowtime));
    if (this.buffer.length > 0 && keys[0] !== this.lead) this.release();
    this.lead = keys[0];
    this.buffer.push({ row, rowtime, keys });
  }

  advance(time: number): void {
    if (this.buffer.length === 0 || this.leadAtTime === null) return;
    if (this.leadAtTime(time) !== this.lead) this.release();
  }

  /** A held group leaves at its last row's ROWTIME, which may be older than the input's bound. */
  outputBound(inputBound: number): number {
    const b = this.buffer;
    const held = b.length === 0 ? this.releasing : b[b.length - 1].rowtime;
    return Math.min(inputBound, held);
  }

  flush(): void {
    this.release();
  }

  private release(): void {
    const rows = this.buffer;
    this.buffer = [];
    const keys = this.keys;
    rows.sort((a, b) => {
      for (let i = 1; i < keys.length; i++) {
        const x = a.keys[i];
        const y = b.keys[i];
        let c: number;
        if (x === null || y === null) c = x === y ? 0 : x === null ? -1 : 1;
        else c = compareValues(x, y);
        if (c !== 0) return keys[i].descending ? -c : c;
      }
      return 0;
    });
    // Re-ordered rows cannot keep their own ROWTIMEs: the stream they go to accepts only non-decreasing ROWTIMEs,
    // so most of a group sorted by another key would be rejected as out of order. The group is released when its
    // last row has arrived, so every row of it leaves at that row's ROWTIME (never later than the next group's).
    let released = Number.NEGATIVE_INFINITY;
    for (const r of rows) if (r.rowtime > released) released = r.rowtime;
    this.releasing = released;
    try {
      for (const r of rows) this.emit(r.row, released);
    } finally {
      this.releasing = Infinity;
    }
  }

  snapshot(): unknown {
    return this.buffer.map((b) => ({ row: encodeRow(b.row), rowtime: b.rowtime }));
  }

  restore(state: unknown): void {
    const s = state as { row: EncodedValue[]; rowtime: number }[];
    this.buffer = [];
    for (const b of s) this.push(decodeRow(b.row), b.rowtime);
  }
}
