import { isCharacter, isNumeric, type SqlType } from '../types/sql-type.js';

/**
 * Valid CAST source/target pairs (SQLREF sql-reference-cast.html): numeric -> numeric/char;
 * char -> numeric/datetime/day-time interval/boolean/char; DATE -> DATE/TIMESTAMP/char; TIME -> TIME/TIMESTAMP/char;
 * TIMESTAMP -> TIMESTAMP/DATE/TIME/char; day-time INTERVAL -> INTERVAL/BIGINT/DECIMAL/char; BOOLEAN -> BOOLEAN/char;
 * binary -> binary. Everything else (e.g. TIMESTAMP -> BIGINT) is rejected.
 */
export function castAllowed(from: SqlType, to: SqlType): boolean {
  if (from.kind === 'NULL') return true;
  const toChar = isCharacter(to);
  if (isNumeric(from)) return isNumeric(to) || toChar;
  if (isCharacter(from)) {
    return isNumeric(to) || toChar || to.kind === 'DATE' || to.kind === 'TIME' || to.kind === 'TIMESTAMP' || to.kind === 'BOOLEAN' || to.kind === 'INTERVAL';
  }
  switch (from.kind) {
    case 'DATE':
      return to.kind === 'DATE' || to.kind === 'TIMESTAMP' || toChar;
    case 'TIME':
      return to.kind === 'TIME' || to.kind === 'TIMESTAMP' || toChar;
    case 'TIMESTAMP':
      return to.kind === 'TIMESTAMP' || to.kind === 'DATE' || to.kind === 'TIME' || toChar;
    case 'INTERVAL':
      return to.kind === 'INTERVAL' || to.kind === 'BIGINT' || to.kind === 'DECIMAL' || to.kind === 'INTEGER' || toChar;
    case 'BOOLEAN':
      return to.kind === 'BOOLEAN' || toChar;
    case 'BINARY':
    case 'VARBINARY':
      return to.kind === 'BINARY' || to.kind === 'VARBINARY';
    default:
      return false;
  }
}
