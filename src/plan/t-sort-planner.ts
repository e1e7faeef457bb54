import { PlanError } from '../errors.js';
import type * as A from '../sql/ast.js';
import { formatSqlType } from '../types/sql-type.js';
import { ExpressionBinder } from './expression-binder.js';
import type { RelNode } from './logical-plan.js';
import type { QueryPlannerContext } from './query-planner.js';
import { Scope } from './scope.js';

/**
 * T-sort, `ORDER BY ts_expr WITHIN interval` (SQLREF sqlrf_T-sorting_Stream_Input): ts_expr must be a TIMESTAMP
 * that the select list also gives AS ROWTIME, must not be DESC and must not use unqualified ROWTIME. The
 * projection already re-times each row to ts_expr (a NULL time drops the row); this node holds rows for the
 * slack interval and releases them in ts order. Further ORDER BY keys order rows of equal ts.
 */
export function planTSort(rel: RelNode, q: A.SelectQuery, ctx: QueryPlannerContext): RelNode {
  const order = q.orderBy!;
  const lead = order[0];
  if (lead.descending) throw new PlanError('the T-sort expression (ORDER BY ... WITHIN) must be ascending, not DESC', lead.pos);
  const bare = findUnqualifiedRowtime(lead.expr);
  if (bare) throw new PlanError('ROWTIME in a T-sort expression must be qualified with its stream (e.g. s.ROWTIME)', bare.pos);
  const key = astKey(lead.expr);
  const item = q.items.find((it) => it.alias !== null && !it.alias.quoted && it.alias.name === 'ROWTIME' && astKey(it.expr) === key);
  if (!item) throw new PlanError('the T-sort expression (ORDER BY ts WITHIN ...) must also be in the select list as `ts AS ROWTIME`', lead.pos);
  const inner = projectRowtime(rel);
  if (inner !== null && inner.type.kind !== 'TIMESTAMP') throw new PlanError(`the T-sort expression must be a TIMESTAMP, not ${formatSqlType(inner.type)}`, lead.pos);
  const within = q.orderWithin!;
  const b = new ExpressionBinder(new Scope([]), ctx.catalog, ctx.udfs, null, 'in WITHIN');
  const slack = b.bind(within);
  if (slack.kind !== 'literal' || slack.type.kind !== 'INTERVAL' || typeof slack.value !== 'number' || slack.type.start === 'YEAR' || slack.type.start === 'MONTH') {
    throw new PlanError("WITHIN needs a day-time interval literal, e.g. WITHIN INTERVAL '2' MINUTE", within.pos);
  }
  if (slack.value < 0) throw new PlanError('the WITHIN interval cannot be negative', within.pos);
  const outScope = new Scope([{ name: null, altNames: [], columns: rel.columns, hidden: new Set(), offset: 0 }]);
  const ob = new ExpressionBinder(outScope, ctx.catalog, ctx.udfs, null, 'in ORDER BY');
  const keys = order.slice(1).map((o) => {
    if (o.expr.kind === 'Literal' && o.expr.value.type === 'NUMBER' && /^\d+$/.test(o.expr.value.text)) {
      const n = Number(o.expr.value.text);
      if (n < 1 || n > rel.columns.length) throw new PlanError(`ORDER BY position ${n} is out of range`, o.pos);
      return { expr: { kind: 'column' as const, index: n - 1, type: rel.columns[n - 1].type }, descending: o.descending };
    }
    return { expr: ob.bind(o.expr), descending: o.descending };
  });
  return { kind: 'TSort', input: rel, slackMs: slack.value, keys, columns: rel.columns };
}

function projectRowtime(rel: RelNode) {
  if (rel.kind === 'Project') return rel.rowtime;
  if (rel.kind === 'Distinct') return projectRowtime(rel.input);
  return null;
}

function findUnqualifiedRowtime(e: A.Expr): A.Expr | null {
  let found: A.Expr | null = null;
  const visit = (x: A.Expr): void => {
    if (found) return;
    if (x.kind === 'ColumnRef' && x.parts.length === 1 && x.parts[0].name === 'ROWTIME') {
      found = x;
      return;
    }
    for (const v of Object.values(x)) {
      if (Array.isArray(v)) for (const c of v) visitMaybe(c);
      else visitMaybe(v);
    }
  };
  const visitMaybe = (v: unknown): void => {
    if (v !== null && typeof v === 'object' && 'kind' in v && 'pos' in v) visit(v as A.Expr);
    else if (v !== null && typeof v === 'object' && 'when' in v) for (const c of Object.values(v)) visitMaybe(c);
  };
  visit(e);
  return found;
}

function astKey(e: A.Expr): string {
  return JSON.stringify(e, (k, v: unknown) => (k === 'pos' ? undefined : v));
}
