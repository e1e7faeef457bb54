/**
 * Bound expressions (src/plan) to Flink SQL text. A pure function of the expression and the names of the row it
 * reads; anything without a faithful Flink equivalent throws UnsupportedTranslationError with its position.
 */
import { UnsupportedTranslationError, type SourcePosition } from '../errors.js';
import type { BoundExpr, OperatorName } from '../plan/index.js';
import { formatSqlType, isIntegerType, isNumeric as isNumericType, type SqlType } from '../types/sql-type.js';
import { flinkType, literal } from './flink-dialect.js';
import { isFieldAccess, isLogParseCall, translateFieldAccess, translateLogParse } from './log-parse-translator.js';

/** How an expression reads its row: column i, the row's ROWTIME, and SQL-function parameters when inlining. */
export interface RowRefs {
  readonly column: (index: number) => string;
  readonly rowtime: string;
  readonly params?: readonly string[];
}

const BINARY: Partial<Record<OperatorName, string>> = {
  add: '+', sub: '-', mul: '*', concat: '||',
  eq: '=', ne: '<>', lt: '<', le: '<=', gt: '>', ge: '>=', and: 'AND', or: 'OR',
  is_distinct: 'IS DISTINCT FROM', is_not_distinct: 'IS NOT DISTINCT FROM',
};
const POSTFIX: Partial<Record<OperatorName, string>> = {
  is_null: 'IS NULL', is_not_null: 'IS NOT NULL', is_true: 'IS TRUE', is_not_true: 'IS NOT TRUE', is_false: 'IS FALSE', is_not_false: 'IS NOT FALSE',
};

/** Functions with the same name, arguments and meaning in Flink. */
const SAME_NAME = new Set(['ABS', 'MOD', 'POWER', 'EXP', 'LN', 'LOG10', 'SQRT', 'UPPER', 'LOWER', 'INITCAP', 'CHAR_LENGTH', 'CHARACTER_LENGTH']);

function posOf(e: BoundExpr): SourcePosition | undefined {
  return 'pos' in e ? e.pos : undefined;
}

function isDayTime(t: SqlType): boolean {
  return t.kind === 'INTERVAL' && t.start !== 'YEAR' && t.start !== 'MONTH';
}

export function translateExpr(e: BoundExpr, refs: RowRefs): string {
  const t = (x: BoundExpr) => translateExpr(x, refs);
  switch (e.kind) {
    case 'column':
      return refs.column(e.index);
    case 'rowtime':
      return refs.rowtime;
    case 'literal':
      return literal(e.value, e.type);
    case 'param': {
      const p = refs.params?.[e.index];
      if (p === undefined) throw new UnsupportedTranslationError('a function parameter outside a function body');
      return p;
    }
    case 'now':
      throw new UnsupportedTranslationError(
        e.which === 'row' ? 'CURRENT_ROW_TIMESTAMP is the processing clock of each row; Flink has no per-row clock that matches it' : 'the query start time (LOCALTIMESTAMP, CURRENT_TIMESTAMP) is not reproducible in a Flink job',
      );
    case 'udf':
      // A SQL function is a macro over its arguments: inlining it keeps its meaning exactly.
      return `(${translateExpr(e.body, { ...refs, params: e.args.map(t) })})`;
    case 'case': {
      const typed = (a: BoundExpr) => (a.kind === 'literal' && a.value === null ? `CAST(NULL AS ${flinkType(e.type)})` : t(a));
      const whens = e.whens.map((w) => `WHEN ${t(w.when)} THEN ${typed(w.then)}`).join(' ');
      return `CASE ${whens}${e.otherwise ? ` ELSE ${typed(e.otherwise)}` : ''} END`;
    }
    case 'cast':
      return `CAST(${t(e.operand)} AS ${flinkType(e.type, e.pos)})`;
    case 'op':
      return translateOp(e.op, e.args, e.type, e.pos, t);
    case 'call':
      return translateCall(e.fn.name, e.args, e.type, e.pos, t, e.fn.syntax);
  }
}

function translateOp(op: OperatorName, args: readonly BoundExpr[], type: SqlType, pos: SourcePosition, t: (x: BoundExpr) => string): string {
  if (args.some((a) => a.type.kind === 'INTERVAL') && (op === 'mul' || op === 'div')) {
    throw new UnsupportedTranslationError('interval multiplication and division have no Flink equivalent', pos);
  }
  if (op === 'neg') return `(- ${t(args[0])})`;
  if (op === 'not') return `(NOT ${t(args[0])})`;
  if (op === 'in') return `(${t(args[0])} IN (${args.slice(1).map(t).join(', ')}))`;
  // A bare NULL has no type of its own in Flink: it takes the operation's.
  const typed = (a: BoundExpr) => (a.kind === 'literal' && a.value === null && a.type.kind === 'NULL' ? `CAST(NULL AS ${flinkType(type, pos)})` : t(a));
  if (op === 'coalesce') return `COALESCE(${args.map(typed).join(', ')})`;
  if (op === 'div') {
    // KDA divides integers with truncation and keeps the plan's result type; Flink's `/` on integers does the same
    // only for some type pairs, so the result is cast to the type the plan derived.
    if (isIntegerType(type)) return `CAST(${t(args[0])} / ${t(args[1])} AS ${flinkType(type)})`;
    // KDA cuts the exact DECIMAL quotient toward zero at the result's scale; Flink rounds its own, smaller-scale one.
    if (type.kind === 'DECIMAL') {
      const d = (x: BoundExpr) => `CAST(${t(x)} AS DECIMAL(38, 18))`;
      return `CAST(SA_DECIMAL_DIVIDE(${d(args[0])}, ${d(args[1])}, ${type.scale}) AS ${flinkType(type, pos)})`;
    }
    return `CAST(${t(args[0])} / ${t(args[1])} AS ${flinkType(type, pos)})`;
  }
  if ((op === 'add' || op === 'sub') && args.every((a) => a.type.kind === 'TIMESTAMP')) {
    throw new UnsupportedTranslationError('timestamp minus timestamp (an interval) has no Flink equivalent', pos);
  }
  const post = POSTFIX[op];
  if (post) return `(${t(args[0])} ${post})`;
  const bin = BINARY[op];
  if (bin) {
    const text = `(${t(args[0])} ${bin} ${t(args[1])})`;
    // Arithmetic keeps KDA's result type (Flink widens DECIMAL results differently).
    if ((op === 'add' || op === 'sub' || op === 'mul') && type.kind !== 'TIMESTAMP' && type.kind !== 'DATE' && type.kind !== 'TIME' && !isDayTime(type)) {
      return `CAST(${text} AS ${flinkType(type, pos)})`;
    }
    return text;
  }
  throw new UnsupportedTranslationError(`operator ${op} has no Flink translation`, pos);
}

function keywordOf(e: BoundExpr | undefined): string | undefined {
  return e && e.kind === 'literal' ? (e as { keyword?: string }).keyword : undefined;
}

function translateCall(name: string, args: readonly BoundExpr[], type: SqlType, pos: SourcePosition, t: (x: BoundExpr) => string, fnSyntax?: string): string {
  if (isLogParseCall(name)) return translateLogParse(name, args, type, pos, t);
  if (isFieldAccess(name)) return translateFieldAccess(name, args, pos, t);
  if (SAME_NAME.has(name)) return `CAST(${name}(${args.map(t).join(', ')}) AS ${flinkType(type, pos)})`;
  switch (name) {
    case 'MONOTONIC':
      return t(args[0]);
    case 'FLOOR':
    case 'CEIL':
    case 'CEILING': {
      const fn = name === 'FLOOR' ? 'FLOOR' : 'CEIL';
      const unit = keywordOf(args[1]);
      if (unit === undefined) return `CAST(${fn}(${t(args[0])}) AS ${flinkType(type, pos)})`;
      if (args[0].type.kind === 'INTERVAL') break;
      return `${fn}(${t(args[0])} TO ${unit})`;
    }
    case 'STEP': {
      if (args[0].type.kind === 'TIMESTAMP' && isDayTime(args[1].type) && args[1].kind === 'literal') {
        return `SA_STEP(${t(args[0])}, CAST(${String(args[1].value)} AS BIGINT))`;
      }
      if (isIntegerType(args[0].type) && isIntegerType(args[1].type)) return `CAST(SA_STEP(CAST(${t(args[0])} AS BIGINT), CAST(${t(args[1])} AS BIGINT)) AS ${flinkType(type)})`;
      throw new UnsupportedTranslationError(`STEP over ${formatSqlType(args[0].type)} by ${formatSqlType(args[1].type)} is translated only for TIMESTAMP by a day-time interval literal and for integers (calendar steps are not)`, pos);
    }
    case 'EXTRACT': {
      const unit = keywordOf(args[0]);
      if (!unit || args[1].type.kind === 'INTERVAL') break;
      return `CAST(EXTRACT(${unit} FROM ${t(args[1])}) AS ${flinkType(type, pos)})`;
    }
    case 'CHAR_TO_TIMESTAMP':
      return `SA_CHAR_TO_TIMESTAMP(${t(args[0])}, ${t(args[1])})`;
    case 'TIMESTAMP_TO_CHAR':
      // DATE_FORMAT takes the Java date pattern KDA documents for TIMESTAMP_TO_CHAR; a NULL timestamp prints as the
      // text 'null' (SQLREF TIMESTAMP_TO_CHAR), a NULL format gives NULL.
      return `CASE WHEN ${t(args[0])} IS NULL THEN CAST(NULL AS STRING) WHEN ${t(args[1])} IS NULL THEN 'null' ELSE DATE_FORMAT(${t(args[1])}, ${t(args[0])}) END`;
    case 'SIMILAR TO':
      return `(${t(args[0])} SIMILAR TO ${t(args[1])})`;
    case 'LIKE':
      if (args[2] && args[2].kind === 'literal' && args[2].value === '\\') {
        throw new UnsupportedTranslationError("Flink 1.20 rejects '\\' as a LIKE escape character at run time", pos);
      }
      return args.length > 2 ? `(${t(args[0])} LIKE ${t(args[1])} ESCAPE ${t(args[2])})` : `(${t(args[0])} LIKE ${t(args[1])})`;
    case 'POSITION':
      if (args.length === 2) return `POSITION(${t(args[0])} IN ${t(args[1])})`;
      break;
    case 'SUBSTRING':
      if (args.length >= 2 && isNumericType(args[1].type)) {
        // SA_SUBSTRING counts positions as KDA does (a start below 1 shortens the length; the comma form gives NULL
        // past the end); Flink's SUBSTRING counts a start below 1 differently.
        const n = (x: BoundExpr) => `CAST(${t(x)} AS BIGINT)`;
        return `SA_SUBSTRING(${t(args[0])}, ${n(args[1])}${args[2] ? `, ${n(args[2])}` : ''}, ${fnSyntax === 'from' ? 'FALSE' : 'TRUE'})`;
      }
      break;
    case 'UNIX_TIMESTAMP':
      // KDA's UNIX_TIMESTAMP is milliseconds since the epoch (Flink's counts seconds of a string).
      return `SA_TSDIFF(${t(args[0])}, TIMESTAMP '1970-01-01 00:00:00.000')`;
    case 'REGEX_REPLACE': {
      const from = args[3];
      const occurrence = args[4];
      // From the first character, every occurrence: Java's replaceAll, which REGEXP_REPLACE is.
      if (from.kind === 'literal' && from.value === 1 && occurrence.kind === 'literal' && occurrence.value === 0) {
        return `REGEXP_REPLACE(${t(args[0])}, ${t(args[1])}, ${t(args[2])})`;
      }
      throw new UnsupportedTranslationError('REGEX_REPLACE is translated only from position 1 for every occurrence (literal 1, 0): Flink REGEXP_REPLACE has no position or occurrence', pos);
    }
    case 'TRIM': {
      const side = keywordOf(args[0]) ?? 'BOTH';
      const ch = args[1];
      if (ch.kind === 'literal' && typeof ch.value === 'string' && ch.value.length === 1) return `TRIM(${side} ${t(ch)} FROM ${t(args[2])})`;
      throw new UnsupportedTranslationError('TRIM is translated only with a one-character literal (KDA rejects other lengths at run time)', pos);
    }
    case 'TSDIFF':
      return `SA_TSDIFF(${t(args[0])}, ${t(args[1])})`;
  }
  throw new UnsupportedTranslationError(`function ${name}(${args.map((a) => formatSqlType(a.type)).join(', ')}) has no faithful Flink translation`, pos ?? posOf(args[0]));
}
