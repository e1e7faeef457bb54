import type { Value } from '../../types/sql-type.js';
import type { Evaluator } from '../compile-expression.js';
import { type Emit, StatelessOperator } from './operator.js';

/** The select list: one output row per input row; `rowtime` (an `AS ROWTIME` item) re-times the row. */
export class ProjectOperator extends StatelessOperator {
  readonly name = 'Project';
  constructor(
    private readonly exprs: readonly Evaluator[],
    private readonly rowtime: Evaluator | null,
    private readonly emit: Emit,
  ) {
    super();
  }
  push(row: Value[], rowtime: number): void {
    const exprs = this.exprs;
    const n = exprs.length;
    const out: Value[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = exprs[i](row, rowtime);
    if (this.rowtime === null) this.emit(out, rowtime);
    else {
      const t = this.rowtime(row, rowtime);
      if (t === null) return; // a NULL time drops the row (as T-sort does)
      this.emit(out, t as number);
    }
  }
}
