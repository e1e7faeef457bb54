import { InternalError, unhandledKind } from '../errors.js';
import type { RelNode } from '../plan/index.js';
import { dependsOnlyOnRowtime } from '../plan/index.js';
import { createGroupAccumulator } from './aggregates/group-accumulator.js';
import { compileExpression, type EvalContext } from './compile-expression.js';
import { DistinctOperator } from './operators/distinct-operator.js';
import { FilterOperator } from './operators/filter-operator.js';
import type { Emit, Operator } from './operators/operator.js';
import { ProjectOperator } from './operators/project-operator.js';
import { ReferenceJoinOperator } from './operators/reference-join-operator.js';
import { StreamJoinOperator } from './operators/stream-join-operator.js';
import { TSortOperator } from './operators/t-sort-operator.js';
import type { ReferenceTable } from './reference-table.js';
import { SlidingWindowOperator } from './operators/sliding-window-operator.js';
import { SortOperator } from './operators/sort-operator.js';
import { StaggerOperator } from './operators/stagger-operator.js';
import { TumblingAggregateOperator } from './operators/tumbling-aggregate-operator.js';
import { createTableFunctionOperator } from './table-function-registry.js';

/** What building a query yields: where each scanned stream's rows enter, and every operator (upstream first). */
export interface BuiltQuery {
  readonly entries: { readonly stream: string; readonly push: Emit }[];
  readonly operators: Operator[];
}

/**
 * Turns a planned query into connected operators ending in `sink`: the plan is plain data, and every running
 * object (compiled expressions, accumulators, table functions) is made here. `guard` wraps the emit of stateful
 * operators so one bad row becomes an error_stream row instead of stopping the others. `options.seed` seeds
 * the randomized table functions. The switch over node kinds is exhaustive: a new kind fails to compile here.
 */
export function buildQuery(
  rel: RelNode,
  sink: Emit,
  ctx: EvalContext,
  guard: (emit: Emit) => Emit,
  tables: ReadonlyMap<string, ReferenceTable> = new Map(),
  options: { seed?: number } = {},
): BuiltQuery {
  const entries: { stream: string; push: Emit }[] = [];
  const operators: Operator[] = [];
  const build = (node: RelNode, emit: Emit): void => {
    switch (node.kind) {
      case 'Scan':
        entries.push({ stream: node.stream, push: emit });
        return;
      case 'Filter': {
        const op = new FilterOperator(compileExpression(node.predicate, ctx), emit);
        build(node.input, (r, t) => op.push(r, t));
        return;
      }
      case 'Project': {
        // A projection of plain columns right after sliding windows is folded into the window operator.
        if (node.input.kind === 'Window' && node.rowtime === null && node.exprs.every((e) => e.kind === 'column')) {
          buildWindow(node.input, emit, node.exprs.map((e) => (e as { index: number }).index));
          return;
        }
        const op = new ProjectOperator(
          node.exprs.map((e) => compileExpression(e, ctx)),
          node.rowtime ? compileExpression(node.rowtime, ctx) : null,
          emit,
        );
        build(node.input, (r, t) => op.push(r, t));
        return;
      }
      case 'Aggregate': {
        const op = new TumblingAggregateOperator(
          node.keys.map((k) => compileExpression(k, ctx)),
          node.trigger,
          node.aggregates.map((a) => createGroupAccumulator(a, ctx)),
          guard(emit),
        );
        build(node.input, (r, t) => op.push(r, t));
        operators.push(op);
        return;
      }
      case 'Stagger': {
        const op = new StaggerOperator(
          node.keys.map((k) => compileExpression(k, ctx)),
          node.rangeMs,
          node.aggregates.map((a) => createGroupAccumulator(a, ctx)),
          guard(emit),
        );
        build(node.input, (r, t) => op.push(r, t));
        operators.push(op);
        return;
      }
      case 'Window':
        buildWindow(node, emit, null);
        return;
      case 'Union':
        for (const input of node.inputs) build(input, emit);
        return;
      case 'Sort': {
        const keys = node.keys.map((k) => ({ eval: compileExpression(k.expr, ctx), descending: k.descending }));
        const lead = node.keys[0].expr;
        const leadAtTime = dependsOnlyOnRowtime(lead) ? (time: number) => keys[0].eval([], time) : null;
        const op = new SortOperator(keys, leadAtTime, guard(emit));
        build(node.input, (r, t) => op.push(r, t));
        operators.push(op);
        return;
      }
      case 'Distinct': {
        const op = new DistinctOperator(node.resetColumn, emit);
        build(node.input, (r, t) => op.push(r, t));
        operators.push(op);
        return;
      }
      case 'StreamJoin': {
        const op = new StreamJoinOperator(
          {
            joinType: node.joinType,
            leftWindow: node.leftWindow,
            rightWindow: node.rightWindow,
            leftKeys: node.keys.left.map((k) => compileExpression(k, ctx)),
            rightKeys: node.keys.right.map((k) => compileExpression(k, ctx)),
            residual: node.residual ? compileExpression(node.residual, ctx) : null,
            leftWidth: node.left.columns.length,
            rightWidth: node.right.columns.length,
          },
          guard(emit),
        );
        build(node.left, (r, t) => op.push(r, t));
        build(node.right, (r, t) => op.pushRight(r, t));
        operators.push(op);
        return;
      }
      case 'ReferenceJoin': {
        const table = tables.get(node.table);
        if (!table) throw new InternalError(`reference table ${node.table} was planned but not loaded`);
        const op = new ReferenceJoinOperator(
          table,
          node.keys.left.map((k) => compileExpression(k, ctx)),
          node.keys.right.map((k) => compileExpression(k, ctx)),
          node.residual ? compileExpression(node.residual, ctx) : null,
          node.outer,
          node.input.columns.length,
          emit,
        );
        build(node.input, (r, t) => op.push(r, t));
        return;
      }
      case 'TSort': {
        const op = new TSortOperator(
          node.slackMs,
          node.keys.map((k) => ({ eval: compileExpression(k.expr, ctx), descending: k.descending })),
          guard(emit),
        );
        build(node.input, (r, t) => op.push(r, t));
        operators.push(op);
        return;
      }
      case 'TableFunction': {
        const op = createTableFunctionOperator(node, guard(emit), options);
        build(node.input, (r, t) => op.push(r, t));
        operators.push(op);
        return;
      }
      default:
        unhandledKind('plan node', node);
    }
  };
  const buildWindow = (node: Extract<RelNode, { kind: 'Window' }>, emit: Emit, projection: number[] | null): void => {
    const op = new SlidingWindowOperator(
      node.windows.map((w) => ({ partitionBy: w.partitionBy.map((p) => compileExpression(p, ctx)), unit: w.unit, size: w.size })),
      node.calls.map((c) => ({
        call: c,
        arg: c.args.length > 0 && !c.star ? compileExpression(c.args[0], ctx) : null,
        extra: c.args.slice(1).map((a) => compileExpression(a, ctx)),
      })),
      node.input.columns.length,
      emit,
      projection,
    );
    build(node.input, (r, t) => op.push(r, t));
    operators.push(op);
  };
  build(rel, sink);
  // Upstream operators first: `build` pushes a node after its inputs, so this order already holds.
  return { entries, operators };
}
