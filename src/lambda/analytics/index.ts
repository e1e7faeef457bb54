// The analytics function: the KDA SQL engine on Lambda behind a Kinesis event source mapping (see README.md).
export { ANALYTICS_ENV_VARS, CLOCK_TICK, analyticsConfigFromEnvironment } from './analytics-config.js';
export type { AnalyticsConfig, Deaggregation } from './analytics-config.js';
export { createAnalyticsHandler } from './analytics-handler.js';
export type { AnalyticsHandler, AnalyticsHandlerOptions, TickResult } from './analytics-handler.js';
export { decodeBatch } from './decode-batch.js';
export type { DecodeBatchOptions, DecodedBatch, DecodedRecord } from './decode-batch.js';
export { LambdaPreprocessorInvoker, PREPROCESSOR_REQUEST_BYTES } from './preprocessor-invoker.js';
export type { PreprocessorInvoker } from './preprocessor-invoker.js';
export { FIREHOSE_LIMITS, FirehoseRowDelivery } from './row-delivery.js';
export type { DeliveryOutcome, FirehoseRowDeliveryOptions, RowDelivery } from './row-delivery.js';
export { alreadyProcessed, comparePositions } from './shard-position.js';
export type { ShardPosition } from './shard-position.js';
export { ShardStateStore, StateConflictError } from './shard-state-store.js';
export type { PendingRows, ShardState, ShardStateInput, ShardStateStoreOptions } from './shard-state-store.js';
