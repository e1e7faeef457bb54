/**
 * Bound expressions (src/plan) to Flink SQL text. A pure function of the expression and the names of the row it
 * reads; anything without a faithful Flink equivalent throws UnsupportedTranslationError with its position.
 */
import { UnsupportedTranslationError, type SourcePosition } from '../errors.js';
import type { BoundExpr, OperatorName } from '../plan/index.js';
import { formatSqlType, isCharacter, isIntegerType, isNumeric as isNumericType, type SqlType } from '../types/sql-type.js';
import { flinkType, literal, UNIT_MS } from './flink-dialect.js';
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
      // CURRENT_ROW_TIMESTAMP is the wall clock when the row is processed; Flink's CURRENT_ROW_TIMESTAMP() is that
      // clock per record, as TIMESTAMP_LTZ, which the job's UTC session zone turns into KDA's UTC TIMESTAMP.
      if (e.which === 'row') return `CAST(CURRENT_ROW_TIMESTAMP() AS ${flinkType(e.type)})`;
      // In streaming mode Flink evaluates LOCALTIMESTAMP and CURRENT_TIMESTAMP per record, not once per query.
      throw new UnsupportedTranslationError('the query start time (LOCALTIMESTAMP, CURRENT_TIMESTAMP) has no Flink equivalent: Flink evaluates those per record in a streaming job');
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
  if ((op === 'mul' || op === 'div') && type.kind === 'INTERVAL') return scaleInterval(op, args, type, t);
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
    if ((op === 'add' || op === 'sub' || op === 'mul') && type.kind !== 'TIMESTAMP' && type.kind !== 'DATE' && type.kind !== 'TIME' && type.kind !== 'INTERVAL') {
      return `CAST(${text} AS ${flinkType(type, pos)})`;
    }
    return text;
  }
  throw new UnsupportedTranslationError(`operator ${op} has no Flink translation`, pos);
}

/**
 * interval * number, interval / number, and a number read as an interval (`(n) MINUTE`, which the plan binds as
 * n times the unit's size): a UDF computes the product in double precision as our engine does.
 */
function scaleInterval(op: 'mul' | 'div', args: readonly BoundExpr[], type: SqlType, t: (x: BoundExpr) => string): string {
  const fn = isDayTime(type) ? 'SA_DAY_TIME_INTERVAL_SCALE' : 'SA_YEAR_MONTH_INTERVAL_SCALE';
  const asDouble = (a: BoundExpr) => `CAST(${t(a)} AS DOUBLE)`;
  const i = args.findIndex((a) => a.type.kind === 'INTERVAL');
  if (i < 0) {
    const unit = isDayTime(type) ? "INTERVAL '0.001' SECOND" : "INTERVAL '1' MONTH";
    return `${fn}(${unit}, ${args.map(asDouble).join(' * ')}, FALSE)`;
  }
  return `${fn}(${t(args[i])}, ${asDouble(args[1 - i])}, ${op === 'div' ? 'TRUE' : 'FALSE'})`;
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
      if (args[0].type.kind === 'INTERVAL') {
        if (!isDayTime(args[0].type)) break;
        return `SA_FLOOR_INTERVAL(${t(args[0])}, CAST(${UNIT_MS[unit] ?? 1} AS BIGINT), ${fn === 'CEIL' ? 'TRUE' : 'FALSE'})`;
      }
      return `${fn}(${t(args[0])} TO ${unit})`;
    }
    case 'STEP': {
      if (args[0].type.kind === 'TIMESTAMP' && isDayTime(args[1].type) && args[1].kind === 'literal') {
        return `SA_STEP(${t(args[0])}, CAST(${String(args[1].value)} AS BIGINT))`;
      }
      // Calendar steps (YEAR/MONTH) and intervals computed per row.
      if (args[0].type.kind === 'TIMESTAMP' && args[1].type.kind === 'INTERVAL') return `SA_STEP_INTERVAL(${t(args[0])}, ${t(args[1])})`;
      if (isIntegerType(args[0].type) && isIntegerType(args[1].type)) return `CAST(SA_STEP(CAST(${t(args[0])} AS BIGINT), CAST(${t(args[1])} AS BIGINT)) AS ${flinkType(type)})`;
      throw new UnsupportedTranslationError(`STEP over ${formatSqlType(args[0].type)} by ${formatSqlType(args[1].type)} is translated only for TIMESTAMP by an interval and for integers`, pos);
    }
    case 'EXTRACT': {
      const unit = keywordOf(args[0]);
      if (!unit) break;
      if (args[1].type.kind === 'INTERVAL') return `CAST(SA_EXTRACT_INTERVAL('${unit}', ${t(args[1])}) AS ${flinkType(type, pos)})`;
      return `CAST(EXTRACT(${unit} FROM ${t(args[1])}) AS ${flinkType(type, pos)})`;
    }
    case 'CHAR_TO_TIMESTAMP':
      return `SA_CHAR_TO_TIMESTAMP(${t(args[0])}, ${t(args[1])})`;
    case 'TIMESTAMP_TO_CHAR':
      // SA_TIMESTAMP_TO_CHAR formats with SimpleDateFormat, the pattern KDA documents (Flink's DATE_FORMAT reads
      // DateTimeFormatter letters, where 'u' is the year); a NULL timestamp prints as the text 'null' (SQLREF
      // TIMESTAMP_TO_CHAR), a NULL format gives NULL.
      return `CASE WHEN ${t(args[0])} IS NULL THEN CAST(NULL AS STRING) WHEN ${t(args[1])} IS NULL THEN 'null' ELSE SA_TIMESTAMP_TO_CHAR(${t(args[0])}, ${t(args[1])}) END`;
    case 'SIMILAR TO':
      // The pattern is translated to a Java regex as our engine translates it (Flink's SIMILAR TO differs in details).
      return `SA_SIMILAR_TO(${args.map(t).join(', ')})`;
    case 'LIKE':
      // Flink 1.20's LIKE rejects '\\' as an escape at run time; the UDF applies our engine's rules to every pattern.
      return `SA_LIKE(${args.map(t).join(', ')})`;
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
      // A character second argument: SUBSTRING(s FROM regex), or (three arguments) SUBSTRING(s SIMILAR p ESCAPE e).
      if (args.length === 2 && args[1].type.kind !== 'NULL' && isCharacter(args[1].type)) return `SA_SUBSTRING_REGEX(${t(args[0])}, ${t(args[1])})`;
      if (args.length === 3 && args[1].type.kind !== 'NULL' && isCharacter(args[1].type)) return `SA_SUBSTRING_SIMILAR(${args.map(t).join(', ')})`;
      break;
    case 'UNIX_TIMESTAMP':
      // KDA's UNIX_TIMESTAMP is milliseconds since the epoch (Flink's counts seconds of a string).
      return `SA_TSDIFF(${t(args[0])}, TIMESTAMP '1970-01-01 00:00:00.000')`;
    case 'REGEX_REPLACE':
      // Flink's REGEXP_REPLACE has no start position or occurrence; the UDF has both (Java regex, as KDA).
      return `SA_REGEX_REPLACE(${t(args[0])}, ${t(args[1])}, ${t(args[2])}, CAST(${t(args[3])} AS DOUBLE), CAST(${t(args[4])} AS DOUBLE))`;
    case 'TRIM': {
      const side = keywordOf(args[0]) ?? 'BOTH';
      const ch = args[1];
      if (ch.kind === 'literal' && typeof ch.value === 'string' && ch.value.length === 1) return `TRIM(${side} ${t(ch)} FROM ${t(args[2])})`;
      if (ch.kind === 'literal') throw new UnsupportedTranslationError('TRIM with a literal of other than one character fails on every row (KDA sends each row to error_stream)', pos);
      return `SA_TRIM('${side}', ${t(ch)}, ${t(args[2])})`;
    }
    case 'TSDIFF':
      return `SA_TSDIFF(${t(args[0])}, ${t(args[1])})`;
    case 'TO_TIMESTAMP':
      return `SA_TO_TIMESTAMP(CAST(${t(args[0])} AS DOUBLE))`;
    case 'OVERLAY':
      return `SA_OVERLAY(${t(args[0])}, ${t(args[1])}, ${args.slice(2).map((a) => `CAST(${t(a)} AS DOUBLE)`).join(', ')})`;
    case 'MONTHS_BETWEEN':
      // (a - b) YEAR / MONTH, bound by the plan as this internal function.
      if (args.every((a) => a.type.kind === 'TIMESTAMP')) return `SA_MONTHS_BETWEEN(${t(args[0])}, ${t(args[1])})`;
      throw new UnsupportedTranslationError(`the difference of ${args.map((a) => formatSqlType(a.type)).join(' and ')} as a year-month interval is translated only for TIMESTAMPs`, pos);
  }
  // (a - b) DAY ... SECOND, bound by the plan as DIFF_<last field>.
  const diffUnit = /^DIFF_(DAY|HOUR|MINUTE|SECOND)$/.exec(name)?.[1];
  if (diffUnit !== undefined) {
    if (!args.every((a) => a.type.kind === 'TIMESTAMP')) {
      throw new UnsupportedTranslationError(`the difference of ${args.map((a) => formatSqlType(a.type)).join(' and ')} as an interval is translated only for TIMESTAMPs`, pos);
    }
    return `SA_TIMESTAMP_DIFF(${t(args[0])}, ${t(args[1])}, CAST(${diffUnit === 'SECOND' ? 1 : UNIT_MS[diffUnit]} AS BIGINT))`;
  }
  throw new UnsupportedTranslationError(`function ${name}(${args.map((a) => formatSqlType(a.type)).join(', ')}) has no faithful Flink translation`, pos ?? posOf(args[0]));
}
