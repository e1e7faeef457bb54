// Lambda handlers over src/kpl: the KDA input preprocessor and the Kinesis event-source-mapping de-aggregator,
// and the pure functions they are made of; and the analytics function (the SQL engine on Lambda, ./analytics).
export { decodeRecordData } from './decode-record-data.js';
export type { CorruptAggregatePolicy, DecodeRecordDataOptions, DecodedRecordData, RecordFailureReason } from './decode-record-data.js';
export { deaggregateKinesisEvent, deaggregateKinesisStreamRecord } from './deaggregate-kinesis-event.js';
export type { DeaggregateKinesisEventOptions, DeaggregatedKinesisEvent, KinesisEventFailure, KinesisEventUserRecord } from './deaggregate-kinesis-event.js';
export { createDeaggregatorHandler } from './deaggregator-handler.js';
export type { DeaggregatorHandler, DeaggregatorHandlerOptions, UserRecordsProcessor } from './deaggregator-handler.js';
export { handlerConfigFromEnvironment } from './handler-config.js';
export type { HandlerEnvironmentConfig } from './handler-config.js';
export { DEFAULT_METRICS_NAMESPACE, createLogger, createMetrics } from './lambda-telemetry.js';
export { LAMBDA_RESPONSE_LIMIT_BYTES, preprocessKdaEvent } from './preprocess-kda-event.js';
export type {
  KdaPreprocessingEvent,
  KdaPreprocessingInputRecord,
  KdaPreprocessingOutputRecord,
  KdaPreprocessingResponse,
  KdaPreprocessingResult,
  PreprocessFailure,
  PreprocessFailureReason,
  PreprocessOptions,
  PreprocessOutcome,
} from './preprocess-kda-event.js';
export { createPreprocessorHandler } from './preprocessor-handler.js';
export type { PreprocessorHandler, PreprocessorHandlerOptions } from './preprocessor-handler.js';
export {
  ANALYTICS_ENV_VARS,
  CLOCK_TICK,
  FirehoseRowDelivery,
  LambdaPreprocessorInvoker,
  ShardStateStore,
  StateConflictError,
  analyticsConfigFromEnvironment,
  createAnalyticsHandler,
} from './analytics/index.js';
export type { AnalyticsConfig, AnalyticsHandler, AnalyticsHandlerOptions, DeliveryOutcome, PreprocessorInvoker, RowDelivery, ShardState, TickResult } from './analytics/index.js';
