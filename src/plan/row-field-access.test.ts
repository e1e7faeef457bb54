import { describe, expect, it } from 'vitest';
import type { PlanError } from '../errors.js';
import { parseExpression } from '../sql/index.js';
import { SqlTypes, type SqlType, type Value } from '../types/sql-type.js';
import type { BoundExpr } from './bound-expr.js';
import { ExpressionBinder } from './expression-binder.js';
import type { FunctionCatalog } from './function-catalog.js';
import { Scope } from './scope.js';

const ROW: SqlType = {
  kind: 'ROW',
  fields: [
    { name: 'COLUMN1', type: SqlTypes.varchar(1024) },
    { name: 'Port', type: SqlTypes.INTEGER },
  ],
};
const catalog: FunctionCatalog = { resolve: () => undefined };
const scope = new Scope([{ name: 'T', altNames: [], columns: [{ name: 'K', type: SqlTypes.varchar(4) }, { name: 'R', type: ROW }], hidden: new Set(), offset: 0 }]);
const binder = new ExpressionBinder(scope, catalog, new Map());

function bind(text: string): BoundExpr {
  return binder.bind(parseExpression(text));
}

/** Evaluates a bound field read over a row of T: only column reads and the field calls occur here. */
function evaluate(e: BoundExpr, row: Value[]): Value {
  if (e.kind === 'column') return row[e.index];
  if (e.kind === 'call') {
    const args = e.args.map((a) => evaluate(a, row));
    if (e.fn.strict && args.some((a) => a === null)) return null;
    return e.fn.invoke(args);
  }
  throw new Error(`unexpected ${e.kind}`);
}

describe('field access on ROW values', () => {
  it('reads t.r.COLUMN1, r.COLUMN1 and (r).COLUMN1 with the field type', () => {
    const row: Value[] = ['k', ['a', 8080]];
    for (const text of ['T.R.COLUMN1', 'R.COLUMN1', '(R).COLUMN1', 'r.column1']) {
      const e = bind(text);
      expect(e.type, text).toEqual(SqlTypes.varchar(1024));
      expect(evaluate(e, row), text).toBe('a');
    }
    const port = bind('T.R."Port"');
    expect(port.type).toEqual(SqlTypes.INTEGER);
    expect(evaluate(port, row)).toBe(8080);
    // An unquoted name finds a field stored in another case when only one matches.
    expect(evaluate(bind('R.PORT'), row)).toBe(8080);
  });

  it('gives NULL for a NULL ROW (no match)', () => {
    expect(evaluate(bind('T.R.COLUMN1'), ['k', null])).toBeNull();
  });

  it('keeps plain qualified names working and reports unknown fields and non-ROW operands with positions', () => {
    expect(bind('T.K')).toEqual({ kind: 'column', index: 0, type: SqlTypes.varchar(4) });
    const unknownField = (() => {
      try {
        bind('T.R.COLUMN9');
      } catch (e) {
        return e as PlanError;
      }
      throw new Error('expected an error');
    })();
    expect(unknownField.message).toMatch(/no field COLUMN9 \(its fields: COLUMN1, Port\)/);
    expect(unknownField.column).toBe(5);
    expect(() => bind('(K).COLUMN1')).toThrow(/needs a ROW value/);
    // A name that is neither a column nor a ROW field keeps the original error.
    expect(() => bind('T.NOPE')).toThrow(/unknown column NOPE/);
  });
});
