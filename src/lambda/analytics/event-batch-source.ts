/**
 * One invocation's batch of one shard as the shard loop's source: the event's Kinesis records after the committed
 * position, one record per read (so that the loop checks the time left between records), then the end of input.
 * Records at or before the committed position belong to a retried batch that was committed already: they are left
 * out and counted.
 */
import type { KinesisStreamRecord } from 'aws-lambda';
import type { ReadResult, ShardCheckpoint, SourceRecord, StartingPosition } from '../../kinesis/index.js';
import type { LoopSource } from '../../runtime/shard-loop.js';
import { arrivalMs, rawData } from './decode-batch.js';
import { type ShardPosition, alreadyProcessed } from './shard-position.js';

/** A source record that knows its place in the invocation's records (the preprocessing stage decodes by it). */
export interface EventSourceRecord extends SourceRecord {
  /** Index in the shard's records of the event. */
  readonly index: number;
}

export class EventBatchSource implements LoopSource {
  private next = 0;
  /** The first record after the committed position. */
  private first = 0;
  private committedAt: ShardPosition | null = null;
  private taken: ShardPosition | null = null;
  /** Records left out because a committed invocation took them in already. */
  skipped = 0;

  constructor(
    private readonly shardKey: string,
    private readonly records: readonly KinesisStreamRecord[],
  ) {}

  async start(_position: StartingPosition, checkpoints?: ShardCheckpoint[]): Promise<void> {
    const saved = checkpoints?.[0];
    this.committedAt = saved ? { sequenceNumber: saved.sequenceNumber, subSequenceNumber: saved.subSequenceNumber ?? 0 } : null;
    this.taken = this.committedAt;
    // Positions are whole Kinesis records: a record's user records are taken in together.
    while (this.next < this.records.length && alreadyProcessed(this.positionOf(this.next), this.committedAt)) {
      this.next++;
      this.skipped++;
    }
    this.first = this.next;
  }

  async read(): Promise<ReadResult> {
    if (this.next >= this.records.length) return { records: [], done: true, millisBehindLatest: 0 };
    const index = this.next++;
    const r = this.records[index];
    this.taken = this.positionOf(index);
    const data = rawData(r.kinesis.data);
    const record: EventSourceRecord = {
      index,
      shardId: this.shardKey,
      sequenceNumber: r.kinesis.sequenceNumber,
      partitionKey: r.kinesis.partitionKey,
      data: typeof data === 'string' ? Buffer.from(data, 'utf8') : data,
      approximateArrivalTimestamp: arrivalMs(r),
    };
    return { records: [record], done: false, millisBehindLatest: 0 };
  }

  unread(records: readonly SourceRecord[]): void {
    const first = records[0] as EventSourceRecord | undefined;
    if (!first) return;
    this.next = first.index;
    this.taken = first.index > this.first ? this.positionOf(first.index - 1) : this.committedAt;
  }

  /** The index of the first record of the batch not taken in, when the loop stopped before the end. */
  firstNotTakenIn(): number | undefined {
    return this.next < this.records.length ? this.next : undefined;
  }

  checkpoints(): ShardCheckpoint[] {
    return this.taken ? [{ shardId: this.shardKey, sequenceNumber: this.taken.sequenceNumber, subSequenceNumber: this.taken.subSequenceNumber }] : [];
  }

  async close(): Promise<void> {}

  private positionOf(index: number): ShardPosition {
    return { sequenceNumber: this.records[index].kinesis.sequenceNumber, subSequenceNumber: 0 };
  }
}
