/**
 * The contract every source of Kinesis records implements (embedded stream, Kinesis API, file replay), and the
 * types of its records and checkpoints.
 */
import type { ExecutionError } from '../errors.js';

/** One Kinesis record as a source delivers it. */
export interface SourceRecord {
  shardId: string;
  sequenceNumber: string;
  partitionKey: string;
  explicitHashKey?: string | null;
  data: Uint8Array;
  /** Epoch ms. */
  approximateArrivalTimestamp: number;
  /**
   * Set on the first record delivered after resuming from a checkpoint that carried a sub-sequence number: the
   * record is delivered again because only part of its (KPL-aggregated) user records were processed; the pipeline
   * drops the user records whose sub-sequence number is at most this one.
   */
  resumeAfterSubSequenceNumber?: number;
}

export type StartingPosition = 'NOW' | 'TRIM_HORIZON' | 'LAST_STOPPED_POINT';

/**
 * Sentinel values of {@link ShardCheckpoint.sequenceNumber} for shards where no record has been delivered yet, or
 * that were read to their end: `TRIM_HORIZON` (read from the oldest record), `AT_TIMESTAMP` (read records that
 * arrived at or after `timestamp`: a shard started at NOW before any record came), `SHARD_END` (a closed shard read
 * completely: its children may start).
 */
export const CHECKPOINT_TRIM_HORIZON = 'TRIM_HORIZON';
export const CHECKPOINT_AT_TIMESTAMP = 'AT_TIMESTAMP';
export const CHECKPOINT_SHARD_END = 'SHARD_END';

/**
 * How far one shard has been processed. `sequenceNumber` is the last record processed (or a sentinel, see
 * {@link CHECKPOINT_SHARD_END}). With `subSequenceNumber`, only the user records up to that sub-sequence number of
 * that (aggregated) record were processed: the record is read again on resume and the rest of it is processed.
 */
export interface ShardCheckpoint {
  shardId: string;
  sequenceNumber: string;
  subSequenceNumber?: number;
  /** Epoch ms, with sequenceNumber `AT_TIMESTAMP`. */
  timestamp?: number;
  /**
   * File sources: every line of the file up to this one was delivered or reported as rejected, so a resumed
   * replay does not report a bad line a second time.
   */
  line?: number;
}

/**
 * Input a source could not turn into a record (a replay-file line that is not JSON, lacks its arrival time, is cut
 * short or holds invalid base64). The host writes it to error_stream and goes on: one bad line never stops a run.
 */
export interface RejectedInput {
  /** Names the file and line, and what is wrong; `errorName` is error_stream's ERROR_NAME. */
  readonly error: ExecutionError;
  /** The input as read (a line's text), for error_stream's DATA_ROW. */
  readonly raw: string;
  /** Its arrival time when that could be read, else null. */
  readonly arrivalTimestamp: number | null;
}

export interface ReadResult {
  records: SourceRecord[];
  /** True when a finite source is exhausted (file replay); a stream is never done. */
  done: boolean;
  /** How far the reader is behind the newest record of the stream, in ms (the largest over its shards). */
  millisBehindLatest?: number;
  /**
   * Input met while reading this batch that is not a record (file sources): the host writes each to error_stream.
   * They are covered by the same checkpoint as the batch's records.
   */
  rejected?: RejectedInput[];
}

export interface StreamSource {
  /**
   * Opens the source. With LAST_STOPPED_POINT, `checkpoints` (as {@link StreamSource.checkpoints} returned them in
   * the previous run) say where each shard resumes.
   */
  start(position: StartingPosition, checkpoints?: ShardCheckpoint[]): Promise<void>;
  /**
   * Next batch across shards (may be empty); resolves within about the source's pollMs. Per shard, in order.
   * One read() at a time: call the next after the previous has resolved.
   */
  read(): Promise<ReadResult>;
  /**
   * The position after every record returned by read() so far, one entry per shard the source knows. Saved with
   * the pipeline's state and passed back to start('LAST_STOPPED_POINT', ...): nothing is lost or read twice.
   */
  checkpoints(): ShardCheckpoint[];
  /**
   * The host committed these positions (what checkpoints() returned; durably when it keeps checkpoints): the source
   * may let go of what lies before them. An in-process stream frees its memory this way; others need not.
   */
  committed?(positions: readonly ShardCheckpoint[]): void;
  /**
   * The hash-key range of a shard the source knows, for de-aggregation: after a reshard, a KPL aggregate can hold
   * user records whose explicit hash key belongs to another shard (src/kpl's `shardHashKeyRange` option).
   */
  shardHashKeyRange?(shardId: string): { start: bigint; end: bigint } | undefined;
  close(): Promise<void>;
}
