/**
 * Assignment of a value to a stream column on INSERT (a pump writing into a stream): numbers are fitted to
 * the column type (integers truncate toward zero and are range-checked, DECIMAL rounds to its scale and checks
 * its precision), strings longer than VARCHAR(n)/CHAR(n) are truncated (README policy) and CHAR is
 * blank-padded. A value that does not fit throws ExecutionError (the row goes to error_stream).
 */
import { isIntegerType, type SqlType, type Value } from '../types/sql-type.js';
import { checkIntegerRange, formatValue, padChar, toDecimal } from './functions/index.js';

export function assignValue(v: Value, from: SqlType, to: SqlType): Value {
  if (v === null) return null;
  switch (to.kind) {
    case 'CHAR':
    case 'VARCHAR': {
      let s = typeof v === 'string' ? v : (formatValue(v, from) ?? '');
      if (to.length !== null && s.length > to.length) s = s.slice(0, to.length);
      return to.kind === 'CHAR' && to.length !== null ? padChar(s, to.length) : s;
    }
    case 'TINYINT':
    case 'SMALLINT':
    case 'INTEGER':
    case 'BIGINT': {
      const n = v as number;
      if (isIntegerType(from)) return checkIntegerRange(to.kind, n);
      return checkIntegerRange(to.kind, Math.trunc(n) || 0);
    }
    case 'DECIMAL':
      return toDecimal(v as number, to.precision, to.scale);
    case 'DATE':
      return from.kind === 'TIMESTAMP' ? Math.floor((v as number) / 86_400_000) * 86_400_000 : v;
    default:
      return v;
  }
}

/**
 * Whether assigning a `from` value to a `to` column never changes it, so INSERT can skip the conversion:
 * same numeric kind (or a wider integer), a string into an unpadded column at least as long, same datetime kind.
 */
export function assignmentIsIdentity(from: SqlType, to: SqlType): boolean {
  if (from.kind === 'NULL') return true;
  const ints = ['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT'];
  if (ints.includes(from.kind) && ints.includes(to.kind)) return ints.indexOf(from.kind) <= ints.indexOf(to.kind);
  if ((from.kind === 'DOUBLE' || from.kind === 'REAL') && (to.kind === 'DOUBLE' || to.kind === 'REAL')) return true;
  if (from.kind === 'DECIMAL' && to.kind === 'DECIMAL') return from.scale <= to.scale && from.precision - from.scale <= to.precision - to.scale;
  if ((from.kind === 'VARCHAR' || from.kind === 'CHAR') && to.kind === 'VARCHAR') {
    return to.length === null || (from.length !== null && from.length <= to.length);
  }
  if (from.kind === 'CHAR' && to.kind === 'CHAR') return from.length !== null && from.length === to.length;
  if (from.kind === to.kind && (from.kind === 'TIMESTAMP' || from.kind === 'DATE' || from.kind === 'TIME' || from.kind === 'BOOLEAN')) return true;
  return false;
}
