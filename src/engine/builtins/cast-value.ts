/**
 * Conversions between SQL types at run time: explicit CAST (a value that does not fit is an error) and
 * assignment on INSERT into a stream column (over-long strings are truncated, per the README policy).
 * Temporary until the functions library's cast.ts lands.
 */
import { ExecutionError } from '../../errors.js';
import { parseTimeText, parseTimestampText } from '../../plan/index.js';
import { formatSqlType, IntegerRange, isCharacter, isIntegerType, type SqlType, type Value } from '../../types/sql-type.js';
import { formatDate, formatTime, formatTimestamp } from './datetime-text.js';

const DAY = 86_400_000;

/** Rounds half away from zero to `scale` decimals. */
export function roundToScale(v: number, scale: number): number {
  const f = 10 ** scale;
  const r = Math.round(Math.abs(v) * f + 1e-9 * Math.min(1, Math.abs(v) * f)) / f;
  return v < 0 ? -r : r;
}

/** Text of a value as CAST(... AS VARCHAR) renders it. */
export function valueToText(v: Value, from: SqlType): string {
  if (v === null) return '';
  switch (from.kind) {
    case 'TIMESTAMP':
      return formatTimestamp(v as number);
    case 'DATE':
      return formatDate(v as number);
    case 'TIME':
      return formatTime(v as number);
    case 'BOOLEAN':
      return v ? 'TRUE' : 'FALSE';
    case 'DECIMAL':
      return (v as number).toFixed(from.scale);
    case 'REAL':
    case 'DOUBLE': {
      const n = v as number;
      if (Number.isInteger(n) && Math.abs(n) < 1e7) return n.toFixed(1);
      const s = String(n);
      return s.replace(/e\+?/, 'E');
    }
    case 'INTERVAL': {
      const n = v as number;
      if (from.start === 'YEAR' || from.start === 'MONTH') return `${n < 0 ? '-' : ''}${Math.floor(Math.abs(n) / 12)}-${Math.abs(n) % 12}`;
      const a = Math.abs(n);
      const d = Math.floor(a / DAY);
      const rest = formatTimestamp(a % DAY).slice(11);
      return `${n < 0 ? '-' : ''}${d} ${rest}`;
    }
    default:
      if (v instanceof Uint8Array) return Buffer.from(v).toString('hex').toUpperCase();
      return String(v);
  }
}

function toNumber(v: Value, from: SqlType, to: SqlType): number {
  if (typeof v === 'number') {
    if (from.kind === 'INTERVAL') {
      if (from.start === 'YEAR' || from.start === 'MONTH') return from.end === 'YEAR' ? Math.trunc(v / 12) : v;
      const unit = { DAY: DAY, HOUR: 3_600_000, MINUTE: 60_000, SECOND: 1000 }[from.end as 'DAY'] ?? 1;
      return v / unit;
    }
    return v;
  }
  if (typeof v === 'string') {
    const t = v.trim();
    const n = t === '' ? NaN : Number(t);
    if (Number.isNaN(n)) throw new ExecutionError('CAST_FAILED', `cannot convert '${v}' to ${formatSqlType(to)}`);
    return n;
  }
  if (typeof v === 'boolean') return v ? 1 : 0;
  throw new ExecutionError('CAST_FAILED', `cannot convert ${String(v)} to ${formatSqlType(to)}`);
}

/** Fits a number into a numeric type: integers truncate toward zero and range-check, DECIMAL rounds and checks precision. */
export function fitNumber(n: number, to: SqlType): number {
  if (isIntegerType(to)) {
    const t = Math.trunc(n);
    const [lo, hi] = IntegerRange[to.kind];
    if (t < lo || t > hi || !Number.isFinite(t)) throw new ExecutionError('NUMERIC_OVERFLOW', `${n} is out of range for ${to.kind}`);
    return t === 0 ? 0 : t;
  }
  if (to.kind === 'DECIMAL') {
    const r = roundToScale(n, to.scale);
    if (Math.abs(r) >= 10 ** (to.precision - to.scale)) throw new ExecutionError('NUMERIC_OVERFLOW', `${n} does not fit ${formatSqlType(to)}`);
    return r;
  }
  if (to.kind === 'REAL' && Number.isFinite(n) && Math.abs(n) > 3.4028234663852886e38) throw new ExecutionError('NUMERIC_OVERFLOW', `${n} is out of range for REAL`);
  return n;
}

/**
 * CAST(v AS to). Throws ExecutionError when the value cannot be converted or does not fit
 * (a string longer than the target: "target too short").
 */
export function castValue(v: Value, from: SqlType, to: SqlType): Value {
  if (v === null) return null;
  switch (to.kind) {
    case 'TINYINT':
    case 'SMALLINT':
    case 'INTEGER':
    case 'BIGINT':
    case 'DECIMAL':
    case 'REAL':
    case 'DOUBLE':
      return fitNumber(toNumber(v, from, to), to);
    case 'CHAR':
    case 'VARCHAR': {
      const s = isCharacter(from) ? (v as string) : valueToText(v, from);
      if (to.length !== null && s.length > to.length) {
        if (isCharacter(from) && s.slice(to.length).trim() === '') return s.slice(0, to.length);
        throw new ExecutionError('CAST_FAILED', `'${s}' is too long for ${formatSqlType(to)}`);
      }
      return to.kind === 'CHAR' && to.length !== null ? s.padEnd(to.length, ' ') : s;
    }
    case 'BOOLEAN': {
      if (typeof v === 'boolean') return v;
      const s = String(v).trim().toLowerCase();
      if (s === 'true') return true;
      if (s === 'false') return false;
      throw new ExecutionError('CAST_FAILED', `cannot convert '${String(v)}' to BOOLEAN`);
    }
    case 'TIMESTAMP':
    case 'DATE': {
      let t: number;
      if (typeof v === 'string') {
        const p = parseTimestampText(v.replace('T', ' '));
        if (p === null) throw new ExecutionError('CAST_FAILED', `cannot convert '${v}' to ${to.kind}`);
        t = p;
      } else if (from.kind === 'TIME') t = Math.floor(Date.now() / DAY) * DAY + (v as number);
      else t = v as number;
      return to.kind === 'DATE' ? Math.floor(t / DAY) * DAY : t;
    }
    case 'TIME': {
      if (typeof v === 'string') {
        const p = parseTimeText(v) ?? (() => {
          const ts = parseTimestampText(v);
          return ts === null ? null : ((ts % DAY) + DAY) % DAY;
        })();
        if (p === null) throw new ExecutionError('CAST_FAILED', `cannot convert '${v}' to TIME`);
        return p;
      }
      return from.kind === 'TIME' ? v : (((v as number) % DAY) + DAY) % DAY;
    }
    case 'INTERVAL': {
      if (from.kind === 'INTERVAL') return v;
      const n = toNumber(v, from, to);
      if (to.start === 'YEAR' || to.start === 'MONTH') return Math.trunc(n * (to.end === 'YEAR' ? 12 : 1));
      const unit = { DAY: DAY, HOUR: 3_600_000, MINUTE: 60_000, SECOND: 1000 }[to.end as 'DAY'] ?? 1;
      return n * unit;
    }
    default:
      return v;
  }
}

/**
 * Assignment of a value to a stream column on INSERT: numbers are fitted to the column type, strings longer
 * than VARCHAR(n)/CHAR(n) are truncated and CHAR is blank-padded, datetimes are converted.
 */
export function assignValue(v: Value, from: SqlType, to: SqlType): Value {
  if (v === null) return null;
  switch (to.kind) {
    case 'CHAR':
    case 'VARCHAR': {
      let s = typeof v === 'string' ? v : valueToText(v, from);
      if (to.length !== null && s.length > to.length) s = s.slice(0, to.length);
      return to.kind === 'CHAR' && to.length !== null ? s.padEnd(to.length, ' ') : s;
    }
    case 'TINYINT':
    case 'SMALLINT':
    case 'INTEGER':
    case 'BIGINT':
    case 'DECIMAL':
    case 'REAL':
    case 'DOUBLE':
      return fitNumber(typeof v === 'number' ? v : toNumber(v, from, to), to);
    case 'DATE':
      return Math.floor((v as number) / DAY) * DAY;
    default:
      return v;
  }
}
