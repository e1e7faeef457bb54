import type { BoundExpr } from './bound-expr.js';
import { dependsOnlyOnRowtime, exprKey } from './bound-expr.js';
import type { RelNode } from './logical-plan.js';
import { isDeclaredMonotonic, isRowtimeMonotonic, usesRowtime } from './monotonic.js';
import type { ColumnInfo } from './schema.js';

/**
 * What is known of a column's values along its relation's rows (SQLREF "Monotonic Expressions and Operators"):
 * `ofRowtime`, an expression of the row's ROWTIME alone that the column always equals (`STEP(s.ROWTIME BY ...)
 * AS wt` in a subquery or a stream written by one pump); `monotonic`, the column never changes direction (such
 * an expression, or one declared with MONOTONIC). A query reading the column through a subquery, a view or a
 * join side that keeps its rows' time sees the expression itself, so a GROUP BY or ORDER BY on it works as on
 * the expression.
 */
export interface ColumnTraits {
  readonly ofRowtime?: BoundExpr;
  readonly monotonic?: boolean;
}

/** The traits of output column `i` of `rel`. */
export function columnTraits(rel: RelNode, i: number): ColumnTraits {
  switch (rel.kind) {
    case 'Project': {
      const e = rel.exprs[i];
      if (e === undefined) return {};
      // A plain read of the input's column (e.g. a GROUP BY key over an aggregate) keeps what is known of it.
      const inherited = e.kind === 'column' ? columnTraits(rel.input, e.index) : {};
      if (inherited.monotonic && rel.rowtime === null) return inherited;
      // `x AS ROWTIME` re-times the rows: only a declared MONOTONIC survives that.
      if (rel.rowtime !== null) return isDeclaredMonotonic(e) ? { monotonic: true } : {};
      if (usesRowtime(e) && dependsOnlyOnRowtime(e)) return { ofRowtime: e, monotonic: isRowtimeMonotonic(e) || isDeclaredMonotonic(e) };
      return isRowtimeMonotonic(e) || isDeclaredMonotonic(e) ? { monotonic: true } : {};
    }
    case 'Filter':
    case 'Distinct':
      return columnTraits(rel.input, i);
    case 'Window':
      return i < rel.input.columns.length ? columnTraits(rel.input, i) : {};
    case 'Sort': {
      // Released rows take their group's last ROWTIME, so only the order survives.
      const t = columnTraits(rel.input, i);
      return t.monotonic ? { monotonic: true } : {};
    }
    case 'Aggregate':
      // Groups are emitted in the order of the trigger key.
      return i === rel.trigger.keyIndex ? { monotonic: true } : {};
    case 'Union': {
      const ts = rel.inputs.map((x) => columnTraits(x, i));
      const first = ts[0].ofRowtime;
      if (first !== undefined && ts.every((t) => t.ofRowtime !== undefined && exprKey(t.ofRowtime) === exprKey(first))) return ts[0];
      return {};
    }
    default:
      return {};
  }
}

/** `columns` of `rel` with their traits attached. */
export function withColumnTraits(rel: RelNode, columns: readonly ColumnInfo[] = rel.columns): ColumnInfo[] {
  return columns.map((c, i) => {
    const t = columnTraits(rel, i);
    return t.ofRowtime === undefined && !t.monotonic ? stripTraits(c) : { ...stripTraits(c), ...t };
  });
}

/** A column without traits (for a relation whose rows do not keep the time those traits were stated for). */
export function stripTraits(c: ColumnInfo): ColumnInfo {
  if (c.ofRowtime === undefined && c.monotonic === undefined) return c;
  const { ofRowtime: _o, monotonic: _m, ...rest } = c;
  return rest;
}
