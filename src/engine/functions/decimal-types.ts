/**
 * Result types of arithmetic on numeric types, by KDA's "Numeric Types and Precision" page, with precision and
 * scale capped at 18. Type-level only (no run-time values): it depends on src/types alone, so the planner could
 * host it.
 */
import { MAX_DECIMAL_PRECISION, type IntegerKind, type SqlType } from '../../types/sql-type.js';

/** Precision of the integer types seen as DECIMAL(p, 0); BIGINT's 19 digits are capped at KDA's 18. */
const INTEGER_PRECISION: Record<IntegerKind, number> = { TINYINT: 3, SMALLINT: 5, INTEGER: 10, BIGINT: 18 };
const INTEGER_ORDER: readonly IntegerKind[] = ['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT'];

/** The (precision, scale) of an exact numeric type, or null for any other type. */
export function exactPrecisionScale(t: SqlType): { precision: number; scale: number } | null {
  switch (t.kind) {
    case 'DECIMAL':
      return { precision: t.precision, scale: t.scale };
    case 'TINYINT':
    case 'SMALLINT':
    case 'INTEGER':
    case 'BIGINT':
      return { precision: INTEGER_PRECISION[t.kind], scale: 0 };
    default:
      return null;
  }
}

export type ArithmeticOperator = '+' | '-' | '*' | '/';

function cappedDecimal(precision: number, scale: number): SqlType {
  const p = Math.max(1, Math.min(precision, MAX_DECIMAL_PRECISION));
  const s = Math.max(0, Math.min(scale, MAX_DECIMAL_PRECISION, p));
  return { kind: 'DECIMAL', precision: p, scale: s };
}

/**
 * The result type of `a op b` for two numeric types:
 * - both integers: the wider integer type (KDA keeps integer arithmetic integer: 7 / 2 = 3);
 * - a REAL or DOUBLE involved: DOUBLE if either is DOUBLE, else REAL;
 * - otherwise DECIMAL by the SQLREF rules, capped at 18 digits:
 *   `+ -`: s = max(s1, s2), p = max(p1 - s1, p2 - s2) + s + 1;
 *   `*`:   p = p1 + p2, s = s1 + s2;
 *   `/`:   s = max(6, max(s1, s2) + p2 + 1), p = (p1 - s1 + s2) + s. The page prints the formula with s1 but
 *          gives scale 14 for its DECIMAL(10,1) / DECIMAL(10,3) example (case scalar-decimal-divide-scale), which
 *          the larger operand scale reproduces.
 * Returns null when either side is not numeric.
 *
 * @example numericResultType('/', SqlTypes.decimal(10, 1), SqlTypes.decimal(10, 3)) // DECIMAL(18,14)
 */
export function numericResultType(op: ArithmeticOperator, a: SqlType, b: SqlType): SqlType | null {
  const approx = (t: SqlType) => t.kind === 'REAL' || t.kind === 'DOUBLE';
  const ea = exactPrecisionScale(a);
  const eb = exactPrecisionScale(b);
  if ((!ea && !approx(a)) || (!eb && !approx(b))) return null;
  if (approx(a) || approx(b)) return a.kind === 'DOUBLE' || b.kind === 'DOUBLE' ? { kind: 'DOUBLE' } : { kind: 'REAL' };
  if (a.kind !== 'DECIMAL' && b.kind !== 'DECIMAL') {
    const ia = INTEGER_ORDER.indexOf(a.kind as IntegerKind);
    const ib = INTEGER_ORDER.indexOf(b.kind as IntegerKind);
    return { kind: INTEGER_ORDER[Math.max(ia, ib)] } as SqlType;
  }
  const { precision: p1, scale: s1 } = ea!;
  const { precision: p2, scale: s2 } = eb!;
  switch (op) {
    case '+':
    case '-': {
      const s = Math.max(s1, s2);
      return cappedDecimal(Math.max(p1 - s1, p2 - s2) + s + 1, s);
    }
    case '*':
      return cappedDecimal(p1 + p2, Math.min(s1 + s2, MAX_DECIMAL_PRECISION));
    case '/': {
      const s = Math.min(Math.max(6, Math.max(s1, s2) + p2 + 1), MAX_DECIMAL_PRECISION);
      return cappedDecimal(p1 - s1 + s2 + s, s);
    }
  }
}
