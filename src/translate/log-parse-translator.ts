/**
 * The KDA log parsers (REGEX_LOG_PARSE, FAST_REGEX_LOG_PARSE, W3C_LOG_PARSE, VARIABLE_COLUMN_LOG_PARSE) and reads of
 * the ROW they return, as calls of the job's row-valued UDFs (flink/: RegexLogParse, FastRegexLogParse, W3cLogParse,
 * VariableColumnLogParse). Each UDF takes the parser's constant arguments and, last, the ROW type of the bound plan
 * as a string literal, so Flink types the result exactly as our engine does. Parsers whose fields are converted to
 * other types (FIXED_COLUMN_LOG_PARSE, SYS_LOG_PARSE, typed column lists) are refused: a value that does not
 * convert sends KDA's row to error_stream, which the job does not reproduce.
 */
import { UnsupportedTranslationError, type SourcePosition } from '../errors.js';
import type { BoundExpr } from '../plan/index.js';
import { formatSqlType, isIntegerType, type SqlType } from '../types/sql-type.js';
import { quoteIdent, quoteString } from './flink-dialect.js';

/** The SQL name each translated parser's UDF is declared under (translate-application.ts). */
const PARSER_UDFS: Readonly<Record<string, string>> = {
  REGEX_LOG_PARSE: 'SA_REGEX_LOG_PARSE',
  FAST_REGEX_LOG_PARSE: 'SA_FAST_REGEX_LOG_PARSE',
  FAST_REGEX_LOG_PARSER: 'SA_FAST_REGEX_LOG_PARSE',
  W3C_LOG_PARSE: 'SA_W3C_LOG_PARSE',
  VARIABLE_COLUMN_LOG_PARSE: 'SA_VARIABLE_COLUMN_LOG_PARSE',
};
const TYPED_PARSERS = new Set(['FIXED_COLUMN_LOG_PARSE', 'SYS_LOG_PARSE']);

/** The untyped field every parser returns. */
function isLogColumn(t: SqlType): boolean {
  return t.kind === 'VARCHAR' && t.length === 1024;
}

/** Whether the call is one of the log-parsing functions (translated here or refused here). */
export function isLogParseCall(name: string): boolean {
  return name in PARSER_UDFS || TYPED_PARSERS.has(name);
}

/** Whether the call reads a field of a ROW (`row.COLUMN1`): the plan names it `$FIELD<index>`. */
export function isFieldAccess(name: string): boolean {
  return /^\$FIELD\d+$/.test(name);
}

function rowTypeText(t: SqlType, pos: SourcePosition): string {
  if (t.kind !== 'ROW' || !t.fields.every((f) => isLogColumn(f.type))) {
    throw new UnsupportedTranslationError(
      `a log parser returning ${formatSqlType(t)} is not translated: only parsers whose fields are all VARCHAR(1024) are (a typed field that does not convert sends KDA's row to error_stream)`,
      pos,
    );
  }
  return `ROW<${t.fields.map((f) => `${quoteIdent(f.name)} VARCHAR(1024)`).join(', ')}>`;
}

/** A log-parsing call as its UDF's call. `t` translates an argument. */
export function translateLogParse(name: string, args: readonly BoundExpr[], type: SqlType, pos: SourcePosition, t: (x: BoundExpr) => string): string {
  const udf = PARSER_UDFS[name];
  if (udf === undefined) {
    throw new UnsupportedTranslationError(`${name} is not translated: its fields are converted to typed columns, and a value that does not convert sends KDA's row to error_stream`, pos);
  }
  if (name === 'VARIABLE_COLUMN_LOG_PARSE' && !isIntegerType(args[1].type)) {
    throw new UnsupportedTranslationError('VARIABLE_COLUMN_LOG_PARSE with a typed column list is not translated (a value that does not convert sends KDA\'s row to error_stream); a column count is', pos);
  }
  const rowType = quoteString(rowTypeText(type, pos));
  const text = (x: BoundExpr | undefined) => (x === undefined || (x.kind === 'literal' && x.value === null) ? "''" : `CAST(${t(x)} AS STRING)`);
  if (name === 'VARIABLE_COLUMN_LOG_PARSE') {
    return `${udf}(${t(args[0])}, CAST(${t(args[1])} AS INT), ${text(args[2])}, ${text(args[3])}, ${text(args[4])}, ${rowType})`;
  }
  // REGEX_LOG_PARSE's optional column list only names the fields here (all VARCHAR(1024), checked above).
  return `${udf}(${t(args[0])}, ${text(args[1])}, ${rowType})`;
}

/** `row.FIELD`: Flink's field access on the ROW value. */
export function translateFieldAccess(name: string, args: readonly BoundExpr[], pos: SourcePosition, t: (x: BoundExpr) => string): string {
  const rowType = args[0].type;
  const index = Number(name.slice('$FIELD'.length));
  if (rowType.kind !== 'ROW' || index >= rowType.fields.length) throw new UnsupportedTranslationError(`field ${index + 1} of a ${formatSqlType(rowType)} value`, pos);
  return `(${t(args[0])}).${quoteIdent(rowType.fields[index].name)}`;
}
