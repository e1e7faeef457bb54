import type { Pos } from '../sql/ast.js';
import type { SqlType, Value } from '../types/sql-type.js';

/**
 * A scalar function as the planner sees it: a resolved implementation. `invoke` receives the evaluated
 * arguments (an array the caller may reuse: implementations must not keep it). When `strict`, the engine
 * returns NULL without calling it if any argument is NULL.
 */
export interface ScalarFunction {
  readonly name: string;
  readonly strict: boolean;
  readonly invoke: (args: Value[]) => Value;
  /** The call's form where its meaning depends on it (SUBSTRING(s FROM p) vs SUBSTRING(s, p)), for translators. */
  readonly syntax?: 'call' | 'from' | 'similar' | 'keyword';
}

/** Built-in operators whose evaluation the engine compiles directly. */
export type OperatorName =
  | 'add' | 'sub' | 'mul' | 'div' | 'neg' | 'concat'
  | 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge'
  | 'and' | 'or' | 'not'
  | 'is_null' | 'is_not_null' | 'is_true' | 'is_not_true' | 'is_false' | 'is_not_false'
  | 'is_distinct' | 'is_not_distinct'
  | 'in' | 'coalesce';

/**
 * A typed, name-resolved expression. Column references are positions in the row the expression is
 * evaluated on; `rowtime` is that row's ROWTIME.
 */
export type BoundExpr =
  /** `monotonic`: the column is known never to change direction (a MONOTONIC or time key read through a subquery or view). */
  | { readonly kind: 'column'; readonly index: number; readonly type: SqlType; readonly monotonic?: boolean }
  | { readonly kind: 'rowtime'; readonly type: SqlType }
  | { readonly kind: 'literal'; readonly value: Value; readonly type: SqlType }
  | { readonly kind: 'param'; readonly index: number; readonly type: SqlType }
  | { readonly kind: 'op'; readonly op: OperatorName; readonly args: readonly BoundExpr[]; readonly type: SqlType; readonly pos: Pos }
  | { readonly kind: 'call'; readonly fn: ScalarFunction; readonly args: readonly BoundExpr[]; readonly type: SqlType; readonly pos: Pos }
  | { readonly kind: 'case'; readonly whens: readonly { readonly when: BoundExpr; readonly then: BoundExpr }[]; readonly otherwise: BoundExpr | null; readonly type: SqlType }
  | { readonly kind: 'cast'; readonly operand: BoundExpr; readonly type: SqlType; readonly pos: Pos }
  /** CURRENT_ROW_TIMESTAMP ('row': the clock when the row is processed) or LOCALTIMESTAMP & co ('query': when the query started). */
  | { readonly kind: 'now'; readonly which: 'row' | 'query'; readonly type: SqlType }
  /** A SQL user function: the body is evaluated with `param` bound to the arguments. */
  | { readonly kind: 'udf'; readonly name: string; readonly body: BoundExpr; readonly args: readonly BoundExpr[]; readonly strict: boolean; readonly type: SqlType };

/** True when the expression reads nothing from the row (no column, rowtime, param or clock). */
export function isConstant(e: BoundExpr): boolean {
  switch (e.kind) {
    case 'literal':
      return true;
    case 'column':
    case 'rowtime':
    case 'param':
    case 'now':
      return false;
    case 'op':
    case 'call':
      return e.args.every(isConstant);
    case 'udf':
      return e.args.every(isConstant);
    case 'cast':
      return isConstant(e.operand);
    case 'case':
      return e.whens.every((w) => isConstant(w.when) && isConstant(w.then)) && (e.otherwise === null || isConstant(e.otherwise));
  }
}

/** True when the expression reads the row only through ROWTIME (and constants). */
export function dependsOnlyOnRowtime(e: BoundExpr): boolean {
  switch (e.kind) {
    case 'literal':
    case 'rowtime':
      return true;
    case 'column':
    case 'param':
    case 'now':
      return false;
    case 'op':
    case 'call':
    case 'udf':
      return e.args.every(dependsOnlyOnRowtime);
    case 'cast':
      return dependsOnlyOnRowtime(e.operand);
    case 'case':
      return e.whens.every((w) => dependsOnlyOnRowtime(w.when) && dependsOnlyOnRowtime(w.then)) && (e.otherwise === null || dependsOnlyOnRowtime(e.otherwise));
  }
}

/** A structural key of a bound expression, to match GROUP BY keys with select-list expressions. */
export function exprKey(e: BoundExpr): string {
  switch (e.kind) {
    case 'column':
      return `c${e.index}`;
    case 'rowtime':
      return 'rt';
    case 'literal':
      return `l(${typeof e.value === 'number' || typeof e.value === 'string' || typeof e.value === 'boolean' || e.value === null ? JSON.stringify(e.value) : String(e.value)}:${e.type.kind})`;
    case 'param':
      return `p${e.index}`;
    case 'op':
      return `${e.op}(${e.args.map(exprKey).join(',')})`;
    case 'call':
      return `${e.fn.name}(${e.args.map(exprKey).join(',')})`;
    case 'udf':
      return `udf:${e.name}(${e.args.map(exprKey).join(',')})`;
    case 'cast':
      return `cast(${exprKey(e.operand)}:${JSON.stringify(e.type)})`;
    case 'now':
      return `now:${e.which}`;
    case 'case':
      return `case(${e.whens.map((w) => exprKey(w.when) + '?' + exprKey(w.then)).join(';')}:${e.otherwise ? exprKey(e.otherwise) : ''})`;
  }
}
