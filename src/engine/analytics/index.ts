// Advanced analytics functions of the KDA dialect: the algorithms and their table-function wrappers.
export { SeededRandom, DEFAULT_ANALYTICS_SEED } from './seeded-random.js';
export { RandomCutForest, RCF_DEFAULTS } from './random-cut-forest.js';
export type { RandomCutForestOptions, RcfAttribution } from './random-cut-forest.js';
export { RandomCutTree } from './random-cut-tree.js';
export { PointStore } from './point-store.js';
export {
  planRandomCutForest,
  RandomCutForestFunction,
  formatAnomalyExplanation,
} from './random-cut-forest-function.js';
export type { RandomCutForestArguments, RandomCutForestPlan } from './random-cut-forest-function.js';
export { HotspotDetector, HotspotsFunction, planHotspots, formatHotspotsResult } from './hotspots.js';
export type { Hotspot, HotspotsPlan } from './hotspots.js';
export { SpaceSavingSketch } from './space-saving-sketch.js';
export { TopKItemsTumbling, planTopKItemsTumbling, findColumn } from './top-k-items-tumbling.js';
export type { TopKItemsPlan } from './top-k-items-tumbling.js';
export { HyperLogLog, hashString } from './hyper-log-log.js';
export {
  CountDistinctItemsTumbling,
  planCountDistinctItemsTumbling,
  EXACT_DISTINCT_LIMIT,
} from './count-distinct-items-tumbling.js';
export type { CountDistinctItemsPlan } from './count-distinct-items-tumbling.js';
export { TumblingWindowClock, itemKey } from './tumbling-window-clock.js';
export type { EmittedRow } from './tumbling-window-clock.js';
export { isAnalyticsNumericType, numericColumnIndexes, readNumericValues } from './numeric-columns.js';
export type { TableFunctionColumn } from './numeric-columns.js';
export { checkIntegerArgument, checkPositiveNumberArgument } from './argument-checks.js';
export {
  planAnalyticsTableFunction,
  analyticsTableFunctionName,
  isAnalyticsTableFunction,
  ANALYTICS_TABLE_FUNCTION_NAMES,
} from './analytics-table-functions.js';
export type { AnalyticsTableFunctionInstance, AnalyticsTableFunctionName, PlannedAnalyticsTableFunction } from './analytics-table-functions.js';
export type { RandomCutForestState } from './random-cut-forest.js';
