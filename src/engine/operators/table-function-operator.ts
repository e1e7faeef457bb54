import type { Value } from '../../types/sql-type.js';
import type { Emit, Operator } from './operator.js';

/** A row a table function produces, with its ROWTIME. */
export interface TableFunctionRow {
  readonly row: Value[];
  readonly rowtime: number;
}

/**
 * The algorithm of one running table function, as this operator drives it: `push` for each CURSOR row in
 * ROWTIME order, `advanceTo` when the clock moves with no row, `flush` at end of input; each returns the rows
 * it produced, in order. `snapshot`/`restore` carry its state as JSON-serialisable data.
 */
export interface TableFunctionInstance {
  push(row: readonly Value[], rowtime: number): TableFunctionRow[];
  advanceTo(time: number): TableFunctionRow[];
  flush(): TableFunctionRow[];
  snapshot(): unknown;
  restore(state: unknown): void;
}

/**
 * FROM TABLE(F(CURSOR(...), ...)): hands each CURSOR row to the function instance and emits what it returns.
 * Rowtime bounds reach the function too (`advance`), so a tumbling function (TOP_K_ITEMS_TUMBLING,
 * COUNT_DISTINCT_ITEMS_TUMBLING) emits a window when the clock passes its end, not only on the next row;
 * `flush` (end of input) emits the windows still open. The state is the function's own JSON snapshot.
 */
export class TableFunctionOperator implements Operator {
  readonly name: string;
  constructor(
    functionName: string,
    private readonly instance: TableFunctionInstance,
    private readonly emit: Emit,
  ) {
    this.name = `TableFunction(${functionName})`;
  }

  push(row: Value[], rowtime: number): void {
    this.forward(this.instance.push(row, rowtime));
  }

  advance(time: number): void {
    this.forward(this.instance.advanceTo(time));
  }

  flush(): void {
    this.forward(this.instance.flush());
  }

  snapshot(): unknown {
    return this.instance.snapshot();
  }

  restore(state: unknown): void {
    this.instance.restore(state);
  }

  private forward(rows: readonly TableFunctionRow[]): void {
    for (let i = 0; i < rows.length; i++) this.emit(rows[i].row, rows[i].rowtime);
  }
}
