import { ExecutionError, PlanError } from '../../errors.js';
import {
  IntegerRange,
  isIntegerType,
  parseSqlType,
  SqlTypeSyntaxError,
  type SqlType,
  type Value,
} from '../../types/sql-type.js';
import { compileDateFormat, parseDateTime } from '../functions/index.js';

/**
 * One column of a typed log-parser column list (VARIABLE_COLUMN_LOG_PARSE, FIXED_COLUMN_LOG_PARSE):
 * `<identifier> TYPE <data type> ['<datetime format>'] [NOT NULL] [START <n> [FOR <m>]]`.
 */
export interface TypedColumnSpec {
  readonly name: string;
  readonly type: SqlType;
  readonly notNull: boolean;
  /** SimpleDateFormat pattern for DATE/TIME/TIMESTAMP columns. */
  readonly format: string | null;
  /** FIXED_COLUMN_LOG_PARSE only: 0-based start and optional width. */
  readonly start: number | null;
  readonly width: number | null;
}

/**
 * Parses a column list string. Unquoted names are upper-cased (SQL identifiers); "quoted" names are kept.
 * Throws PlanError naming the function and the offending column description.
 */
export function parseTypedColumnSpecs(fn: string, text: string, allowPositions: boolean): TypedColumnSpec[] {
  const parts = splitTopLevel(text);
  if (parts.length === 0 || parts.every((p) => p.trim() === '')) throw new PlanError(`${fn}: the column list is empty`);
  return parts.map((raw) => {
    const part = raw.trim();
    const m =
      /^("(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)\s+TYPE\s+(.+?)(?:\s+'((?:[^']|'')*)')?(\s+NOT\s+NULL)?(?:\s+START\s+(\d+)(?:\s+FOR\s+(\d+))?)?$/is.exec(
        part,
      );
    if (!m) {
      throw new PlanError(
        `${fn}: column description '${part}' is not of the form <name> TYPE <type>${allowPositions ? ' START <n> [FOR <m>]' : ''} [NOT NULL]`,
      );
    }
    const name = m[1].startsWith('"') ? m[1].slice(1, -1).replace(/""/g, '"') : m[1].toUpperCase();
    let type: SqlType;
    try {
      type = parseSqlType(m[2]);
    } catch (e) {
      if (e instanceof SqlTypeSyntaxError) throw new PlanError(`${fn}: column ${name}: ${e.message}`);
      throw e;
    }
    const format = m[3] === undefined ? null : m[3].replace(/''/g, "'");
    if (format !== null) {
      if (type.kind !== 'DATE' && type.kind !== 'TIME' && type.kind !== 'TIMESTAMP') {
        throw new PlanError(`${fn}: column ${name}: a format string is allowed only for DATE, TIME and TIMESTAMP`);
      }
      try {
        compileDateFormat(format);
      } catch (e) {
        if (e instanceof ExecutionError) throw new PlanError(`${fn}: column ${name}: ${e.message}`);
        throw e;
      }
    }
    const start = m[5] === undefined ? null : Number(m[5]);
    const width = m[6] === undefined ? null : Number(m[6]);
    if (allowPositions && start === null) throw new PlanError(`${fn}: column ${name} has no START position`);
    if (!allowPositions && start !== null) throw new PlanError(`${fn}: column ${name}: START is not allowed here`);
    return { name, type, notNull: m[4] !== undefined, format, start, width };
  });
}

/** Splits on commas that are outside parentheses and quotes. */
function splitTopLevel(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let current = '';
  for (const c of text) {
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      out.push(current);
      current = '';
      continue;
    }
    current += c;
  }
  out.push(current);
  return out;
}

const DEFAULT_FORMATS: Record<string, string[]> = {
  TIMESTAMP: ['yyyy-MM-dd HH:mm:ss.SSS', 'yyyy-MM-dd HH:mm:ss', 'yyyy-MM-dd'],
  DATE: ['yyyy-MM-dd'],
  TIME: ['HH:mm:ss.SSS', 'HH:mm:ss'],
};

/**
 * Converts one extracted field to its column's type. An empty field is NULL; NULL in a NOT NULL column, or text
 * that is not a value of the type, throws ExecutionError naming the function, column and value.
 */
export function convertField(fn: string, spec: TypedColumnSpec, text: string | null): Value {
  const fail = (what: string): never => {
    throw new ExecutionError('LogParseConversionError', `${fn}: column ${spec.name}: ${what}. Received '${text}'`);
  };
  const type = spec.type;
  if (text === null || (text === '' && type.kind !== 'CHAR' && type.kind !== 'VARCHAR')) {
    if (spec.notNull) fail('NULL in a NOT NULL column');
    return null;
  }
  switch (type.kind) {
    case 'CHAR':
    case 'VARCHAR':
      return type.length !== null && text.length > type.length ? text.slice(0, type.length) : text;
    case 'BOOLEAN': {
      const t = text.trim().toLowerCase();
      if (t === 'true') return true;
      if (t === 'false') return false;
      return fail('expected TRUE or FALSE');
    }
    case 'REAL':
    case 'DOUBLE': {
      const t = text.trim();
      const n = Number(t);
      if (t === '' || !Number.isFinite(n)) fail(`expected a number for ${type.kind}`);
      return n;
    }
    case 'DECIMAL': {
      const t = text.trim();
      if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(t)) fail(`expected a decimal number for DECIMAL(${type.precision},${type.scale})`);
      const n = Number(t);
      const f = 10 ** type.scale;
      const rounded = Math.round(n * f) / f;
      if (Math.abs(rounded) >= 10 ** (type.precision - type.scale)) fail(`value out of range for DECIMAL(${type.precision},${type.scale})`);
      return rounded;
    }
    case 'DATE':
    case 'TIME':
    case 'TIMESTAMP': {
      const t = text.trim();
      const formats = spec.format !== null ? [spec.format] : DEFAULT_FORMATS[type.kind];
      for (const f of formats) {
        const ms = parseOrNull(t, f);
        if (ms !== null) {
          if (type.kind === 'DATE') return Math.floor(ms / 86400000) * 86400000;
          if (type.kind === 'TIME') return ((ms % 86400000) + 86400000) % 86400000;
          return ms;
        }
      }
      return fail(`expected a ${type.kind} in the format '${formats.join("' or '")}'`);
    }
    default:
      if (isIntegerType(type)) {
        const t = text.trim();
        if (!/^[+-]?\d+$/.test(t)) fail(`expected an integer for ${type.kind}`);
        const n = Number(t);
        const [lo, hi] = IntegerRange[type.kind];
        if (n < lo || n > hi) fail(`value out of range for ${type.kind}`);
        return n;
      }
      throw new PlanError(`${fn}: column ${spec.name}: type ${type.kind} is not supported by the log parsers`);
  }
}

/** Plan-time check that every column type can be converted to. */
export function checkConvertibleTypes(fn: string, specs: readonly TypedColumnSpec[]): void {
  for (const s of specs) {
    if (s.type.kind === 'BINARY' || s.type.kind === 'VARBINARY') {
      throw new PlanError(`${fn}: column ${s.name}: ${s.type.kind} is not supported (parsing of binary data is not supported)`);
    }
  }
}

/** SimpleDateFormat parsing (the functions library's, checked against the JDK), or null when the text does not fit. */
function parseOrNull(text: string, pattern: string): number | null {
  try {
    return parseDateTime(text, pattern);
  } catch (e) {
    if (e instanceof ExecutionError) return null;
    throw e;
  }
}
