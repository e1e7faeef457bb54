/**
 * The Flink SQL dialect as the translator writes it: identifier quoting, type names and literals. Everything
 * that depends on Flink's spelling is here; the translators call these hooks and never build Flink text for
 * a type or a literal themselves.
 */
import { UnsupportedTranslationError, type SourcePosition } from '../errors.js';
import { formatSqlType, type SqlType, type Value } from '../types/sql-type.js';

/** Backquoted identifier: Flink is case-sensitive on quoted names, as KDA is on stored names. */
export function quoteIdent(name: string): string {
  return '`' + name.replace(/`/g, '``') + '`';
}

export function quoteString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** The Flink type of a KDA column type; a type Flink cannot hold as a column is refused. */
export function flinkType(t: SqlType, pos?: SourcePosition): string {
  switch (t.kind) {
    case 'BOOLEAN':
    case 'TINYINT':
    case 'SMALLINT':
    case 'BIGINT':
    case 'DOUBLE':
    case 'DATE':
      return t.kind;
    case 'INTEGER':
      return 'INT';
    case 'REAL':
      return 'FLOAT';
    case 'DECIMAL':
      return `DECIMAL(${t.precision}, ${t.scale})`;
    case 'CHAR':
    case 'VARCHAR':
      return t.length === null ? 'STRING' : `${t.kind}(${t.length})`;
    case 'BINARY':
    case 'VARBINARY':
      return t.length === null ? 'BYTES' : `${t.kind}(${t.length})`;
    case 'TIME':
      return 'TIME(3)';
    case 'TIMESTAMP':
      return 'TIMESTAMP(3)';
    case 'NULL':
      return 'STRING';
    case 'INTERVAL':
    case 'ROW':
      throw new UnsupportedTranslationError(`a value of type ${formatSqlType(t)} cannot be a column of a Flink table or view here`, pos);
  }
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** 'YYYY-MM-DD HH:MM:SS.SSS' of epoch milliseconds, UTC. */
export function timestampText(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
}

const DAY_MS = 86_400_000;

/**
 * A day-time interval literal of `ms` milliseconds. Flink keeps the default leading precision (two digits), so a
 * value of two digits or fewer in one unit keeps the plain form and anything else is written DAY TO SECOND.
 */
export function dayTimeIntervalLiteral(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  const a = Math.abs(ms);
  for (const [unit, size] of [['DAY', DAY_MS], ['HOUR', 3_600_000], ['MINUTE', 60_000], ['SECOND', 1000]] as const) {
    if (a % size === 0 && a / size < 100) return `INTERVAL '${sign}${a / size}' ${unit}`;
  }
  if (a < 100_000) return `INTERVAL '${sign}${Math.floor(a / 1000)}.${pad(a % 1000, 3)}' SECOND`;
  const days = Math.floor(a / DAY_MS);
  const rest = a % DAY_MS;
  const hh = Math.floor(rest / 3_600_000);
  const mm = Math.floor((rest % 3_600_000) / 60_000);
  const ss = Math.floor((rest % 60_000) / 1000);
  if (days >= 100) throw new UnsupportedTranslationError(`an interval of ${days} days exceeds Flink's day-time interval literals`);
  return `INTERVAL '${sign}${days} ${pad(hh)}:${pad(mm)}:${pad(ss)}.${pad(a % 1000, 3)}' DAY TO SECOND(3)`;
}

/** A literal of the given type. */
export function literal(value: Value, t: SqlType, pos?: SourcePosition): string {
  if (value === null) return t.kind === 'NULL' ? 'CAST(NULL AS STRING)' : `CAST(NULL AS ${flinkType(t, pos)})`;
  switch (t.kind) {
    case 'BOOLEAN':
      return value ? 'TRUE' : 'FALSE';
    case 'TINYINT':
    case 'SMALLINT':
    case 'INTEGER':
      return `CAST(${String(value)} AS ${flinkType(t)})`;
    case 'BIGINT':
      return `CAST(${String(value)} AS BIGINT)`;
    case 'REAL':
    case 'DOUBLE': {
      const n = value as number;
      if (!Number.isFinite(n)) throw new UnsupportedTranslationError(`the floating-point value ${n} has no Flink literal`, pos);
      return `CAST(${n.toExponential()} AS ${flinkType(t)})`;
    }
    case 'DECIMAL':
      return `CAST(${quoteString(String(value))} AS ${flinkType(t)})`;
    case 'CHAR':
    case 'VARCHAR':
      return quoteString(String(value));
    case 'TIMESTAMP':
      return `TIMESTAMP '${timestampText(value as number)}'`;
    case 'DATE':
      return `DATE '${timestampText(value as number).slice(0, 10)}'`;
    case 'TIME':
      return `TIME '${timestampText(value as number).slice(11)}'`;
    case 'INTERVAL':
      if (t.start === 'YEAR' || t.start === 'MONTH') {
        const m = value as number;
        return `INTERVAL '${m < 0 ? '-' : ''}${Math.floor(Math.abs(m) / 12)}-${Math.abs(m) % 12}' YEAR(4) TO MONTH`;
      }
      return dayTimeIntervalLiteral(value as number);
    default:
      throw new UnsupportedTranslationError(`a literal of type ${formatSqlType(t)} has no Flink spelling`, pos);
  }
}

/** Milliseconds of a calendar-free time unit, for FLOOR(ts TO unit) windows. */
export const UNIT_MS: Readonly<Record<string, number>> = { SECOND: 1000, MINUTE: 60_000, HOUR: 3_600_000, DAY: DAY_MS };
