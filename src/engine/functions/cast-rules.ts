/**
 * Which CAST source/target pairs KDA allows (SQLREF CAST "Valid Conversions"). Type-level only: it depends on
 * src/types alone, so the planner could host it.
 */
import { formatSqlType, isCharacter, isNumeric, isYearMonthInterval, type SqlType } from '../../types/sql-type.js';

/**
 * Whether CAST(x AS to) is allowed for an x of type `from`:
 * - numeric -> numeric, CHAR, VARCHAR;
 * - CHAR/VARCHAR -> numeric, CHAR, VARCHAR, DATE, TIME, TIMESTAMP, day-time INTERVAL, BOOLEAN;
 * - DATE -> DATE, TIMESTAMP, CHAR, VARCHAR;  TIME -> TIME, TIMESTAMP, CHAR, VARCHAR;
 * - TIMESTAMP -> TIMESTAMP, DATE, TIME, CHAR, VARCHAR;
 * - day-time INTERVAL -> day-time INTERVAL, BIGINT, DECIMAL, CHAR, VARCHAR;
 * - BOOLEAN -> BOOLEAN, CHAR, VARCHAR;  BINARY/VARBINARY -> BINARY/VARBINARY;
 * - a NULL literal -> anything; a year-month INTERVAL -> year-month INTERVAL, CHAR, VARCHAR (not in the table,
 *   but INTERVAL '3-4' YEAR TO MONTH is a documented literal, and printing it is harmless); a ROW only to the
 *   same ROW type.
 * Everything else (e.g. TIMESTAMP -> BIGINT, "use UNIX_TIMESTAMP") is rejected.
 */
export function canCast(from: SqlType, to: SqlType): boolean {
  if (from.kind === 'NULL') return true;
  const toText = isCharacter(to);
  switch (from.kind) {
    case 'TINYINT':
    case 'SMALLINT':
    case 'INTEGER':
    case 'BIGINT':
    case 'DECIMAL':
    case 'REAL':
    case 'DOUBLE':
      return toText || isNumeric(to);
    case 'CHAR':
    case 'VARCHAR':
      return (
        toText ||
        isNumeric(to) ||
        to.kind === 'DATE' ||
        to.kind === 'TIME' ||
        to.kind === 'TIMESTAMP' ||
        to.kind === 'BOOLEAN' ||
        (to.kind === 'INTERVAL' && !isYearMonthInterval(to))
      );
    case 'DATE':
      return toText || to.kind === 'DATE' || to.kind === 'TIMESTAMP';
    case 'TIME':
      return toText || to.kind === 'TIME' || to.kind === 'TIMESTAMP';
    case 'TIMESTAMP':
      return toText || to.kind === 'TIMESTAMP' || to.kind === 'DATE' || to.kind === 'TIME';
    case 'INTERVAL':
      if (isYearMonthInterval(from)) return toText || (to.kind === 'INTERVAL' && isYearMonthInterval(to));
      return toText || (to.kind === 'INTERVAL' && !isYearMonthInterval(to)) || to.kind === 'BIGINT' || to.kind === 'DECIMAL';
    case 'BOOLEAN':
      return toText || to.kind === 'BOOLEAN';
    case 'BINARY':
    case 'VARBINARY':
      return to.kind === 'BINARY' || to.kind === 'VARBINARY';
    case 'ROW':
      return formatSqlType(from) === formatSqlType(to);
  }
}

