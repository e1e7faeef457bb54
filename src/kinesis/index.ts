// The Kinesis layer: the embedded stream, the Kinesis API source and writer, file replay and recording.
export type { SourceRecord, StartingPosition, ShardCheckpoint, ReadResult, StreamSource } from './stream-source.js';
export { CHECKPOINT_TRIM_HORIZON, CHECKPOINT_AT_TIMESTAMP, CHECKPOINT_SHARD_END } from './stream-source.js';
export { advanceCheckpoints } from './advance-checkpoints.js';
export { KinesisLimitError, KinesisResourceError, PutRecordsFailedError, StreamFullError } from './kinesis-errors.js';
export type { HashKeyRange } from './hash-key.js';
export { MAX_HASH_KEY, partitionKeyToHashKey, parseExplicitHashKey, recordHashKey, evenHashKeyRanges, rangeContains } from './hash-key.js';
export { shardIdFor, shardIndexOf } from './shard-id.js';
export { compareSequenceNumbers, parseSequenceNumber, embeddedSequenceNumber } from './sequence-number.js';
export type { KinesisLimits, PutRecordInput } from './kinesis-limits.js';
export { DEFAULT_KINESIS_LIMITS, splitPutRecordsRequests, validatePutRecord, validatePutRecords } from './kinesis-limits.js';
export type { ShardApi, ShardDescription, ShardIteratorStart, GetRecordsOutput } from './shard-api.js';
export type { ShardedStreamReaderOptions } from './sharded-stream-reader.js';
export { ShardedStreamReader } from './sharded-stream-reader.js';
export type { EmbeddedStreamOptions, PutRecordOutput } from './embedded-stream.js';
export { EmbeddedStream } from './embedded-stream.js';
export type { EmbeddedStreamSourceOptions } from './embedded-stream-source.js';
export { EmbeddedStreamSource } from './embedded-stream-source.js';
export type { KinesisClientOptions } from './kinesis-client.js';
export { createKinesisClient, isRetryableKinesisError } from './kinesis-client.js';
export type { KinesisApiSourceOptions } from './kinesis-api-source.js';
export { KinesisApiSource, describeShard } from './kinesis-api-source.js';
export type { PutRecordsWithRetryOptions, PutRecordsWithRetryResult } from './put-records-with-retry.js';
export { putRecordsWithRetry } from './put-records-with-retry.js';
export type { StreamRecorderOptions } from './stream-recorder.js';
export { StreamRecorder, recordingSource, dumpLine, STREAM_DUMP_VERSION } from './stream-recorder.js';
export type { FileReplaySourceOptions, FileReplayCsvOptions, FileRecordFormat } from './file-replay-source.js';
export { FileReplaySource, splitCsvLine } from './file-replay-source.js';
export type { RecordingEntry, RecordingRecord } from './binary-recording.js';
export {
  BINARY_RECORDING_EXTENSION, RECORDING_VERSION, RecordingFrameReader, decodeRecordingHeader, encodeRecordingFrame, encodeRecordingHeader, readRecording,
} from './binary-recording.js';
