/**
 * Which value types may be stored into which column types without a CAST: the implicit conversions of a pump's
 * INSERT (SQLREF INSERT: the SELECT list and the target columns must match, and KDA's own examples insert COUNT
 * into DOUBLE and VARCHAR(16) into VARCHAR(12)); the same rule serves CREATE FUNCTION's RETURN. Type-level only:
 * depends on src/types alone, so the planner could host it.
 */
import { isCharacter, isNumeric, isYearMonthInterval, type SqlType } from '../../types/sql-type.js';

/**
 * Whether a value of type `from` may be assigned to a column of type `to`: within the numeric types, within the
 * character types, a datetime to the same kind (or DATE to TIMESTAMP), BOOLEAN to BOOLEAN, binary to binary,
 * an interval to an interval of the same family, and NULL to anything. TIMESTAMP -> BIGINT and the like are
 * rejected (case reject-implicit-cast-timestamp-to-bigint).
 */
export function canAssign(from: SqlType, to: SqlType): boolean {
  if (from.kind === 'NULL') return true;
  if (isNumeric(from)) return isNumeric(to);
  if (isCharacter(from)) return isCharacter(to);
  switch (from.kind) {
    case 'DATE':
      return to.kind === 'DATE' || to.kind === 'TIMESTAMP';
    case 'TIME':
    case 'TIMESTAMP':
    case 'BOOLEAN':
      return to.kind === from.kind;
    case 'BINARY':
    case 'VARBINARY':
      return to.kind === 'BINARY' || to.kind === 'VARBINARY';
    case 'INTERVAL':
      return to.kind === 'INTERVAL' && isYearMonthInterval(from) === isYearMonthInterval(to);
    default:
      return false;
  }
}
