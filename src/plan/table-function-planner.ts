import { PlanError } from '../errors.js';
import type * as A from '../sql/ast.js';
import type { Value } from '../types/sql-type.js';
import { ExpressionBinder } from './expression-binder.js';
import type { RelNode } from './logical-plan.js';
import type { QueryPlannerContext } from './query-planner.js';
import type { ColumnInfo } from './schema.js';
import { Scope, type ScopeRelation } from './scope.js';

/**
 * Plans `FROM TABLE(F(CURSOR(SELECT STREAM ...), arg, ...)) [AS t [(c, ...)]]` (SQLREF table-function calling
 * convention): the CURSOR query is planned as the function's input, the other arguments must be constants
 * (literals), and the catalog checks them and gives the output columns. `planCursor` plans the CURSOR's query
 * (passed in so this module does not import the query planner back).
 */
export function planTableFunction(
  f: A.TableFunctionRef,
  ctx: QueryPlannerContext,
  planCursor: (q: A.Query) => RelNode,
): { rel: RelNode; relations: ScopeRelation[] } {
  const call = f.call;
  const name = call.name.name;
  if (call.over !== null) throw new PlanError(`table function ${name} cannot take OVER`, call.over.pos);
  if (call.star || call.distinct) throw new PlanError(`table function ${name} takes CURSOR(...) and constant arguments`, call.pos);
  const resolver = ctx.catalog.resolveTableFunction;
  const first = call.args[0];
  if (first === undefined || first.kind !== 'Cursor') {
    if (resolver === undefined || !isKnown(name, ctx)) throw new PlanError(`unknown table function ${name}`, call.name.pos);
    throw new PlanError(`the first argument of ${name} must be CURSOR(SELECT STREAM ...)`, first?.pos ?? call.pos);
  }
  const input = planCursor(first.query);
  const binder = new ExpressionBinder(new Scope([]), ctx.catalog, ctx.udfs, null, `as an argument of ${name}`);
  const args: Value[] = call.args.slice(1).map((a) => {
    const b = binder.bind(a);
    if (b.kind !== 'literal') throw new PlanError(`the arguments of ${name} after CURSOR(...) must be constants (literals)`, a.pos);
    return b.value;
  });
  let fn;
  try {
    fn = resolver?.(name, input.columns, args);
  } catch (e) {
    // The algorithms' plan functions know the rule that was broken, not where: add the call's position.
    if (e instanceof PlanError && e.line === undefined) throw new PlanError(e.detail, call.name.pos);
    throw e;
  }
  if (fn === undefined) throw new PlanError(`unknown table function ${name}`, call.name.pos);
  const columns: ColumnInfo[] = fn.outputColumns.map((c) => ({ name: c.name, type: c.type }));
  const rel: RelNode = { kind: 'TableFunction', input, fn: { name: fn.name, args }, columns };
  const alias = f.alias;
  let visible = columns;
  if (alias?.columns) {
    if (alias.columns.length > columns.length) throw new PlanError(`the alias lists ${alias.columns.length} columns but ${name} returns ${columns.length}`, alias.name.pos);
    visible = columns.map((c, i) => (i < alias.columns!.length ? { ...c, name: alias.columns![i].name } : c));
  }
  return { rel, relations: [{ name: alias ? alias.name.name : null, altNames: [], columns: visible, hidden: new Set(), offset: 0 }] };
}

/** Whether the catalog knows `name` as a table function (probed with no input, so argument errors mean yes). */
function isKnown(name: string, ctx: QueryPlannerContext): boolean {
  try {
    return ctx.catalog.resolveTableFunction?.(name, [], []) !== undefined;
  } catch {
    return true;
  }
}
