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
  ) {
    super();
  }

  push(row: Value[], rowtime: number): void {
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
