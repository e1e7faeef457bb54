/**
 * Errors of the Kinesis layer. Each carries the data a caller needs to react (the limit and the value received,
 * the shard concerned), and a message that says what was wrong and what was expected.
 */
import { StreamingAnalyticsError } from '../errors.js';

/** A record or request breaks one of the limits Kinesis enforces (partition key length, record size...). */
export class KinesisLimitError extends StreamingAnalyticsError {
  /** Which limit: e.g. `partitionKeyLength`, `dataBytes`, `recordsPerRequest`, `requestBytes`, `explicitHashKey`. */
  readonly limitName: string;
  /** The limit as Kinesis states it (a number, or a range / pattern as text). */
  readonly limit: number | string;
  /** The value received (a length, a size in bytes, or the offending string). */
  readonly received: number | string;
  constructor(limitName: string, limit: number | string, received: number | string, message: string) {
    super(message);
    this.limitName = limitName;
    this.limit = limit;
    this.received = received;
  }
}

/** A shard, stream or position that does not exist (Kinesis' ResourceNotFoundException / InvalidArgumentException). */
export class KinesisResourceError extends StreamingAnalyticsError {
  readonly resource: string;
  constructor(resource: string, message: string) {
    super(message);
    this.resource = resource;
  }
}

/**
 * PutRecords entries that could still not be written after every retry. Nothing is lost silently: `failed` lists
 * each unwritten entry with its index in the caller's array and the last error Kinesis gave for it.
 */
export class PutRecordsFailedError extends StreamingAnalyticsError {
  readonly failed: readonly { index: number; errorCode: string; errorMessage: string }[];
  /** Per input index, where the entry was written, or undefined for an entry in `failed`. */
  readonly written: readonly ({ shardId: string; sequenceNumber: string } | undefined)[];
  constructor(
    failed: readonly { index: number; errorCode: string; errorMessage: string }[],
    attempts: number,
    written: readonly ({ shardId: string; sequenceNumber: string } | undefined)[] = [],
  ) {
    const first = failed[0];
    super(
      `${failed.length} record(s) not written after ${attempts} attempt(s); first: index ${first?.index} ` +
        `${first?.errorCode}: ${first?.errorMessage}`,
    );
    this.failed = failed;
    this.written = written;
  }
}

/**
 * The embedded stream holds as many bytes as its cap allows: a write must wait until readers have checkpointed
 * past older records (see EmbeddedStream.waitForSpace). Nothing was written.
 */
export class StreamFullError extends StreamingAnalyticsError {
  readonly retainedBytes: number;
  readonly maxRetainedBytes: number;
  readonly requestBytes: number;
  constructor(stream: string, retainedBytes: number, maxRetainedBytes: number, requestBytes: number) {
    super(`stream ${stream} is full: it retains ${retainedBytes} bytes, its cap is ${maxRetainedBytes}, the write needs ${requestBytes} more; nothing was written`);
    this.retainedBytes = retainedBytes;
    this.maxRetainedBytes = maxRetainedBytes;
    this.requestBytes = requestBytes;
  }
}
