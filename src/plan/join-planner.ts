import { PlanError } from '../errors.js';
import type * as A from '../sql/ast.js';
import { formatSqlType, isNumeric, SqlTypes } from '../types/sql-type.js';
import type { BoundExpr } from './bound-expr.js';
import { ExpressionBinder } from './expression-binder.js';
import type { JoinKeys, JoinWindow, RelNode } from './logical-plan.js';
import type { FromResult, QueryPlannerContext } from './query-planner.js';
import type { ColumnInfo } from './schema.js';
import { Scope, type ScopeRelation, quoteName } from './scope.js';
import { stripTraits } from './column-traits.js';

export interface JoinPlanningContext {
  readonly ctx: QueryPlannerContext;
  /** The query's WINDOW clause: a join side may name one (`JOIN s OVER w ... WINDOW w AS (...)`). */
  readonly windows: readonly A.NamedWindow[];
  /** Plans a FROM item that is not a join side's window (the caller's own FROM planning). */
  readonly planItem: (item: A.FromItem) => FromResult;
}

/**
 * Plans a JOIN (or comma join) in FROM. A reference-data table on one side makes it a lookup join
 * ({@link RelNode} `ReferenceJoin`, INNER or LEFT OUTER with the stream preserved); two streams make a windowed
 * `StreamJoin` (SQLREF sql-reference-join-clause): each side may carry `OVER (RANGE ... PRECEDING | ROWS n
 * PRECEDING)`, inline or named; a side without one contributes only its current row. When neither side has
 * a window (the comma join on `a.ROWTIME = b.ROWTIME` seen in AWS's own applications) both sides keep the rows
 * of the current ROWTIME, which is the smallest window that lets such a join match at all.
 */
export function planJoin(f: A.JoinRef, jc: JoinPlanningContext): FromResult {
  const lt = tableOf(f.left, jc.ctx);
  const rt = tableOf(f.right, jc.ctx);
  if (lt && rt) throw new PlanError('two reference tables cannot be joined to each other: join each one to a stream', f.pos);
  if (lt || rt) return planReferenceJoin(f, jc, lt ? 'left' : 'right');
  return planStreamJoin(f, jc);
}

interface TableRef {
  readonly item: A.StreamRef;
  readonly name: string;
  readonly columns: readonly ColumnInfo[];
}

function tableOf(item: A.FromItem, ctx: QueryPlannerContext): TableRef | null {
  if (item.kind !== 'StreamRef') return null;
  const name = item.name[item.name.length - 1].name;
  if (ctx.streams.has(name)) return null;
  const columns = ctx.tables?.get(name);
  return columns ? { item, name, columns } : null;
}

function planReferenceJoin(f: A.JoinRef, jc: JoinPlanningContext, tableSide: 'left' | 'right'): FromResult {
  const table = tableOf(tableSide === 'left' ? f.left : f.right, jc.ctx)!;
  const streamItem = tableSide === 'left' ? f.right : f.left;
  if (table.item.window) throw new PlanError('a reference table takes no window: it is looked up as a whole', table.item.window.pos);
  if ((streamItem.kind === 'StreamRef' || streamItem.kind === 'Subquery') && streamItem.window) {
    throw new PlanError('a window on the stream side of a join with a reference table has no meaning: each stream row looks up the table', streamItem.window.pos);
  }
  let outer: boolean;
  switch (f.joinKind) {
    case 'INNER':
    case 'CROSS':
    case 'COMMA':
      outer = false;
      break;
    case 'LEFT':
      outer = true;
      if (tableSide === 'left') throw new PlanError('a LEFT JOIN would keep unmatched rows of the reference table; write the stream on the left (stream LEFT JOIN table)', f.pos);
      break;
    case 'RIGHT':
      outer = true;
      if (tableSide === 'right') throw new PlanError('a RIGHT JOIN would keep unmatched rows of the reference table; a stream can be joined to a table with INNER or LEFT OUTER JOIN only', f.pos);
      break;
    case 'FULL':
      throw new PlanError('a FULL JOIN with a reference table is not allowed: a stream can be joined to a table with INNER or LEFT OUTER JOIN only', f.pos);
  }
  const stream = jc.planItem(streamItem);
  const s = stream.rel.columns.length;
  const alias = table.item.alias;
  const cols = alias?.columns ? renameColumns(table.columns, alias.columns, alias.name.pos) : table.columns;
  const tableRel: ScopeRelation = { name: alias ? alias.name.name : table.name, altNames: alias ? [table.name] : [], columns: cols, hidden: new Set(), offset: s };
  const relations = tableSide === 'left' ? [tableRel, ...stream.relations] : [...stream.relations, tableRel];
  const columns: ColumnInfo[] = [...stream.rel.columns, ...table.columns];
  // USING / NATURAL: the table's copy of a shared column is the one merged away (the stream's is always there).
  const using = usingCondition(f, relations, s);
  const { keys, residual } = splitCondition(f, jc, relations, s, { offset: s, width: table.columns.length, rowtime: false }, using.conditions);
  const rel: RelNode = { kind: 'ReferenceJoin', input: stream.rel, table: table.name, tableColumns: table.columns, outer, keys, residual, columns };
  return { rel, relations: shadow(relations, using.shared, (x) => x.offset >= s) };
}

interface Side {
  readonly result: FromResult;
  readonly window: JoinWindow | null;
}

function planSide(item: A.FromItem, jc: JoinPlanningContext): Side {
  if ((item.kind === 'StreamRef' || item.kind === 'Subquery') && item.window) {
    const window = planJoinWindow(item.window, jc);
    const result = jc.planItem({ ...item, window: null });
    // `JOIN TradeStream OVER t ... ON o.orderId = t.orderId WINDOW t AS (...)` (DG stream-joins-concepts): an
    // unaliased side is also known by the name of its window.
    const wname = item.window.baseName;
    if (item.alias === null && wname !== null && result.relations.length === 1) {
      const rel0 = result.relations[0];
      return { result: { rel: result.rel, relations: [{ ...rel0, altNames: [...rel0.altNames, wname.name] }] }, window };
    }
    return { result, window };
  }
  return { result: jc.planItem(item), window: null };
}

function planStreamJoin(f: A.JoinRef, jc: JoinPlanningContext): FromResult {
  const left = planSide(f.left, jc);
  const right = planSide(f.right, jc);
  let leftWindow = left.window;
  let rightWindow = right.window;
  if (leftWindow === null && rightWindow === null) {
    leftWindow = { unit: 'RANGE', size: 0 };
    rightWindow = { unit: 'RANGE', size: 0 };
  }
  const joinType = f.joinKind === 'LEFT' || f.joinKind === 'RIGHT' || f.joinKind === 'FULL' ? f.joinKind : 'INNER';
  const l = left.result.rel.columns.length;
  const r = right.result.rel.columns.length;
  const rightOffset = l + 1;
  // A side without a window contributes only its current row, which is the arriving row, so its ROWTIME is the
  // output row's (unless an outer join null-extends that side): `o.ROWTIME` there is a time key like ROWTIME,
  // and what is known of its columns' time holds. A windowed side's rows are older than the output row.
  const leftKeepsTime = left.window === null && (joinType === 'INNER' || joinType === 'LEFT');
  const rightKeepsTime = right.window === null && (joinType === 'INNER' || joinType === 'RIGHT');
  const side = (x: ScopeRelation, keepsTime: boolean, offset: number, ownRowtime: number): ScopeRelation =>
    keepsTime
      ? { ...x, offset: x.offset + offset, rowtimeIndex: x.rowtimeIndex !== undefined ? x.rowtimeIndex + offset : undefined }
      : { ...x, offset: x.offset + offset, columns: x.columns.map(stripTraits), rowtimeIndex: x.rowtimeIndex !== undefined ? x.rowtimeIndex + offset : ownRowtime };
  const relations: ScopeRelation[] = [
    ...left.result.relations.map((x) => side(x, leftKeepsTime, 0, l)),
    ...right.result.relations.map((x) => side(x, rightKeepsTime, rightOffset, rightOffset + r)),
  ];
  const columns: ColumnInfo[] = [
    ...left.result.rel.columns,
    { name: '$ROWTIME_LEFT', type: SqlTypes.TIMESTAMP },
    ...right.result.rel.columns,
    { name: '$ROWTIME_RIGHT', type: SqlTypes.TIMESTAMP },
  ];
  // ON reads each side's ROWTIME from its own column, so a condition on both sides' times splits into join keys.
  const onRelations: ScopeRelation[] = [
    ...left.result.relations.map((x) => side(x, false, 0, l)),
    ...right.result.relations.map((x) => side(x, false, rightOffset, rightOffset + r)),
  ];
  const using = usingCondition(f, onRelations, rightOffset);
  const { keys, residual } = splitCondition(f, jc, onRelations, l + 1, { offset: rightOffset, width: r, rowtime: true }, using.conditions);
  const rel: RelNode = { kind: 'StreamJoin', left: left.result.rel, right: right.result.rel, joinType, leftWindow, rightWindow, keys, residual, columns };
  // USING / NATURAL: a shared column is read from the side whose rows are always there (the right side's in a
  // RIGHT JOIN, the left side's otherwise); in a FULL JOIN neither is, so it must be qualified.
  const merged =
    joinType === 'FULL' ? relations : shadow(relations, using.shared, joinType === 'RIGHT' ? (x) => x.offset < rightOffset : (x) => x.offset >= rightOffset);
  return { rel, relations: merged };
}

/** Resolves a join side's window (inline or named) to RANGE ms / ROWS n; KDA disallows PARTITION BY here. */
function planJoinWindow(spec: A.WindowSpec, jc: JoinPlanningContext): JoinWindow {
  let partitionBy = spec.partitionBy;
  let orderBy = spec.orderBy;
  let frame = spec.frame;
  let base = spec.baseName;
  const seen = new Set<string>();
  while (base !== null) {
    const name = base;
    if (seen.has(name.name)) throw new PlanError(`window ${quoteName(name)} refers to itself`, name.pos);
    seen.add(name.name);
    const w = jc.windows.find((x) => x.name.name === name.name);
    if (!w) throw new PlanError(`unknown window ${quoteName(name)}`, name.pos);
    partitionBy = partitionBy.length ? partitionBy : w.spec.partitionBy;
    orderBy = orderBy.length ? orderBy : w.spec.orderBy;
    frame = frame ?? w.spec.frame;
    base = w.spec.baseName;
  }
  if (partitionBy.length > 0) throw new PlanError('PARTITION BY is not allowed in a window used for a join', partitionBy[0].pos);
  if (orderBy.length > 0) throw new PlanError('ORDER BY is not allowed in a window used for a join (the window is ordered by ROWTIME)', orderBy[0].pos);
  if (frame === null) throw new PlanError("a join window needs a bounded frame: RANGE INTERVAL '<n>' <unit> PRECEDING or ROWS <n> PRECEDING", spec.pos);
  if (frame.end.kind !== 'CurrentRow') throw new PlanError('a join window must end at the current row', frame.end.pos);
  const s = frame.start;
  switch (s.kind) {
    case 'CurrentRow':
      return { unit: frame.unit, size: 0 };
    case 'UnboundedPreceding':
      throw new PlanError('UNBOUNDED PRECEDING is not allowed in a join window: it would keep every row of the stream', s.pos);
    case 'UnboundedFollowing':
    case 'Following':
      throw new PlanError('a join window must start before or at the current row', s.pos);
    case 'Preceding': {
      const b = new ExpressionBinder(new Scope([]), jc.ctx.catalog, jc.ctx.udfs, null, 'in a window');
      const v = b.bind(s.offset);
      if (v.kind !== 'literal' || typeof v.value !== 'number') throw new PlanError('the window size must be a literal', s.pos);
      if (v.value < 0) throw new PlanError(`a window size cannot be negative (got ${v.value})`, s.pos);
      if (frame.unit === 'ROWS') {
        if (!isNumeric(v.type) || !Number.isInteger(v.value)) throw new PlanError('ROWS n PRECEDING needs a non-negative integer n', s.pos);
        return { unit: 'ROWS', size: v.value };
      }
      if (v.type.kind !== 'INTERVAL' || v.type.start === 'YEAR' || v.type.start === 'MONTH') {
        throw new PlanError("RANGE n PRECEDING in a join needs a day-time interval, e.g. RANGE INTERVAL '1' MINUTE PRECEDING", s.pos);
      }
      return { unit: 'RANGE', size: v.value };
    }
  }
}

/** The right part of the join row: where it starts, how wide it is, and whether a ROWTIME column follows it. */
interface RightPart {
  readonly offset: number;
  readonly width: number;
  readonly rowtime: boolean;
}

/**
 * Binds ON and splits it into equi-join keys (`a = b` with `a` over the left part only and `b` over the right
 * part only, or the reverse) and a residual over the whole row. Keys allow a hash lookup instead of a scan.
 */
function splitCondition(
  f: A.JoinRef,
  jc: JoinPlanningContext,
  relations: ScopeRelation[],
  leftWidth: number,
  right: RightPart,
  using: readonly BoundExpr[] = [],
): { keys: JoinKeys; residual: BoundExpr | null } {
  if (f.on === null && using.length === 0) return { keys: { left: [], right: [] }, residual: null };
  const conjuncts: BoundExpr[] = [...using];
  if (f.on !== null) {
    const b = new ExpressionBinder(new Scope(relations), jc.ctx.catalog, jc.ctx.udfs, null, 'in a join condition');
    const on = b.bind(f.on);
    if (on.type.kind !== 'BOOLEAN' && on.type.kind !== 'NULL') throw new PlanError(`the join condition must be BOOLEAN, not ${formatSqlType(on.type)}`, f.on.pos);
    split(on);
  }
  return splitConjuncts(f, conjuncts, leftWidth, right);

  function split(e: BoundExpr): void {
    if (e.kind === 'op' && e.op === 'and') e.args.forEach(split);
    else conjuncts.push(e);
  }
}

/**
 * JOIN ... USING (c, ...) and NATURAL JOIN: one equality per shared column (NATURAL: every visible column name
 * both sides have; none makes it a cross join), over the row where the second side starts at `secondOffset`.
 */
function usingCondition(f: A.JoinRef, relations: readonly ScopeRelation[], secondOffset: number): { conditions: BoundExpr[]; shared: string[] } {
  if (f.using === null && !f.natural) return { conditions: [], shared: [] };
  const first = relations.filter((x) => x.offset < secondOffset);
  const second = relations.filter((x) => x.offset >= secondOffset);
  const visible = (side: readonly ScopeRelation[]) => side.flatMap((x) => x.columns.filter((c) => !x.hidden.has(c.name) && !x.shadowed?.has(c.name)).map((c) => c.name));
  let names: { name: string; pos: A.Pos }[];
  if (f.using !== null) {
    names = f.using.map((id) => ({ name: id.name, pos: id.pos }));
    const seen = new Set<string>();
    for (const n of names) {
      if (seen.has(n.name)) throw new PlanError(`column "${n.name}" is listed twice in USING`, n.pos);
      seen.add(n.name);
    }
  } else {
    const other = new Set(visible(second));
    names = [...new Set(visible(first))].filter((n) => other.has(n)).map((name) => ({ name, pos: f.pos }));
  }
  const find = (side: readonly ScopeRelation[], n: { name: string; pos: A.Pos }, which: string): BoundExpr => {
    const hits = side.flatMap((x) => {
      const i = x.columns.findIndex((c) => c.name === n.name && !x.hidden.has(c.name) && !x.shadowed?.has(c.name));
      return i < 0 ? [] : [{ kind: 'column' as const, index: x.offset + i, type: x.columns[i].type }];
    });
    if (hits.length === 0) throw new PlanError(`USING column "${n.name}" is not a column of the ${which} side of the join`, n.pos);
    if (hits.length > 1) throw new PlanError(`USING column "${n.name}" is ambiguous on the ${which} side of the join`, n.pos);
    return hits[0];
  };
  const conditions = names.map((n) => {
    const a = find(first, n, 'left');
    const b = find(second, n, 'right');
    if (!(a.type.kind === b.type.kind || (isNumeric(a.type) && isNumeric(b.type)) || (isText(a.type) && isText(b.type)))) {
      throw new PlanError(`USING column "${n.name}" has type ${formatSqlType(a.type)} on one side and ${formatSqlType(b.type)} on the other`, n.pos);
    }
    return { kind: 'op', op: 'eq', args: [a, b], type: SqlTypes.BOOLEAN, pos: n.pos } as BoundExpr;
  });
  return { conditions, shared: names.map((n) => n.name) };
}

function isText(t: { kind: string }): boolean {
  return t.kind === 'CHAR' || t.kind === 'VARCHAR';
}

/** Marks the shared columns of the relations `which` picks as merged away (see ScopeRelation.shadowed). */
function shadow(relations: ScopeRelation[], shared: readonly string[], which: (x: ScopeRelation) => boolean): ScopeRelation[] {
  if (shared.length === 0) return relations;
  return relations.map((x) => {
    if (!which(x)) return x;
    const own = shared.filter((n) => x.columns.some((c) => c.name === n));
    return own.length === 0 ? x : { ...x, shadowed: new Set([...(x.shadowed ?? []), ...own]) };
  });
}

function splitConjuncts(f: A.JoinRef, conjuncts: readonly BoundExpr[], leftWidth: number, right: RightPart): { keys: JoinKeys; residual: BoundExpr | null } {
  const keys: { left: BoundExpr[]; right: BoundExpr[] } = { left: [], right: [] };
  const rest: BoundExpr[] = [];
  const rightEnd = right.offset + right.width + (right.rowtime ? 1 : 0);
  const within = (e: BoundExpr, lo: number, hi: number): boolean => {
    const u = usage(e);
    return !u.other && u.columns.length > 0 && u.columns.every((c) => c >= lo && c < hi);
  };
  for (const c of conjuncts) {
    if (c.kind === 'op' && c.op === 'eq' && (c.args[0].type.kind === c.args[1].type.kind || (isNumeric(c.args[0].type) && isNumeric(c.args[1].type)))) {
      const [a, z] = c.args;
      if (within(a, 0, leftWidth) && within(z, right.offset, rightEnd)) {
        keys.left.push(a);
        keys.right.push(rebase(z, right.offset, right.width));
        continue;
      }
      if (within(z, 0, leftWidth) && within(a, right.offset, rightEnd)) {
        keys.left.push(z);
        keys.right.push(rebase(a, right.offset, right.width));
        continue;
      }
    }
    rest.push(c);
  }
  // Left keys read the left part where it already sits (its ROWTIME column, when there is one, becomes the row's time).
  const leftKeys = right.rowtime ? keys.left.map((k) => rebase(k, 0, leftWidth - 1)) : keys.left;
  const residual = rest.length === 0 ? null : rest.reduce((x, y) => ({ kind: 'op', op: 'and', args: [x, y], type: SqlTypes.BOOLEAN, pos: f.pos }));
  return { keys: { left: leftKeys, right: keys.right }, residual };
}

/** Which row columns an expression reads; `other` when it also reads the output ROWTIME, the clock or parameters. */
function usage(e: BoundExpr): { columns: number[]; other: boolean } {
  const columns: number[] = [];
  let other = false;
  const visit = (x: BoundExpr): void => {
    switch (x.kind) {
      case 'column':
        columns.push(x.index);
        return;
      case 'rowtime':
      case 'now':
      case 'param':
        other = true;
        return;
      case 'literal':
        return;
      case 'op':
      case 'call':
      case 'udf':
        x.args.forEach(visit);
        return;
      case 'cast':
        visit(x.operand);
        return;
      case 'case':
        x.whens.forEach((w) => {
          visit(w.when);
          visit(w.then);
        });
        if (x.otherwise) visit(x.otherwise);
        return;
    }
  };
  visit(e);
  return { columns, other };
}

/** Moves column reads to a row that starts at `offset`; the column just past `width` (a side's ROWTIME) becomes `rowtime`. */
function rebase(e: BoundExpr, offset: number, width: number): BoundExpr {
  switch (e.kind) {
    case 'column':
      return e.index - offset === width ? { kind: 'rowtime', type: e.type } : { ...e, index: e.index - offset };
    case 'rowtime':
    case 'now':
    case 'param':
    case 'literal':
      return e;
    case 'op':
    case 'call':
    case 'udf':
      return { ...e, args: e.args.map((a) => rebase(a, offset, width)) };
    case 'cast':
      return { ...e, operand: rebase(e.operand, offset, width) };
    case 'case':
      return {
        ...e,
        whens: e.whens.map((w) => ({ when: rebase(w.when, offset, width), then: rebase(w.then, offset, width) })),
        otherwise: e.otherwise ? rebase(e.otherwise, offset, width) : null,
      };
  }
}

function renameColumns(columns: readonly ColumnInfo[], names: readonly A.Identifier[], pos: A.Pos): ColumnInfo[] {
  if (names.length > columns.length) throw new PlanError(`the alias lists ${names.length} columns but the table has ${columns.length}`, pos);
  return columns.map((c, i) => (i < names.length ? { ...c, name: names[i].name } : c));
}
