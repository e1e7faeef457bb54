/**
 * Storing a value into a column of another type (a pump's INSERT, a UDF's RETURN): the implicit conversion
 * that `canAssign` allows. It differs from CAST for strings: a value longer than VARCHAR(n)/CHAR(n) is cut to n
 * characters (policy "A VARCHAR(n) value longer than n is truncated to n characters, on input and on INSERT
 * into a stream"), where CAST fails.
 */
import { castValue } from './cast.js';
import type { SqlType, Value } from '../../types/sql-type.js';

/**
 * Converts `value` of type `from` for a column of type `to`. Numbers convert as in CAST (rounded to the
 * column's scale or to an integer; out of range is an error); strings are cut to the column's length (CHAR is
 * then blank-padded); bytes likewise.
 *
 * @throws ExecutionError NUMERIC_OUT_OF_RANGE when a number does not fit the column
 * @example assignValue('TECHNOLOGY', SqlTypes.varchar(16), SqlTypes.varchar(4)) // 'TECH'
 */
export function assignValue(value: Value, from: SqlType, to: SqlType): Value {
  if (value === null) return null;
  if ((to.kind === 'CHAR' || to.kind === 'VARCHAR') && typeof value === 'string' && to.length !== null && value.length > to.length) {
    return value.slice(0, to.length);
  }
  if ((to.kind === 'BINARY' || to.kind === 'VARBINARY') && value instanceof Uint8Array && to.length !== null && value.length > to.length) {
    return value.slice(0, to.length);
  }
  if (from.kind === to.kind && to.kind !== 'DECIMAL' && to.kind !== 'CHAR' && to.kind !== 'BINARY' && to.kind !== 'INTERVAL') return value;
  return castValue(value, from, to);
}
