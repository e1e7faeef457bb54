import type { Value } from '../types/sql-type.js';
import type { ColumnInfo } from './schema.js';

/** A row a table function emits, with its ROWTIME. */
export interface TableFunctionRow {
  readonly row: Value[];
  readonly rowtime: number;
}

/**
 * One running occurrence of a table function (`FROM TABLE(F(CURSOR(...), ...))`), driven by the engine:
 * `push` for each row of the CURSOR in ROWTIME order, `advanceTo` when the clock moves with no row (a rowtime
 * bound: tumbling windows may close), `flush` at end of input. Each returns the rows it produced, in order.
 * `snapshot`/`restore` carry its state as JSON-serialisable data.
 */
export interface TableFunctionInstance {
  push(row: readonly Value[], rowtime: number): TableFunctionRow[];
  advanceTo(time: number): TableFunctionRow[];
  flush(): TableFunctionRow[];
  snapshot(): unknown;
  restore(state: unknown): void;
}

/** A table function checked against its CURSOR's columns and constant arguments. */
export interface ResolvedTableFunction {
  readonly name: string;
  readonly outputColumns: readonly ColumnInfo[];
  /** A fresh instance for each running engine. */
  create(): TableFunctionInstance;
}

/**
 * The table functions the planner may call in FROM TABLE(...). The engine supplies it (the algorithms live
 * there). `args` are the constant arguments after the CURSOR, already evaluated.
 */
export interface TableFunctionCatalog {
  /**
   * Returns undefined when no table function has this name; throws a PlanError when the arguments do not fit
   * (the planner adds the call's position when the error has none).
   */
  resolveTableFunction(name: string, cursorColumns: readonly ColumnInfo[], args: readonly Value[]): ResolvedTableFunction | undefined;
}
