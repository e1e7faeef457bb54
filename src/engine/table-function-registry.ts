import { InternalError } from '../errors.js';
import type { FunctionCatalog, RelNode } from '../plan/index.js';
import { analyticsTableFunctionName, planAnalyticsTableFunction } from './analytics/index.js';
import type { Emit, Operator } from './operators/operator.js';
import { TableFunctionOperator } from './operators/table-function-operator.js';

/**
 * The planner's catalog with the table functions of FROM TABLE(...) added: the analytics functions
 * (RANDOM_CUT_FOREST[_WITH_EXPLANATION], HOTSPOTS, TOP_K_ITEMS_TUMBLING, COUNT_DISTINCT_ITEMS_TUMBLING). The
 * planner gets only what it needs to type the query (the checked call's output columns); the running function
 * is built later from the plan node by {@link createTableFunctionOperator}.
 *
 * @example
 * planApplication(script, inputs, withTableFunctions(createFunctionRegistry()));
 */
export function withTableFunctions(catalog: FunctionCatalog): FunctionCatalog {
  return {
    resolve: (name, args, call) => catalog.resolve(name, args, call),
    ...(catalog.has ? { has: (name: string) => catalog.has!(name) } : {}),
    resolveTableFunction: (name, cursorColumns, args) => {
      if (analyticsTableFunctionName(name) === undefined) return catalog.resolveTableFunction?.(name, cursorColumns, args);
      const planned = planAnalyticsTableFunction(name, cursorColumns, args);
      return { name: planned.name, outputColumns: planned.outputColumns };
    },
  };
}

/**
 * Builds the operator of a planned FROM TABLE(F(CURSOR(...), args)) node from its plain data: the function's
 * name, constant arguments and the CURSOR's columns. `seed` seeds the randomized functions
 * (ApplicationSpec.options.seed), so a replay gives the same rows.
 */
export function createTableFunctionOperator(node: Extract<RelNode, { kind: 'TableFunction' }>, emit: Emit, options: { seed?: number } = {}): Operator {
  if (analyticsTableFunctionName(node.fn.name) === undefined) {
    throw new InternalError(`table function ${node.fn.name} was planned but the engine has no implementation of it`);
  }
  const planned = planAnalyticsTableFunction(node.fn.name, node.input.columns, node.fn.args, options.seed === undefined ? {} : { seed: options.seed });
  return new TableFunctionOperator(planned.name, planned.create(), emit);
}
