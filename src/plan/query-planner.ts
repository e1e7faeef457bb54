import { InternalError, NotImplementedError, PlanError } from '../errors.js';
import type * as A from '../sql/ast.js';
import { formatSqlType, isNumeric, type SqlType, SqlTypes } from '../types/sql-type.js';
import { type BoundExpr, dependsOnlyOnRowtime, exprKey, isConstant } from './bound-expr.js';
import { AGGREGATE_FUNCTIONS, ANALYTIC_ONLY_FUNCTIONS, ExpressionBinder, type UserFunction } from './expression-binder.js';
import type { FunctionCatalog } from './function-catalog.js';
import { analyticKindOf, isAggregateKind } from './function-kinds.js';
import type { AggregateCall, AnalyticCall, BoundCall, GroupTrigger, RelNode, WindowPlan } from './logical-plan.js';
import { withColumnTraits } from './column-traits.js';
import { isDeclaredMonotonic, isRowtimeMonotonic, usesRowtime } from './monotonic.js';
import { APPROXIMATE_ARRIVAL_TIME, type ColumnInfo, ERROR_STREAM, type StreamInfo } from './schema.js';
import { Scope, type ScopeRelation, quoteName } from './scope.js';
import { planTableFunction } from './table-function-planner.js';
import { planJoin } from './join-planner.js';
import { planTSort } from './t-sort-planner.js';
import { aggregateResultType, commonType } from './type-rules.js';

export interface PlannedQuery {
  readonly rel: RelNode;
  /** Position of each output column's select item, for INSERT type errors. */
  readonly itemPositions: readonly A.Pos[];
}

export interface QueryPlannerContext {
  readonly streams: ReadonlyMap<string, StreamInfo>;
  readonly catalog: FunctionCatalog;
  readonly udfs: ReadonlyMap<string, UserFunction>;
  /** Reference-data tables (name -> columns): only joined to a stream, never read alone. */
  readonly tables?: ReadonlyMap<string, readonly ColumnInfo[]>;
}

/** Plans one query of a pump into a tree of {@link RelNode}s, checking names, types and streaming rules. */
export function planQuery(q: A.Query, ctx: QueryPlannerContext): PlannedQuery {
  if (q.kind === 'Union') {
    if (!q.all) throw new PlanError('only UNION ALL is supported on streams (UNION without ALL would need unbounded state)', q.pos);
    const l = planQuery(q.left, ctx);
    const r = planQuery(q.right, ctx);
    if (l.rel.columns.length !== r.rel.columns.length) {
      throw new PlanError(`UNION ALL inputs have ${l.rel.columns.length} and ${r.rel.columns.length} columns`, q.pos);
    }
    const columns = l.rel.columns.map((c, i) => {
      const t = commonType(c.type, r.rel.columns[i].type);
      if (t === null) throw new PlanError(`UNION ALL column ${i + 1} has incompatible types ${formatSqlType(c.type)} and ${formatSqlType(r.rel.columns[i].type)}`, r.itemPositions[i] ?? q.pos);
      return { name: c.name, type: t };
    });
    const inputs: RelNode[] = [];
    for (const side of [l.rel, r.rel]) {
      if (side.kind === 'Union') inputs.push(...side.inputs);
      else inputs.push(side);
    }
    let rel: RelNode = { kind: 'Union', inputs, columns };
    if (q.orderBy) rel = planOrderBy(rel, q.orderBy, leftmostSelect(q).items, unionFromNames(q), ctx);
    return { rel, itemPositions: l.itemPositions };
  }
  return new SelectPlanner(q, ctx).plan();
}

export interface FromResult {
  rel: RelNode;
  relations: ScopeRelation[];
}

class SelectPlanner {
  constructor(
    private readonly q: A.SelectQuery,
    private readonly ctx: QueryPlannerContext,
  ) {}

  plan(): PlannedQuery {
    const q = this.q;
    const from = this.planFrom(q.from);
    let rel = from.rel;
    const scope = new Scope(from.relations);
    const binder = new ExpressionBinder(scope, this.ctx.catalog, this.ctx.udfs, null, 'in WHERE');
    if (q.where) {
      const predicate = binder.bind(q.where);
      if (predicate.type.kind !== 'BOOLEAN' && predicate.type.kind !== 'NULL') {
        throw new PlanError(`WHERE needs a BOOLEAN condition, not ${formatSqlType(predicate.type)}`, q.where.pos);
      }
      rel = { kind: 'Filter', input: rel, predicate, columns: rel.columns };
    }
    const items = this.expandItems(from.relations);
    let projected: { rel: RelNode; positions: A.Pos[] };
    if (q.groupBy !== null) projected = this.planAggregate(rel, binder, items);
    else if (q.stagger !== null) projected = this.planStagger(rel, binder, items);
    else if (items.some((it) => containsOver(it.expr))) projected = this.planWindow(rel, binder, items);
    else {
      if (q.having) throw new PlanError('HAVING needs GROUP BY or WINDOWED BY', q.having.pos);
      const agg = items.map((it) => findAggregate(it.expr)).find((x) => x !== undefined);
      if (agg) {
        throw new PlanError(`aggregate function ${agg.name.name} without GROUP BY: a streaming aggregate needs GROUP BY with a monotonic key (e.g. STEP(s.ROWTIME BY INTERVAL '1' MINUTE)), WINDOWED BY STAGGER, or OVER a window`, agg.pos);
      }
      projected = this.project(rel, binder.withHook(null, 'in the select list'), items);
    }
    rel = projected.rel;
    if (q.distinct) {
      const resetColumn = findMonotonicColumn(rel);
      rel = { kind: 'Distinct', input: rel, resetColumn, columns: rel.columns };
    }
    if (q.orderBy && q.orderWithin !== null) rel = planTSort(rel, q, this.ctx);
    else if (q.orderBy) rel = planOrderBy(rel, q.orderBy, items, fromRelationNames(q.from), this.ctx);
    return { rel, itemPositions: projected.positions };
  }

  // ---------------------------------------------------------------- FROM
  private planFrom(f: A.FromItem): FromResult {
    switch (f.kind) {
      case 'StreamRef': {
        if (f.window) throw new PlanError('OVER (...) on a stream in FROM is only allowed on a side of a stream-to-stream join', f.window.pos);
        const id = f.name[f.name.length - 1];
        if (id.name.toLowerCase() === ERROR_STREAM) throw new PlanError('error_stream is a system stream and cannot be read from SQL', id.pos);
        const s = this.ctx.streams.get(id.name);
        if (!s && this.ctx.tables?.has(id.name)) throw new PlanError(`${quoteName(id)} is a reference table: it can only be joined to a stream (FROM stream JOIN ${quoteName(id)} ON ...)`, id.pos);
        if (!s) {
          const near = [...this.ctx.streams.keys(), ...(this.ctx.tables?.keys() ?? [])].find((n) => n.toUpperCase() === id.name.toUpperCase());
          const hint = near ? ` (a stream "${near}" exists: quoted names are case-sensitive, unquoted ones are upper-cased)` : '';
          throw new PlanError(`unknown stream ${quoteName(id)}${hint}`, id.pos);
        }
        const columns: ColumnInfo[] = [...s.columns];
        const hidden = new Set<string>();
        if (s.kind === 'input') {
          columns.push({ name: APPROXIMATE_ARRIVAL_TIME, type: SqlTypes.TIMESTAMP });
          hidden.add(APPROXIMATE_ARRIVAL_TIME);
        }
        const alias = f.alias;
        const renamed = alias?.columns ? renameColumns(columns, alias.columns, alias.name.pos) : columns;
        const altNames = f.name.length > 1 ? [s.name, f.name.map((p) => p.name).join('.')] : [s.name];
        const rel: RelNode = { kind: 'Scan', stream: s.name, columns };
        return { rel, relations: [{ name: alias ? alias.name.name : s.name, altNames: alias ? altNames : [], columns: renamed, hidden, offset: 0 }] };
      }
      case 'Subquery': {
        if (f.window) throw new PlanError('OVER (...) on a subquery in FROM is only allowed on a side of a stream-to-stream join', f.window.pos);
        const inner = planQuery(f.query, this.ctx);
        const traced = withColumnTraits(inner.rel);
        const cols = f.alias?.columns ? renameColumns(traced, f.alias.columns, f.alias.name.pos) : traced;
        return { rel: inner.rel, relations: [{ name: f.alias ? f.alias.name.name : null, altNames: [], columns: cols, hidden: new Set(), offset: 0 }] };
      }
      case 'TableFunction':
        return planTableFunction(f, this.ctx, (cursor) => planQuery(cursor, this.ctx).rel);
      case 'Join':
        return planJoin(f, { ctx: this.ctx, windows: this.q.windows, planItem: (item) => this.planFrom(item) });
    }
  }

  /** Select items with `*` expanded to column references. */
  private expandItems(relations: ScopeRelation[]): A.SelectItem[] {
    const out: A.SelectItem[] = [];
    for (const it of this.q.items) {
      if (it.expr.kind !== 'Star') {
        out.push(it);
        continue;
      }
      const qual = it.expr.qualifier;
      const rels = qual ? relations.filter((r) => r.name === qual.name || r.altNames.includes(qual.name)) : relations;
      if (qual && rels.length === 0) throw new PlanError(`unknown stream or alias ${quoteName(qual)}`, qual.pos);
      for (const r of rels) {
        for (const c of r.columns) {
          if (r.hidden.has(c.name) || (!qual && r.shadowed?.has(c.name))) continue;
          const parts: A.Identifier[] = r.name ? [{ name: r.name, quoted: true, pos: it.pos }, { name: c.name, quoted: true, pos: it.pos }] : [{ name: c.name, quoted: true, pos: it.pos }];
          out.push({ expr: { kind: 'ColumnRef', parts, pos: it.pos }, alias: null, pos: it.pos });
        }
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- projection
  private project(input: RelNode, binder: ExpressionBinder, items: A.SelectItem[]): { rel: RelNode; positions: A.Pos[] } {
    const exprs: BoundExpr[] = [];
    const columns: ColumnInfo[] = [];
    const positions: A.Pos[] = [];
    let rowtime: BoundExpr | null = null;
    items.forEach((it, i) => {
      const e = binder.bind(it.expr);
      if (it.alias && !it.alias.quoted && it.alias.name === 'ROWTIME') {
        if (e.type.kind !== 'TIMESTAMP') throw new PlanError(`an expression aliased AS ROWTIME must be a TIMESTAMP, not ${formatSqlType(e.type)}`, it.pos);
        rowtime = e;
        return;
      }
      exprs.push(e);
      columns.push({ name: outputName(it, i), type: e.type });
      positions.push(it.pos);
    });
    return { rel: { kind: 'Project', input, exprs, rowtime, columns }, positions };
  }

  // ---------------------------------------------------------------- GROUP BY
  private planAggregate(input: RelNode, binder: ExpressionBinder, items: A.SelectItem[]): { rel: RelNode; positions: A.Pos[] } {
    const q = this.q;
    const groupBinder = binder.withHook(null, 'in GROUP BY');
    const keyAsts = q.groupBy!;
    const keys = keyAsts.map((k) => groupBinder.bind(k));
    keys.forEach((k, i) => {
      if (isConstant(k)) throw new PlanError('a constant is not a valid GROUP BY key', keyAsts[i].pos);
    });
    const rowtimeKeys = keys.map((k, i) => ({ k, i })).filter(({ k }) => usesRowtime(k));
    if (rowtimeKeys.length > 1) {
      throw new PlanError('only one ROWTIME-based expression is allowed in GROUP BY (group by a second time with another column, e.g. APPROXIMATE_ARRIVAL_TIME)', keyAsts[rowtimeKeys[1].i].pos);
    }
    let trigger: GroupTrigger | null = null;
    const rk = rowtimeKeys[0];
    if (rk && isRowtimeMonotonic(rk.k) && dependsOnlyOnRowtime(rk.k)) trigger = { kind: 'rowtime', keyIndex: rk.i };
    else {
      const d = keys.findIndex((k) => isDeclaredMonotonic(k) || isRowtimeMonotonic(k));
      if (d >= 0) trigger = { kind: 'monotonic', keyIndex: d };
    }
    if (trigger === null) {
      throw new PlanError(
        "a streaming GROUP BY needs a monotonic key, e.g. STEP(s.ROWTIME BY INTERVAL '60' SECOND) or FLOOR(s.ROWTIME TO MINUTE); without one no group could ever be emitted",
        keyAsts[0].pos,
      );
    }
    const out = this.planGrouped(input, binder, items, keys, 'GROUP BY');
    const rel: RelNode = { kind: 'Aggregate', input, keys, trigger, aggregates: out.aggregates, columns: out.aggColumns };
    return this.finishGrouped(rel, out, items);
  }

  private planStagger(input: RelNode, binder: ExpressionBinder, items: A.SelectItem[]): { rel: RelNode; positions: A.Pos[] } {
    const st = this.q.stagger!;
    const keys = st.partitionBy.map((k) => binder.withHook(null, 'in WINDOWED BY').bind(k));
    const range = binder.withHook(null, 'in WINDOWED BY').bind(st.range);
    if (range.kind !== 'literal' || range.type.kind !== 'INTERVAL' || typeof range.value !== 'number' || range.type.start === 'YEAR' || range.type.start === 'MONTH') {
      throw new PlanError("WINDOWED BY STAGGER needs RANGE INTERVAL '<n>' SECOND|MINUTE|HOUR|DAY", st.range.pos);
    }
    if (range.value <= 0) throw new PlanError('the STAGGER range must be positive', st.range.pos);
    const out = this.planGrouped(input, binder, items, keys, 'WINDOWED BY STAGGER');
    const rel: RelNode = { kind: 'Stagger', input, keys, rangeMs: range.value, aggregates: out.aggregates, columns: out.aggColumns };
    return this.finishGrouped(rel, out, items);
  }

  private planGrouped(input: RelNode, binder: ExpressionBinder, items: A.SelectItem[], keys: BoundExpr[], what: string) {
    const keyIndex = new Map(keys.map((k, i) => [exprKey(k), i]));
    const aggregates: AggregateCall[] = [];
    const aggKeys = new Map<string, number>();
    const inputBinder = binder.withHook(null, 'inside an aggregate');
    const aggColumns: ColumnInfo[] = keys.map((k, i) => ({ name: `$KEY${i}`, type: k.type }));
    const hook = (e: A.Expr, b: ExpressionBinder): BoundExpr | undefined => {
      if (e.kind === 'FunctionCall' && e.over !== null) throw new PlanError(`${e.name.name} OVER cannot be combined with ${what} in one query; use a second stream`, e.pos);
      if (e.kind === 'FunctionCall' && AGGREGATE_FUNCTIONS.has(e.name.name) && !(e.name.quoted && this.ctx.udfs.has(e.name.name))) {
        const bound = bindAggregateCall(e, inputBinder, what);
        if (!isAggregateKind(bound.name)) throw new InternalError(`${bound.name} is not an aggregate kind`);
        const call: AggregateCall = { ...bound, name: bound.name };
        if (call.distinct) throw new PlanError(`${e.name.name}(DISTINCT ...) is not allowed in a streaming ${what}`, e.pos);
        const key = `${call.name}|${call.star}|${call.ignoreNulls}|${call.args.map(exprKey).join(',')}`;
        let idx = aggKeys.get(key);
        if (idx === undefined) {
          idx = aggregates.length;
          aggregates.push(call);
          aggKeys.set(key, idx);
          aggColumns.push({ name: `$AGG${idx}`, type: call.type });
        }
        return { kind: 'column', index: keys.length + idx, type: call.type };
      }
      if (e.kind === 'FunctionCall' && ANALYTIC_ONLY_FUNCTIONS.has(e.name.name)) throw new PlanError(`${e.name.name} needs OVER`, e.pos);
      if (e.kind === 'Literal') return undefined;
      // A select expression equal to a group key reads the key.
      let bound: BoundExpr | undefined;
      try {
        bound = inputBinder.bind(e);
      } catch {
        bound = undefined;
      }
      if (bound !== undefined) {
        const k = keyIndex.get(exprKey(bound));
        if (k !== undefined) return { kind: 'column', index: k, type: keys[k].type };
        if (isConstant(bound)) return bound;
      }
      if (e.kind === 'ColumnRef') {
        const last = e.parts[e.parts.length - 1];
        if (!last.quoted && last.name === 'ROWTIME' && e.parts.length === 1) return { kind: 'rowtime', type: SqlTypes.TIMESTAMP };
        throw new PlanError(`column ${e.parts.map(quoteName).join('.')} must appear in ${what} or inside an aggregate function`, e.pos);
      }
      void b;
      return undefined;
    };
    const postBinder = new ExpressionBinder(new Scope([]), this.ctx.catalog, this.ctx.udfs, hook, 'here');
    const exprs = items.map((it) => ({ it, e: postBinder.bind(it.expr) }));
    const having = this.q.having ? postBinder.bind(this.q.having) : null;
    return { aggregates, aggColumns, exprs, having };
  }

  private finishGrouped(rel: RelNode, out: { exprs: { it: A.SelectItem; e: BoundExpr }[]; having: BoundExpr | null }, _items: A.SelectItem[]) {
    let r = rel;
    if (out.having) {
      if (out.having.type.kind !== 'BOOLEAN') throw new PlanError('HAVING needs a BOOLEAN condition', this.q.having!.pos);
      r = { kind: 'Filter', input: r, predicate: out.having, columns: r.columns };
    }
    const exprs: BoundExpr[] = [];
    const columns: ColumnInfo[] = [];
    const positions: A.Pos[] = [];
    let rowtime: BoundExpr | null = null;
    out.exprs.forEach(({ it, e }, i) => {
      if (it.alias && !it.alias.quoted && it.alias.name === 'ROWTIME') {
        rowtime = e;
        return;
      }
      exprs.push(e);
      columns.push({ name: outputName(it, i), type: e.type });
      positions.push(it.pos);
    });
    return { rel: { kind: 'Project', input: r, exprs, rowtime, columns } as RelNode, positions };
  }

  // ---------------------------------------------------------------- OVER
  private planWindow(input: RelNode, binder: ExpressionBinder, items: A.SelectItem[]): { rel: RelNode; positions: A.Pos[] } {
    if (this.q.having) throw new PlanError('HAVING is not allowed with analytic functions (OVER)', this.q.having.pos);
    const named = new Map<string, A.WindowSpec>();
    for (const w of this.q.windows) {
      if (named.has(w.name.name)) throw new PlanError(`window ${quoteName(w.name)} is defined twice`, w.name.pos);
      named.set(w.name.name, w.spec);
    }
    const windows: WindowPlan[] = [];
    const windowKeys = new Map<string, number>();
    const calls: AnalyticCall[] = [];
    const inputBinder = binder.withHook(null, 'inside an analytic function');
    const base = input.columns.length;
    const hook = (e: A.Expr): BoundExpr | undefined => {
      if (e.kind !== 'FunctionCall' || e.over === null) return undefined;
      const spec = resolveWindow(e.over, named);
      const wp = planWindowSpec(spec, inputBinder);
      const wkey = `${wp.unit}|${wp.size}|${wp.partitionBy.map(exprKey).join(',')}`;
      let wi = windowKeys.get(wkey);
      if (wi === undefined) {
        wi = windows.length;
        windows.push(wp);
        windowKeys.set(wkey, wi);
      }
      const name = e.name.name;
      if (!AGGREGATE_FUNCTIONS.has(name) && !ANALYTIC_ONLY_FUNCTIONS.has(name)) throw new PlanError(`${name} is not an aggregate or analytic function and cannot be used with OVER`, e.pos);
      const call = bindAggregateCall(e, inputBinder, 'OVER');
      // SQLREF aggregate functions: COUNT DISTINCT cannot be used as an analytic function or in windowed aggregation.
      if (call.distinct && call.name === 'COUNT') throw new PlanError('COUNT(DISTINCT ...) is not allowed with OVER (windowed aggregation)', e.pos);
      if (call.distinct && !['SUM', 'AVG'].includes(call.name)) throw new NotImplementedError(`${name}(DISTINCT ...) OVER a window is not implemented`, e.pos);
      calls.push({ ...call, window: wi });
      return { kind: 'column', index: base + calls.length - 1, type: call.type };
    };
    const b = binder.withHook(hook, 'in the select list');
    const exprs = items.map((it) => b.bind(it.expr));
    const winColumns: ColumnInfo[] = [...input.columns, ...calls.map((c, i) => ({ name: `$W${i}`, type: c.type }))];
    const wrel: RelNode = { kind: 'Window', input, windows, calls, columns: winColumns };
    const columns: ColumnInfo[] = [];
    const positions: A.Pos[] = [];
    const outExprs: BoundExpr[] = [];
    let rowtime: BoundExpr | null = null;
    items.forEach((it, i) => {
      if (it.alias && !it.alias.quoted && it.alias.name === 'ROWTIME') {
        rowtime = exprs[i];
        return;
      }
      outExprs.push(exprs[i]);
      columns.push({ name: outputName(it, i), type: exprs[i].type });
      positions.push(it.pos);
    });
    return { rel: { kind: 'Project', input: wrel, exprs: outExprs, rowtime, columns }, positions };
  }

  // ---------------------------------------------------------------- ORDER BY
}

function containsOver(e: A.Expr): boolean {
  let found = false;
  walk(e, (x) => {
    if (x.kind === 'FunctionCall' && x.over !== null) found = true;
  });
  return found;
}

function findAggregate(e: A.Expr): A.FunctionCallExpr | undefined {
  let found: A.FunctionCallExpr | undefined;
  walk(e, (x) => {
    if (!found && x.kind === 'FunctionCall' && x.over === null && AGGREGATE_FUNCTIONS.has(x.name.name)) found = x;
  });
  return found;
}

/** Visits every expression node (not descending into subqueries). */
export function walk(e: A.Expr, f: (e: A.Expr) => void): void {
  f(e);
  switch (e.kind) {
    case 'Unary':
      walk(e.operand, f);
      break;
    case 'Binary':
      walk(e.left, f);
      walk(e.right, f);
      break;
    case 'FunctionCall':
      e.args.forEach((a) => walk(a, f));
      break;
    case 'Cast':
      walk(e.operand, f);
      break;
    case 'Case':
      if (e.operand) walk(e.operand, f);
      e.whens.forEach((w) => {
        walk(w.when, f);
        walk(w.then, f);
      });
      if (e.otherwise) walk(e.otherwise, f);
      break;
    case 'Between':
      walk(e.operand, f);
      walk(e.low, f);
      walk(e.high, f);
      break;
    case 'InList':
      walk(e.operand, f);
      e.list.forEach((a) => walk(a, f));
      break;
    case 'Like':
      walk(e.operand, f);
      walk(e.pattern, f);
      if (e.escape) walk(e.escape, f);
      break;
    case 'Is':
      walk(e.operand, f);
      if (e.other) walk(e.other, f);
      break;
    case 'IntervalOf':
      walk(e.operand, f);
      break;
    case 'FieldAccess':
      walk(e.operand, f);
      break;
    default:
      break;
  }
}

function outputName(it: A.SelectItem, i: number): string {
  if (it.alias) return it.alias.name;
  if (it.expr.kind === 'ColumnRef') return it.expr.parts[it.expr.parts.length - 1].name;
  return `EXPR$${i}`;
}

function renameColumns(columns: readonly ColumnInfo[], names: readonly A.Identifier[], pos: A.Pos): ColumnInfo[] {
  if (names.length > columns.length) throw new PlanError(`the alias lists ${names.length} columns but the relation has ${columns.length}`, pos);
  return columns.map((c, i) => (i < names.length ? { ...c, name: names[i].name } : c));
}

function resolveWindow(spec: A.WindowSpec, named: ReadonlyMap<string, A.WindowSpec>): A.WindowSpec {
  if (spec.baseName === null) return spec;
  const base = named.get(spec.baseName.name);
  if (!base) throw new PlanError(`unknown window ${quoteName(spec.baseName)}`, spec.baseName.pos);
  const resolvedBase = resolveWindow(base, named);
  return {
    baseName: null,
    partitionBy: spec.partitionBy.length ? spec.partitionBy : resolvedBase.partitionBy,
    orderBy: spec.orderBy.length ? spec.orderBy : resolvedBase.orderBy,
    frame: spec.frame ?? resolvedBase.frame,
    pos: spec.pos,
  };
}

function planWindowSpec(spec: A.WindowSpec, binder: ExpressionBinder): WindowPlan {
  if (spec.orderBy.length > 0) throw new PlanError('ORDER BY is not allowed in a window used for windowed aggregation (the window is ordered by ROWTIME)', spec.orderBy[0].pos);
  const partitionBy = spec.partitionBy.map((p) => binder.bind(p));
  const frame = spec.frame;
  if (frame === null) return { partitionBy, unit: 'RANGE', size: Infinity };
  if (frame.end.kind !== 'CurrentRow') {
    if (frame.end.kind === 'UnboundedFollowing') throw new PlanError('UNBOUNDED FOLLOWING is not allowed: a streaming window must end at the current row', frame.end.pos);
    if (frame.end.kind === 'Following') throw new PlanError('a window that ends after the current row (n FOLLOWING) is not allowed: a streaming window must end at the current row', frame.end.pos);
    if (frame.end.kind === 'Preceding') {
      const v = binder.bind(frame.end.offset);
      if (v.kind === 'literal' && v.value === 0) throw new PlanError('... 0 PRECEDING cannot be used for windowed aggregation; use CURRENT ROW', frame.end.pos);
      throw new PlanError('a window that ends before the current row is not allowed: a streaming window must end at the current row', frame.end.pos);
    }
    throw new PlanError('a window cannot end at UNBOUNDED PRECEDING', frame.end.pos);
  }
  const s = frame.start;
  switch (s.kind) {
    case 'UnboundedPreceding':
      return { partitionBy, unit: frame.unit, size: Infinity };
    case 'CurrentRow':
      return { partitionBy, unit: frame.unit, size: 0 };
    case 'UnboundedFollowing':
    case 'Following':
      throw new PlanError('a window must start before or at the current row', s.pos);
    case 'Preceding': {
      const v = binder.bind(s.offset);
      if (v.kind !== 'literal' || typeof v.value !== 'number') throw new PlanError('the window size must be a literal', s.pos);
      if (frame.unit === 'ROWS') {
        if (!isNumeric(v.type) || !Number.isInteger(v.value)) throw new PlanError('ROWS n PRECEDING needs a non-negative integer n', s.pos);
        if (v.value < 0) throw new PlanError(`a window size cannot be negative (got ${v.value})`, s.pos);
        if (v.value === 0) throw new PlanError('ROWS 0 PRECEDING cannot be used for windowed aggregation; use ROWS CURRENT ROW', s.pos);
        return { partitionBy, unit: 'ROWS', size: v.value };
      }
      if (v.type.kind !== 'INTERVAL' || v.type.start === 'YEAR' || v.type.start === 'MONTH') {
        throw new PlanError("RANGE n PRECEDING over ROWTIME needs a day-time interval, e.g. RANGE INTERVAL '1' MINUTE PRECEDING", s.pos);
      }
      if (v.value < 0) throw new PlanError('a window size cannot be negative', s.pos);
      if (v.value === 0) throw new PlanError("RANGE INTERVAL '0' ... PRECEDING cannot be used for windowed aggregation; use RANGE CURRENT ROW", s.pos);
      return { partitionBy, unit: 'RANGE', size: v.value };
    }
  }
}

/** Binds an aggregate/analytic call's arguments over the input row and types the result. */
function bindAggregateCall(e: A.FunctionCallExpr, binder: ExpressionBinder, what: string): BoundCall {
  const name = analyticKindOf(e.name.name);
  // Callers bind only names of AGGREGATE_FUNCTIONS or ANALYTIC_ONLY_FUNCTIONS.
  if (name === undefined) throw new InternalError(`${e.name.name} is not an aggregate or analytic function`);
  if (e.star && name !== 'COUNT') throw new PlanError(`only COUNT takes *, not ${name}`, e.pos);
  const args = e.args.map((a) => binder.bind(a));
  const want = (min: number, max: number) => {
    if (!e.star && (args.length < min || args.length > max)) {
      throw new PlanError(`${name} takes ${min === max ? min : `${min} to ${max}`} argument(s), got ${args.length}`, e.pos);
    }
  };
  switch (name) {
    case 'COUNT':
      want(e.star ? 0 : 1, 1);
      break;
    case 'LAG':
      want(1, 3);
      break;
    case 'NTH_VALUE':
    case 'EXP_AVG':
      want(2, 2);
      break;
    default:
      want(1, 1);
  }
  const arg = args[0] ?? null;
  if (['SUM', 'AVG', 'STDDEV_POP', 'STDDEV_SAMP', 'VAR_POP', 'VAR_SAMP', 'EXP_AVG'].includes(name) && arg && !isNumeric(arg.type) && arg.type.kind !== 'NULL') {
    throw new PlanError(`${name} needs a numeric argument, not ${formatSqlType(arg.type)}`, e.args[0].pos);
  }
  if (['ANY', 'SOME', 'EVERY'].includes(name) && arg && arg.type.kind !== 'BOOLEAN' && arg.type.kind !== 'NULL') {
    throw new PlanError(`${name} needs a BOOLEAN argument, not ${formatSqlType(arg.type)}`, e.args[0].pos);
  }
  if (name === 'EXP_AVG' && (args[1].type.kind !== 'INTERVAL' || args[1].type.start === 'YEAR' || args[1].type.start === 'MONTH')) {
    throw new PlanError("EXP_AVG needs a day-time interval half-life, e.g. INTERVAL '10' SECOND", e.args[1].pos);
  }
  if (name === 'NTH_VALUE' && (args[1].kind !== 'literal' || typeof args[1].value !== 'number' || args[1].value < 1)) {
    throw new PlanError('NTH_VALUE needs a positive integer literal n', e.args[1].pos);
  }
  if (name === 'LAG' && args[1] && (args[1].kind !== 'literal' || typeof args[1].value !== 'number' || args[1].value < 0)) {
    throw new PlanError('LAG needs a non-negative integer literal offset', e.args[1].pos);
  }
  const type: SqlType = aggregateResultType(name, arg ? arg.type : null);
  void what;
  return {
    name, args, star: e.star, distinct: e.distinct, ignoreNulls: e.nullTreatment === 'IGNORE', fromLast: e.fromLast, type, pos: e.pos,
  };
}

/** A column of `rel` that is known monotonic (the output of a projection of ROWTIME or STEP/FLOOR of it). */
function isMonotonicColumn(rel: RelNode, index: number): boolean {
  if (rel.kind === 'Project') {
    const e = rel.exprs[index];
    return e !== undefined && (isRowtimeMonotonic(e) || isDeclaredMonotonic(e));
  }
  if (rel.kind === 'Distinct') return isMonotonicColumn(rel.input, index);
  return false;
}

function findMonotonicColumn(rel: RelNode): number | null {
  for (let i = 0; i < rel.columns.length; i++) if (isMonotonicColumn(rel, i)) return i;
  return null;
}

/** A structural key of an AST expression, ignoring positions. */
function astKey(e: A.Expr): string {
  return JSON.stringify(e, (k, v: unknown) => (k === 'pos' ? undefined : v));
}

/** Expressions of ROWTIME alone (and constants) stay time expressions in ORDER BY rather than column reads. */
function isRowtimeOnly(e: A.Expr): boolean {
  let rowtime = false;
  let other = false;
  walk(e, (x) => {
    if (x.kind === 'ColumnRef') {
      const last = x.parts[x.parts.length - 1];
      if (last.name === 'ROWTIME') rowtime = true;
      else other = true;
    }
  });
  return rowtime && !other;
}

/** The names the FROM clause's relations answer to (aliases and stream names). */
function fromRelationNames(f: A.FromItem): string[] {
  switch (f.kind) {
    case 'StreamRef':
      return [f.name[f.name.length - 1].name, ...(f.alias ? [f.alias.name.name] : [])];
    case 'Subquery':
    case 'TableFunction':
      return f.alias ? [f.alias.name.name] : [];
    case 'Join':
      return [...fromRelationNames(f.left), ...fromRelationNames(f.right)];
  }
}

/**
 * Streaming ORDER BY over a query's output: keys see the output columns (by name or alias), select items
 * written again (COUNT(*)...) and ROWTIME (qualified by a FROM name too); the leading key must be monotonic.
 */
function planOrderBy(rel: RelNode, order: readonly A.OrderItem[], items: readonly A.SelectItem[], fromNames: string[], ctx: QueryPlannerContext): RelNode {
  // An output column that equals a time expression is sorted as that expression (so a rowtime bound can
  // release its group); one known monotonic says so.
  const traced = withColumnTraits(rel);
  const read = (i: number): BoundExpr => traced[i].ofRowtime ?? (traced[i].monotonic ? { kind: 'column', index: i, type: rel.columns[i].type, monotonic: true } : { kind: 'column', index: i, type: rel.columns[i].type });
  const outScope = new Scope([{ name: null, altNames: fromNames, columns: traced, hidden: new Set(), offset: 0 }]);
  const itemKeys = items.filter((it) => !(it.alias && !it.alias.quoted && it.alias.name === 'ROWTIME')).map((it) => astKey(it.expr));
  const b = new ExpressionBinder(outScope, ctx.catalog, ctx.udfs, null, 'in ORDER BY');
  const keys = order.map((o) => {
    let expr: BoundExpr;
    if (o.expr.kind === 'Literal' && o.expr.value.type === 'NUMBER' && /^\d+$/.test(o.expr.value.text)) {
      const n = Number(o.expr.value.text);
      if (n < 1 || n > rel.columns.length) throw new PlanError(`ORDER BY position ${n} is out of range`, o.pos);
      expr = read(n - 1);
    } else {
      // An ORDER BY expression written like a select item (e.g. COUNT(*) or STEP(s.ROWTIME ...)) reads that column.
      const i = itemKeys.indexOf(astKey(o.expr));
      expr = i >= 0 && i < rel.columns.length && !isRowtimeOnly(o.expr) ? read(i) : b.bind(o.expr);
    }
    return { expr, descending: o.descending };
  });
  const lead = keys[0];
  const leadMonotonic = isRowtimeMonotonic(lead.expr) || isDeclaredMonotonic(lead.expr) || (lead.expr.kind === 'column' && isMonotonicColumn(rel, lead.expr.index));
  if (!leadMonotonic || lead.descending) {
    throw new PlanError('a streaming ORDER BY must start with an ascending time-based monotonic expression such as ROWTIME or FLOOR(s.ROWTIME TO MINUTE)', order[0].pos);
  }
  return { kind: 'Sort', input: rel, keys, columns: rel.columns };
}

function leftmostSelect(q: A.Query): A.SelectQuery {
  return q.kind === 'Select' ? q : leftmostSelect(q.left);
}

function unionFromNames(q: A.Query): string[] {
  return q.kind === 'Select' ? fromRelationNames(q.from) : [...unionFromNames(q.left), ...unionFromNames(q.right)];
}
