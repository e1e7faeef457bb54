/**
 * The few Kinesis operations a reader needs, as one small interface: the embedded stream and the Kinesis API both
 * implement it, so one reader ({@link ShardedStreamReader}) holds the logic of positions, lineage and checkpoints.
 */
import type { HashKeyRange } from './hash-key.js';
import type { SourceRecord } from './stream-source.js';

/** One shard as ListShards describes it. A shard with `endingSequenceNumber` is closed (split or merged). */
export interface ShardDescription {
  shardId: string;
  hashKeyRange: HashKeyRange;
  parentShardId?: string;
  adjacentParentShardId?: string;
  startingSequenceNumber: string;
  endingSequenceNumber?: string;
}

/** Where a shard iterator starts (GetShardIterator's ShardIteratorType and its argument). */
export type ShardIteratorStart =
  | { type: 'TRIM_HORIZON' }
  | { type: 'LATEST' }
  | { type: 'AT_SEQUENCE_NUMBER'; sequenceNumber: string }
  | { type: 'AFTER_SEQUENCE_NUMBER'; sequenceNumber: string }
  | { type: 'AT_TIMESTAMP'; timestamp: number };

export interface GetRecordsOutput {
  records: SourceRecord[];
  /** Null when the shard is closed and every record of it has been returned. */
  nextIterator: string | null;
  millisBehindLatest?: number;
}

export interface ShardApi {
  listShards(): Promise<ShardDescription[]>;
  getShardIterator(shardId: string, start: ShardIteratorStart): Promise<string>;
  /** `shardId` is the shard the iterator belongs to (GetRecords' answer does not say it). */
  getRecords(shardId: string, iterator: string, limit: number): Promise<GetRecordsOutput>;
  /**
   * Resolves true as soon as records may have been written since the last call, or false after `timeoutMs`;
   * without it the reader just waits out its pauses.
   */
  waitForData?(timeoutMs: number): Promise<boolean>;
  /** Is this failure worth retrying after a pause (throttling, a dropped connection)? */
  isRetryable(error: unknown): boolean;
  /** Did the iterator expire (it must be fetched again from the last position)? */
  isExpiredIterator(error: unknown): boolean;
  /** The clock of arrival times, epoch ms. */
  now(): number;
}
