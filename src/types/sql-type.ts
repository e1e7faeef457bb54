/**
 * The SQL type model of the KDA dialect, and how values of each type are held at run time.
 *
 * Run-time representation (one value per column, `null` is SQL NULL):
 * - BOOLEAN: `boolean`
 * - TINYINT, SMALLINT, INTEGER, BIGINT: `number` (an integer; BIGINT beyond 2^53 loses precision)
 * - REAL, DOUBLE: `number`
 * - DECIMAL(p, s): `number`, rounded to s decimal places
 * - CHAR(n), VARCHAR(n): `string`
 * - BINARY, VARBINARY: `Uint8Array`
 * - TIMESTAMP: `number`, milliseconds since the epoch, UTC (KDA timestamps have millisecond precision)
 * - DATE: `number`, milliseconds since the epoch at 00:00 UTC of that day
 * - TIME: `number`, milliseconds since 00:00
 * - INTERVAL day-time: `number` of milliseconds; INTERVAL year-month: `number` of months
 * - ROW (results of the log-parsing functions): `Value[]` in field order
 */
import { SqlSyntaxError } from '../errors.js';

export type Value = null | boolean | number | string | Uint8Array | readonly Value[];

export const IntegerKinds = ['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT'] as const;
export type IntegerKind = (typeof IntegerKinds)[number];

export type IntervalUnit = 'YEAR' | 'MONTH' | 'DAY' | 'HOUR' | 'MINUTE' | 'SECOND';

export type SqlType =
  | { readonly kind: 'BOOLEAN' }
  | { readonly kind: IntegerKind }
  | { readonly kind: 'REAL' | 'DOUBLE' }
  | { readonly kind: 'DECIMAL'; readonly precision: number; readonly scale: number }
  | { readonly kind: 'CHAR' | 'VARCHAR'; readonly length: number | null }
  | { readonly kind: 'BINARY' | 'VARBINARY'; readonly length: number | null }
  | { readonly kind: 'DATE' | 'TIME' | 'TIMESTAMP' }
  | { readonly kind: 'INTERVAL'; readonly start: IntervalUnit; readonly end: IntervalUnit }
  | { readonly kind: 'ROW'; readonly fields: readonly { readonly name: string; readonly type: SqlType }[] }
  /** The type of a bare NULL literal, before context gives it one. */
  | { readonly kind: 'NULL' };

export type SqlTypeKind = SqlType['kind'];

/** KDA caps DECIMAL precision and scale at 18 (SQLREF numeric types precision). */
export const MAX_DECIMAL_PRECISION = 18;
/** CHAR/VARCHAR lengths must be below 65535 (SQLREF data types). */
export const MAX_CHAR_LENGTH = 65534;

export const SqlTypes = {
  BOOLEAN: { kind: 'BOOLEAN' },
  TINYINT: { kind: 'TINYINT' },
  SMALLINT: { kind: 'SMALLINT' },
  INTEGER: { kind: 'INTEGER' },
  BIGINT: { kind: 'BIGINT' },
  REAL: { kind: 'REAL' },
  DOUBLE: { kind: 'DOUBLE' },
  DATE: { kind: 'DATE' },
  TIME: { kind: 'TIME' },
  TIMESTAMP: { kind: 'TIMESTAMP' },
  NULL: { kind: 'NULL' },
  decimal: (precision = MAX_DECIMAL_PRECISION, scale = 0): SqlType => ({ kind: 'DECIMAL', precision, scale }),
  varchar: (length: number | null = null): SqlType => ({ kind: 'VARCHAR', length }),
  char: (length: number | null = 1): SqlType => ({ kind: 'CHAR', length }),
} as const satisfies Record<string, SqlType | ((...a: never[]) => SqlType)>;

/** Inclusive value ranges of the integer types. */
export const IntegerRange: Record<IntegerKind, readonly [number, number]> = {
  TINYINT: [-128, 127],
  SMALLINT: [-32768, 32767],
  INTEGER: [-2147483648, 2147483647],
  BIGINT: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

export function isIntegerType(t: SqlType): t is { kind: IntegerKind } {
  return t.kind === 'TINYINT' || t.kind === 'SMALLINT' || t.kind === 'INTEGER' || t.kind === 'BIGINT';
}
/** Exact numerics: the integer types and DECIMAL. */
export function isExactNumeric(t: SqlType): boolean {
  return isIntegerType(t) || t.kind === 'DECIMAL';
}
export function isNumeric(t: SqlType): boolean {
  return isExactNumeric(t) || t.kind === 'REAL' || t.kind === 'DOUBLE';
}
export function isCharacter(t: SqlType): t is { kind: 'CHAR' | 'VARCHAR'; length: number | null } {
  return t.kind === 'CHAR' || t.kind === 'VARCHAR';
}
export function isDatetime(t: SqlType): boolean {
  return t.kind === 'DATE' || t.kind === 'TIME' || t.kind === 'TIMESTAMP';
}
/** A year-month interval counts months; every other interval counts milliseconds. */
export function isYearMonthInterval(t: SqlType): boolean {
  return t.kind === 'INTERVAL' && (t.start === 'YEAR' || t.start === 'MONTH');
}

/** The type as SQL text, e.g. `VARCHAR(4)`, `DECIMAL(10,2)`, `INTERVAL DAY TO SECOND`. */
export function formatSqlType(t: SqlType): string {
  switch (t.kind) {
    case 'DECIMAL':
      return `DECIMAL(${t.precision},${t.scale})`;
    case 'CHAR':
    case 'VARCHAR':
    case 'BINARY':
    case 'VARBINARY':
      return t.length === null ? t.kind : `${t.kind}(${t.length})`;
    case 'INTERVAL':
      return t.start === t.end ? `INTERVAL ${t.start}` : `INTERVAL ${t.start} TO ${t.end}`;
    case 'ROW':
      return `ROW(${t.fields.map((f) => `${f.name} ${formatSqlType(f.type)}`).join(', ')})`;
    default:
      return t.kind;
  }
}

export function sameSqlType(a: SqlType, b: SqlType): boolean {
  return formatSqlType(a) === formatSqlType(b);
}

/** Thrown by {@link parseSqlType} with the reason; callers wrap it with the location (a config field, a SQL position). */
export class SqlTypeSyntaxError extends SqlSyntaxError {
  constructor(detail: string) {
    super(detail);
  }
}

const TYPE_NAMES: Record<string, SqlTypeKind> = {
  BOOLEAN: 'BOOLEAN',
  TINYINT: 'TINYINT',
  SMALLINT: 'SMALLINT',
  INT: 'INTEGER',
  INTEGER: 'INTEGER',
  BIGINT: 'BIGINT',
  REAL: 'REAL',
  FLOAT: 'DOUBLE',
  DOUBLE: 'DOUBLE',
  'DOUBLE PRECISION': 'DOUBLE',
  DECIMAL: 'DECIMAL',
  DEC: 'DECIMAL',
  NUMERIC: 'DECIMAL',
  CHAR: 'CHAR',
  CHARACTER: 'CHAR',
  VARCHAR: 'VARCHAR',
  'CHARACTER VARYING': 'VARCHAR',
  'CHAR VARYING': 'VARCHAR',
  BINARY: 'BINARY',
  VARBINARY: 'VARBINARY',
  DATE: 'DATE',
  TIME: 'TIME',
  TIMESTAMP: 'TIMESTAMP',
};

/**
 * Parses a column type as written in an input schema (`SqlType` of a RecordColumn) or in CREATE STREAM:
 * `VARCHAR(4)`, `DECIMAL(10, 2)`, `DOUBLE PRECISION`, `TIMESTAMP`... INTERVAL is not a column type in KDA
 * and is rejected here.
 *
 * @example
 * parseSqlType('varchar(8)') // { kind: 'VARCHAR', length: 8 }
 */
export function parseSqlType(text: string): SqlType {
  const m = /^\s*([A-Za-z]+(?:\s+[A-Za-z]+)?)\s*(?:\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?\s*$/.exec(text);
  if (!m) throw new SqlTypeSyntaxError(`'${text}' is not a SQL type`);
  const name = m[1].toUpperCase().replace(/\s+/g, ' ');
  if (name.startsWith('INTERVAL')) throw new SqlTypeSyntaxError('INTERVAL is allowed only in expressions, not as a column type');
  const kind = TYPE_NAMES[name];
  if (kind === undefined) throw new SqlTypeSyntaxError(`unknown SQL type '${m[1]}'`);
  const a = m[2] === undefined ? undefined : Number(m[2]);
  const b = m[3] === undefined ? undefined : Number(m[3]);
  switch (kind) {
    case 'DECIMAL': {
      const precision = a ?? MAX_DECIMAL_PRECISION;
      const scale = b ?? 0;
      if (precision < 1 || precision > MAX_DECIMAL_PRECISION) {
        throw new SqlTypeSyntaxError(`DECIMAL precision must be between 1 and ${MAX_DECIMAL_PRECISION}. Received ${precision}`);
      }
      if (scale > precision) throw new SqlTypeSyntaxError(`DECIMAL scale ${scale} exceeds its precision ${precision}`);
      return { kind, precision, scale };
    }
    case 'CHAR':
    case 'VARCHAR':
    case 'BINARY':
    case 'VARBINARY': {
      if (b !== undefined) throw new SqlTypeSyntaxError(`${kind} takes one length, not two`);
      if (a !== undefined && (a < 1 || a > MAX_CHAR_LENGTH)) {
        throw new SqlTypeSyntaxError(`${kind} length must be between 1 and ${MAX_CHAR_LENGTH}. Received ${a}`);
      }
      const dflt = kind === 'CHAR' || kind === 'BINARY' ? 1 : null;
      return { kind, length: a ?? dflt };
    }
    default:
      if (a !== undefined) throw new SqlTypeSyntaxError(`${kind} takes no length or precision`);
      return { kind } as SqlType;
  }
}
