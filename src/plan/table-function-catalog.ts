import type { Value } from '../types/sql-type.js';
import type { ColumnInfo } from './schema.js';

/**
 * A table function checked against its CURSOR's columns and constant arguments: plain data. The engine builds
 * the running function from the plan node (its name, arguments and input columns), not from this.
 */
export interface ResolvedTableFunction {
  /** The function's own spelling of its name, which the plan node carries. */
  readonly name: string;
  readonly outputColumns: readonly ColumnInfo[];
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
