/**
 * Typing rules of the dialect: arithmetic result types (SQLREF numeric types precision), which types compare
 * and which can be inserted into which column, and the result types of aggregates.
 */
import { unhandledKind } from '../errors.js';
import type { AnalyticKind } from './function-kinds.js';
import {
  isCharacter,
  isDatetime,
  isIntegerType,
  isNumeric,
  isYearMonthInterval,
  MAX_DECIMAL_PRECISION,
  type SqlType,
  SqlTypes,
} from '../types/sql-type.js';

const INTEGER_ORDER = ['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT'] as const;
const INTEGER_DIGITS: Record<string, number> = { TINYINT: 3, SMALLINT: 5, INTEGER: 10, BIGINT: 19 };

/** DECIMAL view of an exact numeric type (integers have scale 0). */
export function asDecimal(t: SqlType): { precision: number; scale: number } {
  if (t.kind === 'DECIMAL') return { precision: t.precision, scale: t.scale };
  return { precision: Math.min(INTEGER_DIGITS[t.kind] ?? 19, MAX_DECIMAL_PRECISION), scale: 0 };
}

function decimal(precision: number, scale: number): SqlType {
  const s = Math.min(scale, MAX_DECIMAL_PRECISION);
  const p = Math.max(Math.min(precision, MAX_DECIMAL_PRECISION), s, 1);
  return { kind: 'DECIMAL', precision: p, scale: s };
}

function widerInteger(a: SqlType, b: SqlType): SqlType {
  const ia = INTEGER_ORDER.indexOf(a.kind as (typeof INTEGER_ORDER)[number]);
  const ib = INTEGER_ORDER.indexOf(b.kind as (typeof INTEGER_ORDER)[number]);
  return { kind: INTEGER_ORDER[Math.max(ia, ib, 2)] } as SqlType;
}

/** The result type of `a op b` for + - * / over numerics; null when the operands are not both numeric. */
export function numericResultType(op: 'add' | 'sub' | 'mul' | 'div', a: SqlType, b: SqlType): SqlType | null {
  if (a.kind === 'NULL') a = b;
  if (b.kind === 'NULL') b = a;
  if (a.kind === 'NULL') return SqlTypes.INTEGER;
  if (!isNumeric(a) || !isNumeric(b)) return null;
  if (a.kind === 'DOUBLE' || b.kind === 'DOUBLE') return SqlTypes.DOUBLE;
  if (a.kind === 'REAL' || b.kind === 'REAL') return a.kind === 'REAL' && b.kind === 'REAL' ? SqlTypes.REAL : SqlTypes.DOUBLE;
  if (isIntegerType(a) && isIntegerType(b)) return widerInteger(a, b);
  const x = asDecimal(a);
  const y = asDecimal(b);
  switch (op) {
    case 'add':
    case 'sub': {
      const s = Math.max(x.scale, y.scale);
      return decimal(Math.max(x.precision - x.scale, y.precision - y.scale) + s + 1, s);
    }
    case 'mul':
      return decimal(x.precision + y.precision, x.scale + y.scale);
    case 'div': {
      // SQLREF numeric precision: whole digits p1 - s1 + s2; the scale follows the doc's worked example
      // (DECIMAL(10,1) / DECIMAL(10,3) has scale 14), then precision is capped at 18 keeping the scale.
      const whole = x.precision - x.scale + y.scale;
      const scale = Math.min(Math.max(6, y.scale + x.precision + 1), MAX_DECIMAL_PRECISION);
      return decimal(Math.min(whole + scale, MAX_DECIMAL_PRECISION), scale);
    }
  }
}

/** Types whose values can be compared with = < etc. */
export function comparable(a: SqlType, b: SqlType): boolean {
  if (a.kind === 'NULL' || b.kind === 'NULL') return true;
  if (isNumeric(a) && isNumeric(b)) return true;
  if (isCharacter(a) && isCharacter(b)) return true;
  if (isDatetime(a) && isDatetime(b)) return a.kind === b.kind || (a.kind !== 'TIME' && b.kind !== 'TIME');
  if (a.kind === 'INTERVAL' && b.kind === 'INTERVAL') return isYearMonthInterval(a) === isYearMonthInterval(b);
  if (a.kind === 'BOOLEAN' && b.kind === 'BOOLEAN') return true;
  if ((a.kind === 'BINARY' || a.kind === 'VARBINARY') && (b.kind === 'BINARY' || b.kind === 'VARBINARY')) return true;
  return false;
}

/**
 * Whether a value of type `from` may be inserted into a column of type `to` (implicit cast on INSERT).
 * Numerics go into numerics and strings into strings (KDA examples insert COUNT into DOUBLE and
 * VARCHAR(16) into VARCHAR(12)); datetimes only into datetimes; TIMESTAMP into BIGINT is rejected
 * (DG troubleshooting: "invalid casting").
 */
export function assignable(from: SqlType, to: SqlType): boolean {
  if (from.kind === 'NULL') return true;
  if (isNumeric(from) && isNumeric(to)) return true;
  if (isCharacter(from) && isCharacter(to)) return true;
  if (isDatetime(from) && isDatetime(to)) return from.kind === to.kind || (from.kind === 'DATE' && to.kind === 'TIMESTAMP') || (from.kind === 'TIMESTAMP' && to.kind === 'DATE');
  if (from.kind === 'BOOLEAN' && to.kind === 'BOOLEAN') return true;
  if ((from.kind === 'BINARY' || from.kind === 'VARBINARY') && (to.kind === 'BINARY' || to.kind === 'VARBINARY')) return true;
  return false;
}

/** A type both branches of CASE / COALESCE / UNION fit into. */
export function commonType(a: SqlType, b: SqlType): SqlType | null {
  if (a.kind === 'NULL') return b;
  if (b.kind === 'NULL') return a;
  if (isNumeric(a) && isNumeric(b)) {
    if (a.kind === b.kind && a.kind !== 'DECIMAL') return a;
    if (a.kind === 'DOUBLE' || b.kind === 'DOUBLE' || a.kind === 'REAL' || b.kind === 'REAL') return SqlTypes.DOUBLE;
    if (isIntegerType(a) && isIntegerType(b)) return widerInteger(a, b);
    const x = asDecimal(a);
    const y = asDecimal(b);
    const s = Math.max(x.scale, y.scale);
    return decimal(Math.max(x.precision - x.scale, y.precision - y.scale) + s, s);
  }
  if (isCharacter(a) && isCharacter(b)) {
    const len = a.length === null || b.length === null ? null : Math.max(a.length, b.length);
    return { kind: a.kind === 'CHAR' && b.kind === 'CHAR' ? 'CHAR' : 'VARCHAR', length: len };
  }
  if (a.kind === b.kind) return a;
  if (isDatetime(a) && isDatetime(b) && a.kind !== 'TIME' && b.kind !== 'TIME') return SqlTypes.TIMESTAMP;
  return null;
}

/** Result type of an aggregate or analytic function over an argument of type `arg`. */
export function aggregateResultType(name: AnalyticKind, arg: SqlType | null): SqlType {
  switch (name) {
    case 'COUNT':
      return SqlTypes.BIGINT;
    case 'SUM':
      // SUM keeps the argument's type (INTEGER sums insert into INTEGER columns in the SQLREF examples).
      return arg && arg.kind !== 'NULL' ? arg : SqlTypes.DOUBLE;
    case 'AVG':
      // AVG keeps the argument's type: over an exact numeric it truncates (SQLREF WEATHERSTREAM example).
      return arg && arg.kind !== 'NULL' ? arg : SqlTypes.DOUBLE;
    case 'STDDEV_POP':
    case 'STDDEV_SAMP':
    case 'VAR_POP':
    case 'VAR_SAMP':
      return SqlTypes.DOUBLE;
    case 'EXP_AVG':
      return SqlTypes.DOUBLE;
    case 'ANY':
    case 'EVERY':
    case 'SOME':
      return SqlTypes.BOOLEAN;
    case 'MIN':
    case 'MAX':
    case 'FIRST_VALUE':
    case 'LAST_VALUE':
    case 'NTH_VALUE':
    case 'LAG':
      return arg ?? SqlTypes.NULL;
    default:
      return unhandledKind('aggregate or analytic function', name);
  }
}

