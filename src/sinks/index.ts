// The output side: sinks for result rows. Explicit export list.
export type { OutputRow, Sink, DeliveredObject } from './sink.js';
export { ERROR_STREAM } from './sink.js';
export { SinkDeliveryError } from './sink-delivery-error.js';
export type { Clock, TimerHandle } from './clock.js';
export { systemClock, ManualClock } from './clock.js';
export type { OutputFormat, RowFormatOptions, RowFormatter } from './row-formatter.js';
export { createRowFormatter, formatCsvValue } from './row-formatter.js';
export { objectKey, hourFolder, positionTag } from './object-key.js';
export type { RetryOptions } from './retry.js';
export { isRetryableError, backoffDelay } from './retry.js';
export type { ObjectStore } from './object-store.js';
export type { ObjectSinkOptions } from './object-sink.js';
export { ObjectSink, DEFAULT_BUFFER_SIZE_BYTES, DEFAULT_BUFFER_INTERVAL_MS, DEFAULT_ERROR_PREFIX } from './object-sink.js';
export type { LocalBucketSinkOptions } from './local-bucket-sink.js';
export { LocalBucketSink, LocalBucketStore } from './local-bucket-sink.js';
export type { S3SinkOptions, S3ConnectionOptions } from './s3-sink.js';
export { S3Sink, S3ObjectStore, createS3Client } from './s3-sink.js';
