import type { Value } from '../../types/sql-type.js';
import type { Evaluator } from '../compile-expression.js';
import type { ReferenceTable } from '../reference-table.js';
import { type JoinKey, joinKeyOf } from './join-key.js';
import { type Emit, StatelessOperator } from './operator.js';

/**
 * Stream-to-reference-table join: each stream row looks up the table. With equi-join keys in ON the table is
 * indexed by them (a hash lookup), otherwise every table row is tried. Output = stream columns then table
 * columns; for a LEFT join an unmatched stream row comes out once with NULL table columns. The index is rebuilt
 * when the table is reloaded. It has no state of its own to snapshot: the table is loaded, not derived.
 */
export class ReferenceJoinOperator extends StatelessOperator {
  readonly name = 'ReferenceJoin';
  private index = new Map<JoinKey, Value[][]>();
  private indexedVersion = -1;

  constructor(
    private readonly table: ReferenceTable,
    private readonly streamKeys: readonly Evaluator[],
    private readonly tableKeys: readonly Evaluator[],
    private readonly residual: Evaluator | null,
    private readonly outer: boolean,
    /** Width of the stream part (input rows may be shorter: APPROXIMATE_ARRIVAL_TIME is only there when used). */
    private readonly streamWidth: number,
    private readonly emit: Emit,
    /**
     * When set, the output row is these positions of (stream row ++ table row) instead of all of them: a
     * following projection of plain columns, folded in so that each row is built once (only without a residual
     * condition, which reads the whole joined row).
     */
    private readonly projection: readonly number[] | null = null,
  ) {
    super();
  }

  push(row: Value[], rowtime: number): void {
    if (this.projection !== null && this.residual === null && this.streamKeys.length === 1) {
      this.pushProjected(row, rowtime, this.projection);
      return;
    }
    let candidates: readonly Value[][];
    if (this.streamKeys.length > 0) {
      if (this.indexedVersion !== this.table.version) this.buildIndex();
      const key = joinKeyOf(this.streamKeys, row, rowtime);
      candidates = key === null ? [] : (this.index.get(key) ?? []);
    } else candidates = this.table.rows;
    const tableWidth = this.table.columns.length;
    let matched = false;
    for (let c = 0; c < candidates.length; c++) {
      const out = this.combine(row, candidates[c], tableWidth);
      if (this.residual !== null && this.residual(out, rowtime) !== true) continue;
      matched = true;
      this.emit(out, rowtime);
    }
    if (!matched && this.outer) this.emit(this.combine(row, null, tableWidth), rowtime);
  }

  /** One equi-join key, no residual, a projection of plain columns: each output row is built straight from both sides. */
  private pushProjected(row: Value[], rowtime: number, proj: readonly number[]): void {
    if (this.indexedVersion !== this.table.version) this.buildIndex();
    const key = joinKeyOf(this.streamKeys, row, rowtime);
    const candidates = key === null ? undefined : this.index.get(key);
    if (candidates === undefined) {
      if (this.outer) this.emit(this.project(row, null, proj), rowtime);
      return;
    }
    for (let c = 0; c < candidates.length; c++) this.emit(this.project(row, candidates[c], proj), rowtime);
  }

  private project(row: readonly Value[], t: readonly Value[] | null, proj: readonly number[]): Value[] {
    const sw = this.streamWidth;
    const out: Value[] = new Array(proj.length);
    for (let i = 0; i < proj.length; i++) {
      const k = proj[i];
      // Stream positions past the row's end are the unused trailing system column: NULL, as combine gives.
      out[i] = k < sw ? (k < row.length ? row[k] : null) : t === null ? null : t[k - sw];
    }
    return out;
  }

  private combine(row: readonly Value[], t: readonly Value[] | null, tableWidth: number): Value[] {
    const sw = this.streamWidth;
    const out: Value[] = new Array(sw + tableWidth);
    const n = row.length < sw ? row.length : sw;
    for (let i = 0; i < n; i++) out[i] = row[i];
    for (let i = n; i < sw; i++) out[i] = null;
    for (let i = 0; i < tableWidth; i++) out[sw + i] = t === null ? null : t[i];
    return out;
  }

  private buildIndex(): void {
    const index = new Map<JoinKey, Value[][]>();
    for (const r of this.table.rows) {
      const k = joinKeyOf(this.tableKeys, r, 0);
      if (k === null) continue;
      const bucket = index.get(k);
      if (bucket) bucket.push(r);
      else index.set(k, [r]);
    }
    this.index = index;
    this.indexedVersion = this.table.version;
  }
}
