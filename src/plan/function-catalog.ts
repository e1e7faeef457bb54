import type { FunctionCallExpr } from '../sql/ast.js';
import type { SqlType, Value } from '../types/sql-type.js';
import type { ScalarFunction } from './bound-expr.js';
import type { TableFunctionCatalog } from './table-function-catalog.js';

/** What the planner knows about one argument when resolving a call. */
export interface ArgumentInfo {
  readonly type: SqlType;
  /** The value when the argument is a constant expression (a literal, possibly folded). */
  readonly constant?: Value;
  readonly isConstant: boolean;
  /** For keyword arguments of special forms (EXTRACT(HOUR FROM ...), FLOOR(x TO DAY), TRIM(LEADING ...)). */
  readonly keyword?: string;
}

export interface ResolvedScalar {
  readonly fn: ScalarFunction;
  readonly returnType: SqlType;
}

/**
 * The scalar functions the planner may call. The engine supplies it (the registry lives with the
 * implementations); the planner only needs names, return types and an opaque implementation.
 */
export interface FunctionCatalog {
  /**
   * Resolves `name` for these arguments. Returns undefined when no such function exists; throws a
   * PlanError (with the call's position) when it exists but the arguments do not fit.
   */
  resolve(name: string, args: readonly ArgumentInfo[], call: FunctionCallExpr): ResolvedScalar | undefined;
  /**
   * Whether a scalar function of this name exists, asked before its arguments are bound, so an unknown name
   * is reported as such rather than as a problem with an argument. Absent: only `resolve` tells.
   */
  has?(name: string): boolean;
  /** Table functions of FROM TABLE(...) (RANDOM_CUT_FOREST, TOP_K_ITEMS_TUMBLING...); absent: none are known. */
  readonly resolveTableFunction?: TableFunctionCatalog['resolveTableFunction'];
}
