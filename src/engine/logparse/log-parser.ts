import { SqlTypes, type SqlType, type Value } from '../../types/sql-type.js';

/** One field of the ROW a log-parsing function returns. */
export interface LogParseField {
  readonly name: string;
  readonly type: SqlType;
}

/**
 * A log-parsing function compiled for its constant arguments (the plan-time half). `fields` and `rowType` give
 * the ROW's shape for the planner (`(f(...)).COLUMN1`); `parse` is the row-time half: the ROW value as an array
 * in field order, or null (SQL NULL) when the input is NULL or does not match. Conversion failures of typed
 * columns throw ExecutionError (the engine sends the row to error_stream).
 */
export interface LogParser {
  readonly functionName: string;
  readonly fields: readonly LogParseField[];
  readonly rowType: SqlType;
  parse(input: string | null): Value[] | null;
}

/** The width of the untyped columns every parser returns (SQLREF: "The columns will be of type varchar(1024)"). */
export const LOG_COLUMN_LENGTH = 1024;

/** COLUMN1..COLUMNn, all VARCHAR(1024). */
export function varcharColumns(n: number): LogParseField[] {
  return Array.from({ length: n }, (_, i) => ({ name: `COLUMN${i + 1}`, type: SqlTypes.varchar(LOG_COLUMN_LENGTH) }));
}

export function rowTypeOf(fields: readonly LogParseField[]): SqlType {
  return { kind: 'ROW', fields: fields.map((f) => ({ name: f.name, type: f.type })) };
}

/** A VARCHAR(1024) value: longer strings are cut to 1024 characters (the policy for VARCHAR(n) overflow). */
export function varcharValue(text: string | undefined | null): string | null {
  if (text === undefined || text === null) return null;
  return text.length > LOG_COLUMN_LENGTH ? text.slice(0, LOG_COLUMN_LENGTH) : text;
}
