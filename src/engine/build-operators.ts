import { InternalError, unhandledKind } from '../errors.js';
import type { RelNode } from '../plan/index.js';
import { dependsOnlyOnRowtime, isRowtimeMonotonic } from '../plan/index.js';
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

/** A lower bound on the ROWTIME of every row a stream or operator will still produce (see Operator.outputBound). */
export type Bound = () => number;

/** What building a query yields: where each scanned stream's rows enter, and every operator (upstream first). */
export interface BuiltQuery {
  readonly entries: { readonly stream: string; readonly push: Emit }[];
  readonly operators: Operator[];
  /** For each of `operators`, the bound of its input: the time it may be advanced to. */
  readonly inputBounds: Bound[];
  /** The bound of the query's output rows. */
  readonly bound: Bound;
}

const NO_BOUND: Bound = () => -Infinity;

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
  options: { seed?: number; streamBound?: (stream: string) => Bound } = {},
): BuiltQuery {
  const entries: { stream: string; push: Emit }[] = [];
  const operators: Operator[] = [];
  const inputBounds: Bound[] = [];
  /** Registers a stateful operator; returns the bound of its output. */
  const add = (op: Operator, input: Bound): Bound => {
    operators.push(op);
    inputBounds.push(input);
    const out = op.outputBound;
    return out === undefined ? input : () => out.call(op, input());
  };
  const build = (node: RelNode, emit: Emit): Bound => {
    switch (node.kind) {
      case 'Scan':
        entries.push({ stream: node.stream, push: emit });
        return (options.streamBound ?? (() => NO_BOUND))(node.stream);
      case 'Filter': {
        const op = new FilterOperator(compileExpression(node.predicate, ctx), emit);
        return build(node.input, (r, t) => op.push(r, t));
      }
      case 'Project': {
        // A projection of plain columns right after sliding windows is folded into the window operator.
        if (node.input.kind === 'Window' && node.rowtime === null && node.exprs.every((e) => e.kind === 'column')) {
          return buildWindow(node.input, emit, node.exprs.map((e) => (e as { index: number }).index));
        }
        // Likewise after a reference-table join with one equi-join key and no residual condition.
        if (
          node.input.kind === 'ReferenceJoin' &&
          node.rowtime === null &&
          node.input.residual === null &&
          node.input.keys.left.length === 1 &&
          node.exprs.every((e) => e.kind === 'column')
        ) {
          return buildReferenceJoin(node.input, emit, node.exprs.map((e) => (e as { index: number }).index));
        }
        const rowtime = node.rowtime ? compileExpression(node.rowtime, ctx) : null;
        const op = new ProjectOperator(
          node.exprs.map((e) => compileExpression(e, ctx)),
          rowtime,
          emit,
        );
        const input = build(node.input, (r, t) => op.push(r, t));
        if (node.rowtime === null) return input;
        // `x AS ROWTIME` re-times rows: a non-decreasing function of ROWTIME alone maps the bound; anything
        // else (an event-time column) gives no bound, and readers go by the rows the pump actually writes.
        if (rowtime !== null && dependsOnlyOnRowtime(node.rowtime) && isRowtimeMonotonic(node.rowtime)) {
          return () => {
            const b = input();
            if (!Number.isFinite(b)) return b;
            const v = rowtime([], b);
            return typeof v === 'number' ? v : -Infinity;
          };
        }
        return NO_BOUND;
      }
      case 'Aggregate': {
        const op = new TumblingAggregateOperator(
          node.keys.map((k) => compileExpression(k, ctx)),
          node.trigger,
          node.aggregates.map((a) => createGroupAccumulator(a, ctx)),
          guard(emit),
        );
        return add(op, build(node.input, (r, t) => op.push(r, t)));
      }
      case 'Stagger': {
        const op = new StaggerOperator(
          node.keys.map((k) => compileExpression(k, ctx)),
          node.rangeMs,
          node.aggregates.map((a) => createGroupAccumulator(a, ctx)),
          guard(emit),
        );
        return add(op, build(node.input, (r, t) => op.push(r, t)));
      }
      case 'Window':
        return buildWindow(node, emit, null);
      case 'Union': {
        const bounds = node.inputs.map((input) => build(input, emit));
        return () => {
          let b = Infinity;
          for (const x of bounds) b = Math.min(b, x());
          return b;
        };
      }
      case 'Sort': {
        const keys = node.keys.map((k) => ({ eval: compileExpression(k.expr, ctx), descending: k.descending }));
        const lead = node.keys[0].expr;
        const leadAtTime = dependsOnlyOnRowtime(lead) ? (time: number) => keys[0].eval([], time) : null;
        const op = new SortOperator(keys, leadAtTime, guard(emit));
        return add(op, build(node.input, (r, t) => op.push(r, t)));
      }
      case 'Distinct': {
        const op = new DistinctOperator(node.resetColumn, emit);
        return add(op, build(node.input, (r, t) => op.push(r, t)));
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
        const left = build(node.left, (r, t) => op.push(r, t));
        const right = build(node.right, (r, t) => op.pushRight(r, t));
        return add(op, () => Math.min(left(), right()));
      }
      case 'ReferenceJoin':
        return buildReferenceJoin(node, emit, null);
      case 'TSort': {
        const op = new TSortOperator(
          node.slackMs,
          node.keys.map((k) => ({ eval: compileExpression(k.expr, ctx), descending: k.descending })),
          guard(emit),
        );
        return add(op, build(node.input, (r, t) => op.push(r, t)));
      }
      case 'TableFunction': {
        const op = createTableFunctionOperator(node, guard(emit), options);
        return add(op, build(node.input, (r, t) => op.push(r, t)));
      }
      default:
        unhandledKind('plan node', node);
    }
  };
  const buildReferenceJoin = (node: Extract<RelNode, { kind: 'ReferenceJoin' }>, emit: Emit, projection: number[] | null): Bound => {
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
      projection,
    );
    return build(node.input, (r, t) => op.push(r, t));
  };
  const buildWindow = (node: Extract<RelNode, { kind: 'Window' }>, emit: Emit, projection: number[] | null): Bound => {
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
    return add(op, build(node.input, (r, t) => op.push(r, t)));
  };
  const bound = build(rel, sink);
  // Upstream operators first: `build` pushes a node after its inputs, so this order already holds.
  return { entries, operators, inputBounds, bound };
}
