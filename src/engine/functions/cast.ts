/**
 * CAST of run-time values between SQL types. Which pairs are allowed at all is cast-rules.ts (`canCast`, a
 * plan-time check); a value that does not convert is an ExecutionError, which KDA turns into "no row" plus an
 * error_stream row.
 */
import { fail, FunctionErrorNames } from './function-errors.js';
import { roundToScale, toDecimal } from './decimal.js';
import { checkIntegerRange } from './numeric-functions.js';
import { timestampToDate, timestampToTime } from './datetime-functions.js';
import { parseInterval, UNIT_MS } from './interval.js';
import { formatValue, parseDateLiteral, parseTimeLiteral, parseTimestampLiteral } from './value-format.js';
import {
  isCharacter,
  isIntegerType,
  formatSqlType,
  type IntegerKind,
  type IntervalUnit,
  type SqlType,
  type Value,
} from '../../types/sql-type.js';

const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Reads a numeric string as CAST does: surrounding blanks allowed; decimal or exponent notation; for REAL/DOUBLE
 * also Java's 'NaN' / 'Infinity'.
 *
 * @throws ExecutionError INVALID_CAST
 */
export function parseNumber(text: string, to: SqlType): number {
  const t = text.trim();
  if (NUMBER_TEXT.test(t)) return Number(t);
  if ((to.kind === 'REAL' || to.kind === 'DOUBLE') && /^[+-]?(NaN|Infinity)$/.test(t)) return Number(t);
  fail(FunctionErrorNames.invalidCast, `cannot cast '${text}' to ${formatSqlType(to)}: not a number`);
}

/** A number into a numeric type: integers round half away from zero and are range-checked; DECIMAL rounds to its scale. */
function toNumericType(x: number, to: SqlType): number {
  if (isIntegerType(to)) {
    if (!Number.isFinite(x)) fail(FunctionErrorNames.numericOverflow, `${x} cannot be cast to ${to.kind}`);
    return checkIntegerRange(to.kind as IntegerKind, roundToScale(x, 0))!;
  }
  if (to.kind === 'DECIMAL') return toDecimal(x, to.precision, to.scale);
  if (to.kind === 'REAL' && Number.isFinite(x) && Math.abs(x) > 3.4028234663852886e38) {
    fail(FunctionErrorNames.numericOverflow, `${x} is out of range for REAL`);
  }
  return x;
}

/** Milliseconds (or months) in one unit of an interval's least significant field. */
function intervalEndSize(t: { start: IntervalUnit; end: IntervalUnit }): number {
  if (t.end === 'YEAR') return 12;
  if (t.end === 'MONTH') return 1;
  return UNIT_MS[t.end];
}

/** Fits text into CHAR(n) / VARCHAR(n): too long is an error unless only trailing blanks are cut; CHAR pads. */
function toCharacterType(text: string, to: { kind: 'CHAR' | 'VARCHAR'; length: number | null }, from: SqlType): string {
  let s = text;
  if (to.length !== null && s.length > to.length) {
    const cut = s.slice(to.length);
    if (isCharacter(from) && /^ *$/.test(cut)) s = s.slice(0, to.length);
    else {
      fail(
        FunctionErrorNames.stringTooLong,
        `CAST to ${formatSqlType(to)}: the value '${text}' has ${text.length} characters, more than ${to.length}`,
      );
    }
  }
  if (to.kind === 'CHAR' && to.length !== null && s.length < to.length) s = s.padEnd(to.length, ' ');
  return s;
}

function toBinaryType(bytes: Uint8Array, to: { kind: 'BINARY' | 'VARBINARY'; length: number | null }): Uint8Array {
  if (to.length !== null && bytes.length > to.length) {
    fail(FunctionErrorNames.stringTooLong, `CAST to ${formatSqlType(to)}: the value has ${bytes.length} bytes, more than ${to.length}`);
  }
  if (to.kind === 'BINARY' && to.length !== null && bytes.length < to.length) {
    const padded = new Uint8Array(to.length);
    padded.set(bytes);
    return padded;
  }
  return bytes;
}

/**
 * CAST(value AS to) for a value of type `from` (call `canCast` at plan time first). NULL stays NULL.
 * Conversions follow the SQLREF: numbers round when cast to a type with fewer decimals ("real numbers are
 * rounded"), strings are read as numeric/date/time/timestamp/interval/boolean literals, TIMESTAMP -> DATE/TIME
 * takes the day/time of day, DATE -> TIMESTAMP is its midnight and TIME -> TIMESTAMP that time on 1970-01-01,
 * intervals -> BIGINT/DECIMAL count their least significant unit, anything -> CHAR/VARCHAR is the value's text.
 *
 * @throws ExecutionError INVALID_CAST (text that does not read as the target), NUMERIC_OUT_OF_RANGE,
 * STRING_TOO_LONG (the target CHAR/VARCHAR(n) is too short: case scalar-cast-too-short-no-row)
 * @example castValue(123, SqlTypes.INTEGER, SqlTypes.varchar(5)) // '123'
 */
export function castValue(value: Value, from: SqlType, to: SqlType): Value {
  if (value === null || from.kind === 'NULL') return null;
  switch (to.kind) {
    case 'CHAR':
    case 'VARCHAR':
      return toCharacterType(formatValue(value, from)!, to, from);
    case 'TINYINT':
    case 'SMALLINT':
    case 'INTEGER':
    case 'BIGINT':
    case 'DECIMAL':
    case 'REAL':
    case 'DOUBLE': {
      if (typeof value === 'string') return toNumericType(parseNumber(value, to), to);
      if (from.kind === 'INTERVAL') {
        const units = (value as number) / intervalEndSize(from);
        return toNumericType(to.kind === 'DECIMAL' ? units : Math.trunc(units), to);
      }
      return toNumericType(value as number, to);
    }
    case 'BOOLEAN': {
      if (typeof value === 'boolean') return value;
      const t = String(value).trim().toUpperCase();
      if (t === 'TRUE') return true;
      if (t === 'FALSE') return false;
      if (t === 'UNKNOWN') return null;
      return fail(FunctionErrorNames.invalidCast, `cannot cast '${String(value)}' to BOOLEAN: expected TRUE, FALSE or UNKNOWN`);
    }
    case 'DATE':
      if (typeof value === 'string') return parseDateLiteral(value);
      return timestampToDate(value as number);
    case 'TIME':
      if (typeof value === 'string') return parseTimeLiteral(value);
      return from.kind === 'TIME' ? value : timestampToTime(value as number);
    case 'TIMESTAMP':
      if (typeof value === 'string') return parseTimestampLiteral(value);
      return value as number;
    case 'INTERVAL': {
      if (typeof value === 'string') return parseInterval(value, to.start, to.end);
      const size = intervalEndSize(to);
      return Math.trunc((value as number) / size) * size || 0;
    }
    case 'BINARY':
    case 'VARBINARY':
      return toBinaryType(value as Uint8Array, to);
    case 'ROW':
    case 'NULL':
      return value;
  }
}
