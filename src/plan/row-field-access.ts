import { PlanError } from '../errors.js';
import type { Identifier, Pos } from '../sql/ast.js';
import { formatSqlType, type Value } from '../types/sql-type.js';
import type { BoundExpr } from './bound-expr.js';
import { quoteName, type Scope } from './scope.js';

/**
 * `row.FIELD` on a ROW value (the result of a log-parsing function): a read of that field, typed by the ROW
 * type. A NULL ROW (no match) gives NULL. Unquoted names are upper-cased by the lexer, so `r.column1` finds
 * COLUMN1; a field stored in another case is found by an unquoted name when that match is unique.
 */
export function bindFieldAccess(row: BoundExpr, field: Identifier, pos: Pos): BoundExpr {
  const t = row.type;
  if (t.kind !== 'ROW') {
    throw new PlanError(`${quoteName(field)}: field access needs a ROW value (the result of a log-parsing function such as REGEX_LOG_PARSE), not ${formatSqlType(t)}`, pos);
  }
  let i = t.fields.findIndex((f) => f.name === field.name);
  if (i < 0 && !field.quoted) {
    const folded = t.fields.map((f, k) => ({ f, k })).filter(({ f }) => f.name.toUpperCase() === field.name.toUpperCase());
    if (folded.length === 1) i = folded[0].k;
  }
  if (i < 0) throw new PlanError(`the ROW has no field ${quoteName(field)} (its fields: ${t.fields.map((f) => f.name).join(', ')})`, field.pos);
  const index = i;
  return {
    kind: 'call',
    fn: { name: `$FIELD${index}`, strict: true, invoke: (a) => (a[0] as Value[])[index] ?? null },
    args: [row],
    type: t.fields[index].type,
    pos,
  };
}

/**
 * Resolves a dotted name: `stream.column` (or `column`) first; when that fails, the longest prefix that names a
 * ROW column followed by field names, so `t.r.COLUMN1` (FROM (...) AS t(r)) and `r.COLUMN1` read fields of the
 * ROW column r. The first error is kept when no prefix is a column.
 */
export function resolveColumnPath(scope: Scope, parts: readonly Identifier[], pos: Pos): BoundExpr {
  try {
    return scope.resolve(parts, pos);
  } catch (e) {
    if (!(e instanceof PlanError) || parts.length < 2) throw e;
    for (let k = parts.length - 1; k >= 1; k--) {
      let base: BoundExpr;
      try {
        base = scope.resolve(parts.slice(0, k), pos);
      } catch {
        continue;
      }
      // A column that is not a ROW, followed by a name: say that field access needs a ROW.
      if (base.type.kind !== 'ROW') return bindFieldAccess(base, parts[k], parts[k].pos);
      let x = base;
      for (const f of parts.slice(k)) x = bindFieldAccess(x, f, f.pos);
      return x;
    }
    throw e;
  }
}
