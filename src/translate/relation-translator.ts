/**
 * Relational operators of a pump's query (src/plan RelNode) to Flink views. Each operator becomes one temporary
 * view whose columns are `ROWTIME` and then `c0`, `c1`, ... by position (positions, because a join's output can
 * hold one name twice). A streaming GROUP BY on a ROWTIME step becomes a TUMBLE window table-valued function, a
 * sliding window an OVER aggregation, a windowed stream-to-stream join an interval join.
 */
import { UnsupportedTranslationError, unhandledKind, type SourcePosition } from '../errors.js';
import type { AggregateCall, AggregateKind, AnalyticCall, AnalyticKind, BoundExpr, RelNode } from '../plan/index.js';
import { dependsOnlyOnRowtime, exprKey } from '../plan/index.js';
import { formatSqlType, isIntegerType, type SqlType } from '../types/sql-type.js';
import { translateExpr, type RowRefs } from './expression-translator.js';
import { translateReferenceJoin } from './reference-translator.js';
import { tumblingWindowOf } from './tumbling-key.js';
import { dayTimeIntervalLiteral, flinkType, quoteIdent, quoteString } from './flink-dialect.js';

/** A relation as Flink sees it: where to read it, its column expressions in order, and its ROWTIME. */
export interface FlinkRelation {
  readonly from: string;
  readonly columns: readonly string[];
  /** True when ROWTIME is a Flink event-time attribute (windows and interval joins need one). */
  readonly timeAttribute: boolean;
  /**
   * Columns with no Flink expression, by position, and why (a GROUP BY time key Flink cannot compute, such as an
   * interval): the translation fails only if something reads them.
   */
  readonly unavailable?: ReadonlyMap<number, string>;
}

export const ROWTIME = quoteIdent('ROWTIME');

/** What the relation translator needs from the application translator. */
export interface RelationContext {
  /** The relation of an in-application stream (its view is created on first use). */
  readonly stream: (name: string) => FlinkRelation;
  /** Emits `CREATE TEMPORARY VIEW <name> AS <select>` and returns the view's name. */
  readonly view: (select: string) => string;
  /** Where to report a construct that carries no position of its own (the pump). */
  readonly pos: SourcePosition;
  /** The Flink lookup table of a reference table (reference-translator.ts). */
  readonly reference: (table: string) => string;
}

function positional(width: number): string[] {
  return Array.from({ length: width }, (_, i) => quoteIdent(`c${i}`));
}

function refsOf(r: FlinkRelation, qualifier = ''): RowRefs {
  return { column: (i) => qualifier + available(r, i), rowtime: qualifier + ROWTIME };
}

function available(r: FlinkRelation, i: number): string {
  const why = r.unavailable?.get(i);
  if (why !== undefined) throw new UnsupportedTranslationError(why);
  return r.columns[i];
}

/** Every column of the relation, which must all have a Flink expression. */
function allColumns(r: FlinkRelation): string[] {
  return r.columns.map((_, i) => available(r, i));
}

function select(ctx: RelationContext, rowtime: string, exprs: readonly string[], rest: string, timeAttribute: boolean): FlinkRelation {
  const items = [`${rowtime} AS ${ROWTIME}`, ...exprs.map((x, i) => `${x} AS ${quoteIdent(`c${i}`)}`)];
  const from = ctx.view(`SELECT ${items.join(', ')} ${rest}`);
  return { from, columns: positional(exprs.length), timeAttribute };
}

function needTimeAttribute(r: FlinkRelation, what: string, pos: SourcePosition): void {
  if (!r.timeAttribute) {
    throw new UnsupportedTranslationError(
      `${what} over rows whose ROWTIME was set by a GROUP BY, a join or a user expression: in Flink that ROWTIME is no longer an event-time attribute, so the window cannot be translated faithfully`,
      pos,
    );
  }
}

/** A pump's query as a Flink relation whose every column has a Flink expression. */
export function translateRelation(rel: RelNode, ctx: RelationContext): FlinkRelation {
  const r = translate(rel, ctx);
  allColumns(r);
  return r;
}

function translate(rel: RelNode, ctx: RelationContext): FlinkRelation {
  switch (rel.kind) {
    case 'Scan': {
      // The scan lists the stream's columns and, for an input stream, APPROXIMATE_ARRIVAL_TIME: by name.
      const stream = ctx.stream(rel.stream);
      const names = new Map(stream.columns.map((c) => [c, c]));
      const columns = rel.columns.map((c) => {
        const q = names.get(quoteIdent(c.name));
        if (q === undefined) throw new UnsupportedTranslationError(`column ${c.name} of ${rel.stream} is not available in Flink`, ctx.pos);
        return q;
      });
      return { ...stream, columns };
    }
    case 'Filter': {
      const input = translate(rel.input, ctx);
      const where = translateExpr(rel.predicate, refsOf(input));
      const cols = input.columns.map((c, i) => (input.unavailable?.has(i) ? 'CAST(NULL AS INT)' : c));
      return { ...select(ctx, ROWTIME, cols, `FROM ${input.from} WHERE ${where}`, input.timeAttribute), unavailable: input.unavailable };
    }
    case 'Project': {
      const input = translate(rel.input, ctx);
      if (rel.rowtime !== null) {
        throw new UnsupportedTranslationError('the query sets ROWTIME itself (expr AS ROWTIME): Flink event time comes from the source watermark, and re-timing rows has no faithful translation', posOf(rel.rowtime) ?? ctx.pos);
      }
      const exprs = rel.exprs.map((e) => translateExpr(e, refsOf(input)));
      return select(ctx, ROWTIME, exprs, `FROM ${input.from}`, input.timeAttribute);
    }
    case 'Aggregate':
      return translateTumbling(rel, ctx);
    case 'Window':
      return translateSliding(rel, ctx);
    case 'StreamJoin':
      return translateJoin(rel, ctx);
    case 'Union': {
      const inputs = rel.inputs.map((r) => translate(r, ctx));
      const attr = inputs.every((r) => r.timeAttribute);
      const parts = inputs.map((r) => {
        const cols = allColumns(r).map((c, i) => `CAST(${c} AS ${flinkType(rel.columns[i].type, ctx.pos)}) AS ${quoteIdent(`c${i}`)}`);
        return `SELECT ${attr ? ROWTIME : `CAST(${ROWTIME} AS TIMESTAMP(3)) AS ${ROWTIME}`}, ${cols.join(', ')} FROM ${r.from}`;
      });
      return { from: ctx.view(parts.join(' UNION ALL ')), columns: positional(rel.columns.length), timeAttribute: attr };
    }
    case 'Stagger':
      throw new UnsupportedTranslationError('WINDOWED BY STAGGER has no Flink window with the same semantics (a window per partition key opened by its first row)', ctx.pos);
    case 'Sort':
      throw new UnsupportedTranslationError('a streaming ORDER BY on a monotonic expression has no faithful Flink translation (Flink sorts only on the time attribute)', ctx.pos);
    case 'Distinct':
      throw new UnsupportedTranslationError('SELECT STREAM DISTINCT resets with its monotonic column in KDA; a Flink DISTINCT over a stream emits updates instead', ctx.pos);
    case 'TSort':
      throw new UnsupportedTranslationError('ORDER BY ... WITHIN (a T-sort re-timing rows) has no faithful Flink translation', ctx.pos);
    case 'TableFunction':
      throw new UnsupportedTranslationError(`the table function ${rel.fn.name} (machine-learning and analytics functions such as RANDOM_CUT_FOREST, HOTSPOTS, TOP_K_ITEMS_TUMBLING) has no Flink equivalent`, ctx.pos);
    case 'ReferenceJoin':
      return translateReferenceJoin(rel, translateRelation(rel.input, ctx), ctx, ctx.pos);
  }
}

function posOf(e: BoundExpr): SourcePosition | undefined {
  return 'pos' in e ? e.pos : undefined;
}

/** The length of the tumbling window a ROWTIME-only GROUP BY key defines, or a reason it has none. */
export function tumblingSizeMs(key: BoundExpr): number | string {
  const w = tumblingWindowOf(key);
  return typeof w === 'string' ? w : w.sizeMs;
}

function aggregateText(a: AggregateCall, args: readonly string[]): string {
  const refused = (): never => {
    throw new UnsupportedTranslationError(`the aggregate ${a.name}${a.ignoreNulls ? ' IGNORE NULLS' : ''} has no faithful Flink translation in a GROUP BY window`, a.pos);
  };
  let text: string;
  // Exhaustive over the plan's kinds: a kind added to src/plan/function-kinds.ts fails to compile here until it
  // is either translated or refused.
  const name: AggregateKind = a.name;
  switch (name) {
    case 'COUNT':
    case 'SUM':
    case 'MIN':
    case 'MAX':
    case 'AVG':
      text = a.star ? 'COUNT(*)' : `${name}(${a.distinct ? 'DISTINCT ' : ''}${args.join(', ')})`;
      break;
    case 'STDDEV_POP':
    case 'STDDEV_SAMP':
    case 'VAR_POP':
    case 'VAR_SAMP':
      // Flink's variance of an integer column is an integer; KDA's is a DOUBLE.
      text = `${name}(${a.distinct ? 'DISTINCT ' : ''}CAST(${args[0]} AS DOUBLE))`;
      break;
    case 'FIRST_VALUE':
    case 'LAST_VALUE':
    case 'ANY':
    case 'SOME':
    case 'EVERY':
      return refused();
    default:
      return unhandledKind('aggregate', name);
  }
  // KDA keeps the plan's result type (AVG of an INTEGER column is an INTEGER, truncated toward zero).
  return `CAST(${text} AS ${flinkType(a.type, a.pos)})`;
}

function translateTumbling(rel: Extract<RelNode, { kind: 'Aggregate' }>, ctx: RelationContext): FlinkRelation {
  if (rel.trigger.kind !== 'rowtime') {
    throw new UnsupportedTranslationError('a GROUP BY closed by a monotonic column (not ROWTIME) has no Flink window: Flink windows close on event time only', ctx.pos);
  }
  const input = translate(rel.input, ctx);
  needTimeAttribute(input, 'a GROUP BY window', ctx.pos);
  const timeKey = rel.keys[rel.trigger.keyIndex];
  if (!dependsOnlyOnRowtime(timeKey)) throw new UnsupportedTranslationError('the GROUP BY time key reads more than ROWTIME', posOf(timeKey) ?? ctx.pos);
  const window = tumblingWindowOf(timeKey);
  if (typeof window === 'string') throw new UnsupportedTranslationError(window, posOf(timeKey) ?? ctx.pos);
  // Stage 1: the grouping keys and the aggregate arguments as plain columns, so the window TVF groups on columns.
  const refs = refsOf(input);
  const pre: string[] = [];
  const keyCol = rel.keys.map((k, i) => (i === rel.trigger.keyIndex ? -1 : pre.push(translateExpr(k, refs)) - 1));
  const argCols = rel.aggregates.map((a) => a.args.map((x) => pre.push(translateExpr(x, refs)) - 1));
  const stage1 = select(ctx, ROWTIME, pre, `FROM ${input.from}`, true);
  const c = (i: number) => stage1.columns[i];
  // Stage 2: the window. The time key's value is the key expression at the window's start (the key is constant
  // over the window); the row's ROWTIME is the window's end (KDA: a group's row is emitted when its window
  // closes, stamped with that time). A key Flink cannot compute (an interval) is left out unless something reads it.
  const unavailable = new Map<number, string>();
  const keyExprs = rel.keys.map((k, i) => {
    if (i !== rel.trigger.keyIndex) return c(keyCol[i]);
    try {
      return translateExpr(k, { column: () => 'NULL', rowtime: '`window_start`' });
    } catch (e) {
      if (!(e instanceof UnsupportedTranslationError)) throw e;
      unavailable.set(i, `the GROUP BY time key's value is read, and it cannot be computed in Flink: ${e.reason}`);
      return 'CAST(NULL AS INT)';
    }
  });
  const aggs = rel.aggregates.map((a, i) => aggregateText(a, argCols[i].map(c)));
  const groupBy = ['`window_start`', '`window_end`', ...keyCol.filter((k) => k >= 0).map(c)];
  const offset = window.offsetMs === 0 ? '' : `, ${dayTimeIntervalLiteral(window.offsetMs)}`;
  const tvf = `TABLE(TUMBLE(TABLE ${stage1.from}, DESCRIPTOR(${ROWTIME}), ${dayTimeIntervalLiteral(window.sizeMs)}${offset}))`;
  const out = select(ctx, '`window_end`', [...keyExprs, ...aggs], `FROM ${tvf} GROUP BY ${groupBy.join(', ')}`, false);
  return unavailable.size > 0 ? { ...out, unavailable } : out;
}

/** A frame as the SA_OVER_* functions take it: rows before the current one, ms back (inclusive); -1 for no limit. */
function frameArgs(w: { unit: 'ROWS' | 'RANGE'; size: number }): [string, string] {
  if (w.size === Infinity) return ['CAST(-1 AS BIGINT)', 'CAST(-1 AS BIGINT)'];
  return w.unit === 'ROWS' ? [`CAST(${w.size} AS BIGINT)`, 'CAST(-1 AS BIGINT)'] : ['CAST(-1 AS BIGINT)', `CAST(${w.size} AS BIGINT)`];
}

/** The SA_OVER_* functions (flink/src/main/java/.../udf/Over*.java) by the plan's function kind. */
export const OVER_FUNCTIONS = {
  COUNT: 'SA_OVER_COUNT',
  SUM: 'SA_OVER_SUM',
  AVG: 'SA_OVER_AVG',
  MIN: 'SA_OVER_MIN',
  MAX: 'SA_OVER_MAX',
  VARIANCE: 'SA_OVER_VARIANCE',
  BOOLEAN: 'SA_OVER_BOOLEAN',
  EXP_AVG: 'SA_OVER_EXP_AVG',
  DISTINCT: 'SA_OVER_DISTINCT',
  NTH_VALUE: 'SA_OVER_NTH_VALUE',
  LAG: 'SA_OVER_LAG',
} as const;

/** A number argument as the sums take it: the integer types as BIGINT, REAL as DOUBLE, DECIMAL as it is. */
function sumOperand(x: string, t: SqlType): string {
  if (isIntegerType(t)) return `CAST(${x} AS BIGINT)`;
  if (t.kind === 'DECIMAL') return x;
  return `CAST(${x} AS DOUBLE)`;
}

function literalNumber(e: BoundExpr | undefined, dflt: number): number {
  if (e === undefined) return dflt;
  if (e.kind === 'literal' && typeof e.value === 'number') return e.value;
  // The planner accepts only integer literals for LAG's offset and NTH_VALUE's n.
  throw new UnsupportedTranslationError('the offset of LAG / NTH_VALUE is not an integer literal');
}

/**
 * One analytic call as an SA_OVER_* call over the stage's window. Every KDA frame becomes Flink's
 * `ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW` (rows fed one by one, equal ROWTIMEs in arrival order) and the
 * function keeps only the rows of the KDA frame: so a RANGE frame holds the rows that arrived before the current
 * row and itself, as in KDA, and never a later row of the same ROWTIME (a Flink RANGE frame holds all its peers).
 */
function overCall(call: AnalyticCall, w: { unit: 'ROWS' | 'RANGE'; size: number }, refs: RowRefs, part: string, over: string): string {
  const args = call.args.map((a) => translateExpr(a, refs));
  const argType = call.args[0]?.type;
  const [rows, ms] = frameArgs(w);
  const typed = (x: string) => `CAST(${x} AS ${flinkType(call.type, call.pos)})`;
  let fn: string;
  let value: string;
  let extra: string[] = [];
  const name: AnalyticKind = call.name;
  switch (name) {
    case 'COUNT':
      fn = OVER_FUNCTIONS.COUNT;
      value = call.star ? 'TRUE' : args[0];
      break;
    case 'SUM':
    case 'AVG':
      value = sumOperand(args[0], argType!);
      if (call.distinct) {
        fn = OVER_FUNCTIONS.DISTINCT;
        extra = [name === 'AVG' ? 'TRUE' : 'FALSE'];
      } else fn = name === 'SUM' ? OVER_FUNCTIONS.SUM : OVER_FUNCTIONS.AVG;
      break;
    case 'MIN':
    case 'MAX':
      fn = name === 'MIN' ? OVER_FUNCTIONS.MIN : OVER_FUNCTIONS.MAX;
      value = typed(args[0]);
      break;
    case 'STDDEV_POP':
    case 'STDDEV_SAMP':
    case 'VAR_POP':
    case 'VAR_SAMP':
      fn = OVER_FUNCTIONS.VARIANCE;
      value = `CAST(${args[0]} AS DOUBLE)`;
      extra = [quoteString(name)];
      break;
    case 'ANY':
    case 'SOME':
    case 'EVERY':
      fn = OVER_FUNCTIONS.BOOLEAN;
      value = `CAST(${args[0]} AS BOOLEAN)`;
      extra = [name === 'EVERY' ? 'TRUE' : 'FALSE'];
      break;
    case 'EXP_AVG':
      fn = OVER_FUNCTIONS.EXP_AVG;
      value = `CAST(${args[0]} AS DOUBLE)`;
      extra = [args[1]];
      break;
    case 'FIRST_VALUE':
    case 'LAST_VALUE':
    case 'NTH_VALUE': {
      fn = OVER_FUNCTIONS.NTH_VALUE;
      value = typed(args[0]);
      const n = name === 'NTH_VALUE' ? literalNumber(call.args[1], 1) : 1;
      const fromLast = name === 'LAST_VALUE' || (name === 'NTH_VALUE' && call.fromLast);
      extra = [`CAST(${n} AS BIGINT)`, fromLast ? 'TRUE' : 'FALSE', call.ignoreNulls ? 'TRUE' : 'FALSE'];
      break;
    }
    case 'LAG': {
      fn = OVER_FUNCTIONS.LAG;
      value = typed(args[0]);
      const n = literalNumber(call.args[1], 1);
      extra = [`CAST(${n} AS BIGINT)`, typed(args[2] ?? 'NULL'), call.ignoreNulls ? 'TRUE' : 'FALSE'];
      break;
    }
    default:
      return unhandledKind('analytic function', name);
  }
  // KDA keeps the plan's result type (AVG of an INTEGER column is an INTEGER, truncated toward zero).
  return typed(`${fn}(${[rows, ms, ROWTIME, part, value, ...extra].join(', ')}) OVER ${over}`);
}

function translateSliding(rel: Extract<RelNode, { kind: 'Window' }>, ctx: RelationContext): FlinkRelation {
  const input = translate(rel.input, ctx);
  needTimeAttribute(input, 'a sliding window', ctx.pos);
  // One Flink window for every call: ROWS UNBOUNDED (the KDA frame is an argument of the function), partitioned on
  // the keys every window of the query partitions on; a window's further keys name its partition inside the
  // function. So all windows see a partition's rows of equal ROWTIME in one order, the order they arrived in (a
  // chain of OVER stages would not: a stage partitioned on other keys emits each key's rows of one time together).
  const refs = refsOf(input);
  const used = rel.windows.filter((_, wi) => rel.calls.some((c) => c.window === wi));
  const common = (used[0]?.partitionBy ?? []).filter((k) => used.every((w) => w.partitionBy.some((x) => exprKey(x) === exprKey(k))));
  const commonKeys = new Set(common.map(exprKey));
  const partition = common.map((p) => translateExpr(p, refs));
  const over = `(${partition.length ? `PARTITION BY ${partition.join(', ')} ` : ''}ORDER BY ${ROWTIME} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)`;
  const results = rel.calls.map((call) => {
    const finer = rel.windows[call.window].partitionBy.filter((k) => !commonKeys.has(exprKey(k)));
    // The key values as JSON text: equal exactly when the values are, NULL included.
    const part = finer.length === 0 ? 'CAST(NULL AS STRING)' : `JSON_ARRAY(${finer.map((k) => translateExpr(k, refs)).join(', ')} NULL ON NULL)`;
    return overCall(call, rel.windows[call.window], refs, part, over);
  });
  const out = select(ctx, ROWTIME, [...input.columns, ...results], `FROM ${input.from}`, true);
  return out;
}

function translateJoin(rel: Extract<RelNode, { kind: 'StreamJoin' }>, ctx: RelationContext): FlinkRelation {
  const left = translate(rel.left, ctx);
  const right = translate(rel.right, ctx);
  needTimeAttribute(left, 'a windowed join', ctx.pos);
  needTimeAttribute(right, 'a windowed join', ctx.pos);
  const lw = rel.leftWindow;
  const rw = rel.rightWindow;
  if (lw === null && rw === null) throw new UnsupportedTranslationError('a stream-to-stream join without a window on either side has no Flink interval join', ctx.pos);
  if ((lw && lw.unit !== 'RANGE') || (rw && rw.unit !== 'RANGE')) {
    throw new UnsupportedTranslationError('a join window of ROWS (the latest n rows) has no Flink interval-join equivalent; only RANGE windows translate', ctx.pos);
  }
  const L = '`l`.';
  const R = '`r`.';
  // A left row within the left window of a right row: L.ROWTIME in [R.ROWTIME - left size, R.ROWTIME]; and
  // symmetrically for the right window. A side without a window contributes only its current row.
  const lower = `${R}${ROWTIME} - ${dayTimeIntervalLiteral(lw ? lw.size : 0)}`;
  const upper = `${R}${ROWTIME} + ${dayTimeIntervalLiteral(rw ? rw.size : 0)}`;
  const keys = rel.keys.left.map((k, i) => `${translateExpr(k, refsOf(left, L))} = ${translateExpr(rel.keys.right[i], refsOf(right, R))}`);
  const outCols = [...left.columns.map((c) => L + c), `CAST(${L}${ROWTIME} AS TIMESTAMP(3))`, ...right.columns.map((c) => R + c), `CAST(${R}${ROWTIME} AS TIMESTAMP(3))`];
  const outRefs: RowRefs = { column: (i) => outCols[i], rowtime: 'NULL' };
  const cond = [...keys, `${L}${ROWTIME} BETWEEN ${lower} AND ${upper}`];
  if (rel.residual) cond.push(translateExpr(rel.residual, outRefs));
  const joinKw = rel.joinType === 'INNER' ? 'JOIN' : `${rel.joinType} OUTER JOIN`;
  // The joined row happens when its later side arrives; a null-extended row when the window in which it could
  // still have matched has passed (KDA emits an unmatched row at that time).
  const lt = `CAST(${L}${ROWTIME} AS TIMESTAMP(3))`;
  const rt = `CAST(${R}${ROWTIME} AS TIMESTAMP(3))`;
  const rowtimeOuter = rel.joinType === 'INNER'
    ? `GREATEST(${lt}, ${rt})`
    : `CASE WHEN ${R}${ROWTIME} IS NULL THEN ${lt} + ${dayTimeIntervalLiteral(lw ? lw.size : 0)} WHEN ${L}${ROWTIME} IS NULL THEN ${rt} + ${dayTimeIntervalLiteral(rw ? rw.size : 0)} ELSE GREATEST(${lt}, ${rt}) END`;
  return select(ctx, rowtimeOuter, outCols, `FROM ${left.from} AS \`l\` ${joinKw} ${right.from} AS \`r\` ON ${cond.join(' AND ')}`, false);
}

export function describeType(t: SqlType): string {
  return formatSqlType(t);
}
