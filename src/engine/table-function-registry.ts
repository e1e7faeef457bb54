import type { FunctionCatalog } from '../plan/index.js';
import { isAnalyticsTableFunction, planAnalyticsTableFunction } from './analytics/index.js';

/**
 * The planner's catalog with the table functions of FROM TABLE(...) added: the analytics functions
 * (RANDOM_CUT_FOREST[_WITH_EXPLANATION], HOTSPOTS, TOP_K_ITEMS_TUMBLING, COUNT_DISTINCT_ITEMS_TUMBLING).
 * `seed` seeds the randomized ones (ApplicationSpec.options.seed), so a replay gives the same rows.
 *
 * @example
 * planApplication(script, inputs, withTableFunctions(createFunctionRegistry(), { seed: 7 }));
 */
export function withTableFunctions(catalog: FunctionCatalog, options: { seed?: number } = {}): FunctionCatalog {
  return {
    resolve: (name, args, call) => catalog.resolve(name, args, call),
    ...(catalog.has ? { has: (name: string) => catalog.has!(name) } : {}),
    resolveTableFunction: (name, cursorColumns, args) => {
      if (!isAnalyticsTableFunction(name)) return catalog.resolveTableFunction?.(name, cursorColumns, args);
      return planAnalyticsTableFunction(name, cursorColumns, args, options.seed === undefined ? {} : { seed: options.seed });
    },
  };
}
