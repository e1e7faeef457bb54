// The KPL aggregated-record format: de-aggregation with KCL semantics, aggregation as the KPL does it.
export {
  DEFAULT_AGGREGATION_MAX_BYTES,
  DEFAULT_STREAM_MAX_RECORD_BYTES,
  KPL_DIGEST_LENGTH,
  KPL_MAGIC,
  KPL_MIN_AGGREGATE_LENGTH,
  LARGEST_STREAM_MAX_RECORD_BYTES,
  hasKplMagic,
} from './aggregated-record-format.js';
export { Aggregator, aggregate } from './aggregator.js';
export type { AggregatedRecord, AggregatorOptions, UserRecordInput } from './aggregator.js';
export { decodeBase64, isBase64 } from './base64.js';
export { deaggregate, deaggregateWithStatus } from './deaggregate.js';
export type {
  DeaggregateOptions,
  DeaggregateResult,
  HashKeyRangeFilter,
  KinesisRecordInput,
  PassThroughReason,
  UserRecord,
} from './deaggregate.js';
export { MAX_HASH_KEY, effectiveHashKey, parseHashKey, partitionKeyHash } from './hash-key.js';
export type { HashKeyRange } from './hash-key.js';
export { compareSequencePositions } from './sequence-position.js';
export type { SequencePosition } from './sequence-position.js';
