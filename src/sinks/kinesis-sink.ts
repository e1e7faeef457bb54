/**
 * Rows as records of a Kinesis data stream (what a KDA output to a Kinesis stream does): one record per row,
 * sent with PutRecords in calls of at most 500 records / 5 MiB, through AWS SDK v3 at any endpoint.
 */
import { createHash } from 'node:crypto';
import { KinesisClient, PutRecordsCommand, type PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { ConfigError } from '../errors.js';
import { systemClock, type Clock, type TimerHandle } from './clock.js';
import { DeliveryQueue } from './delivery-queue.js';
import { createRowFormatter, type OutputFormat, type RowFormatter } from './row-formatter.js';
import { backoffDelay, describeError, isRetryableError, retryPolicy, type RetryOptions, type RetryPolicy } from './retry.js';
import type { OutputRow, Sink } from './sink.js';
import { SinkDeliveryError } from './sink-delivery-error.js';

/** PutRecords limits. */
export const MAX_RECORDS_PER_CALL = 500;
export const MAX_BYTES_PER_CALL = 5 * 1024 * 1024;
/** The classic per-record limit (data + partition key), which the emulators enforce. */
export const MAX_RECORD_BYTES = 1024 * 1024;

export interface KinesisSinkOptions {
  streamName: string;
  /** A ready client. Default: one made from endpoint/region/credentials with SDK retries off. */
  client?: KinesisClient;
  /** e.g. `http://127.0.0.1:4567` for kinesalite. Default: AWS's endpoint for the region. */
  endpoint?: string;
  /** Default `AWS_REGION`, else `us-east-1`. */
  region?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Default JSON (each record holds one JSON object, no trailing newline). */
  format?: OutputFormat;
  csvDelimiter?: string;
  /** Deliver the row's ROWTIME as its first field (KDA did not: it delivers the stream's columns only). Default false. */
  includeRowtime?: boolean;
  /** Appended to each record's data. Default none. */
  recordTerminator?: string;
  /**
   * The column whose value is the partition key (rows with the same value go to the same shard, in order).
   * Default, and for a NULL or empty value: the MD5 of the record data in hex.
   */
  partitionKeyColumn?: string;
  /** Send when this many records are buffered. Default and maximum 500. */
  maxRecordsPerCall?: number;
  /** Send when a call would exceed this many bytes (data + partition keys). Default 5 MiB. */
  maxBytesPerCall?: number;
  /** Send buffered records at least this often (ms); Infinity: only when a call is full or on flush(). Default 1000. */
  bufferIntervalMs?: number;
  /** Retries of failed calls and of the failed entries of a call. Default 6 attempts, 100 ms base, 10 s cap. */
  retry?: RetryOptions;
  clock?: Clock;
  /** Called after each PutRecords call that stored all its records. */
  onDelivered?: (batch: { records: number; bytes: number }) => void;
}

interface PendingRecord {
  readonly entry: PutRecordsRequestEntry;
  readonly bytes: number;
}

/**
 * Delivery is at least once: Kinesis has no idempotent put, so records re-sent after a restart (or after a
 * call whose answer was lost) appear twice; `position` is accepted and not used. Failed entries of a call are
 * re-sent alone, so records of one partition key can come out of order after a partial failure (as with any
 * PutRecords producer).
 * @example
 * const sink = new KinesisSink({ streamName: 'results', endpoint: 'http://127.0.0.1:4567', partitionKeyColumn: 'TICKER' });
 * await sink.write(rows);
 * await sink.close();
 */
export class KinesisSink implements Sink {
  readonly streamName: string;
  private readonly client: KinesisClient;
  private readonly ownsClient: boolean;
  private readonly formatter: RowFormatter;
  private readonly partitionKeyColumn: string | undefined;
  private readonly maxRecords: number;
  private readonly maxBytes: number;
  private readonly intervalMs: number;
  private readonly policy: RetryPolicy;
  private readonly clock: Clock;
  private readonly onDelivered: KinesisSinkOptions['onDelivered'];
  private readonly queue = new DeliveryQueue();
  private buffer: PendingRecord[] = [];
  private bufferBytes = 0;
  private timer: TimerHandle | undefined;
  private closed = false;

  constructor(options: KinesisSinkOptions) {
    if (!options.streamName) throw new ConfigError('streamName', 'the Kinesis stream name is empty');
    this.streamName = options.streamName;
    this.client =
      options.client ??
      new KinesisClient({
        endpoint: options.endpoint,
        region: options.region ?? process.env.AWS_REGION ?? 'us-east-1',
        credentials: options.credentials,
        maxAttempts: 1,
        // The SDK's default HTTP/2 handler for Kinesis fails against local emulators.
        requestHandler: new NodeHttpHandler({ connectionTimeout: 10_000, requestTimeout: 30_000 }),
      });
    this.ownsClient = options.client === undefined;
    this.formatter = createRowFormatter({ format: options.format ?? 'JSON', csvDelimiter: options.csvDelimiter, includeRowtime: options.includeRowtime, lineTerminator: options.recordTerminator ?? '' });
    this.partitionKeyColumn = options.partitionKeyColumn;
    this.maxRecords = options.maxRecordsPerCall ?? MAX_RECORDS_PER_CALL;
    this.maxBytes = options.maxBytesPerCall ?? MAX_BYTES_PER_CALL;
    if (!(this.maxRecords >= 1 && this.maxRecords <= MAX_RECORDS_PER_CALL)) {
      throw new ConfigError('maxRecordsPerCall', `must be 1..${MAX_RECORDS_PER_CALL}; received ${options.maxRecordsPerCall}`);
    }
    if (!(this.maxBytes >= 1 && this.maxBytes <= MAX_BYTES_PER_CALL)) {
      throw new ConfigError('maxBytesPerCall', `must be 1..${MAX_BYTES_PER_CALL}; received ${options.maxBytesPerCall}`);
    }
    this.intervalMs = options.bufferIntervalMs ?? 1000;
    this.policy = retryPolicy(options.retry, isRetryableError);
    this.clock = options.clock ?? systemClock;
    this.onDelivered = options.onDelivered;
  }

  async write(rows: readonly OutputRow[], _position?: string): Promise<void> {
    this.checkUsable();
    // Encode everything first: a row that cannot be sent rejects the write before any of its rows is buffered.
    const records = rows.map(({ row }) => this.toRecord(row));
    const batches: PendingRecord[][] = [];
    for (const record of records) {
      if (this.buffer.length > 0 && (this.buffer.length >= this.maxRecords || this.bufferBytes + record.bytes > this.maxBytes)) {
        batches.push(this.detach());
      }
      if (this.buffer.length === 0 && Number.isFinite(this.intervalMs)) this.timer = this.clock.setTimer(() => this.onInterval(), this.intervalMs);
      this.buffer.push(record);
      this.bufferBytes += record.bytes;
    }
    if (this.buffer.length >= this.maxRecords) batches.push(this.detach());
    if (batches.length > 0) await this.send(batches);
  }

  async flush(): Promise<void> {
    this.checkUsable();
    await this.send(this.buffer.length > 0 ? [this.detach()] : []);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    try {
      if (!this.queue.failed) await this.flush();
    } finally {
      this.closed = true;
      this.clock.clearTimer(this.timer);
      this.buffer = [];
      if (this.ownsClient) this.client.destroy();
    }
    this.queue.check();
  }

  private checkUsable(): void {
    this.queue.check();
    if (this.closed) throw new ConfigError('sink', 'the sink is closed');
  }

  private toRecord(row: Record<string, unknown>): PendingRecord {
    const data = Buffer.from(this.formatter(row));
    const value = this.partitionKeyColumn === undefined ? undefined : row[this.partitionKeyColumn];
    let key = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
    if (key === '') key = createHash('md5').update(data).digest('hex');
    // Kinesis allows 1..256 Unicode characters.
    if (key.length > 256) key = [...key].slice(0, 256).join('');
    const bytes = data.length + Buffer.byteLength(key);
    if (bytes > MAX_RECORD_BYTES) {
      throw new SinkDeliveryError(`kinesis://${this.streamName}`, 0, false, `a row encodes to ${bytes} bytes, more than the ${MAX_RECORD_BYTES}-byte record limit`);
    }
    return { entry: { Data: data, PartitionKey: key }, bytes };
  }

  private detach(): PendingRecord[] {
    this.clock.clearTimer(this.timer);
    this.timer = undefined;
    const batch = this.buffer;
    this.buffer = [];
    this.bufferBytes = 0;
    return batch;
  }

  private onInterval(): void {
    if (this.buffer.length === 0) return;
    const batch = this.detach();
    this.queue.runDetached(() => this.putRecords(batch));
  }

  private async send(batches: PendingRecord[][]): Promise<void> {
    for (const batch of batches) this.queue.run(() => this.putRecords(batch)).catch(() => undefined);
    await this.queue.drain();
  }

  /** One PutRecords call, then calls for the entries that failed, until all are stored or attempts run out. */
  private async putRecords(batch: PendingRecord[]): Promise<void> {
    const destination = `kinesis://${this.streamName}`;
    let pending = batch;
    for (let attempt = 1; ; attempt++) {
      let failed: PendingRecord[];
      let problem: string;
      try {
        const answer = await this.client.send(new PutRecordsCommand({ StreamName: this.streamName, Records: pending.map((r) => r.entry) }));
        failed = [];
        const codes = new Set<string>();
        (answer.Records ?? []).forEach((result, i) => {
          if (result.ErrorCode) {
            failed.push(pending[i]);
            codes.add(result.ErrorCode);
          }
        });
        if (failed.length === 0 && (answer.FailedRecordCount ?? 0) > 0) failed = pending; // a count without details
        problem = `${failed.length} of ${pending.length} records failed: ${[...codes].join(', ')}`;
      } catch (error) {
        const retryable = isRetryableError(error);
        if (!retryable || attempt >= this.policy.maxAttempts) {
          throw new SinkDeliveryError(destination, attempt, retryable, describeError(error), { cause: error });
        }
        await this.policy.sleep(backoffDelay(this.policy, attempt));
        continue;
      }
      if (failed.length === 0) {
        this.onDelivered?.({ records: batch.length, bytes: batch.reduce((n, r) => n + r.bytes, 0) });
        return;
      }
      if (attempt >= this.policy.maxAttempts) throw new SinkDeliveryError(destination, attempt, true, problem);
      pending = failed;
      await this.policy.sleep(backoffDelay(this.policy, attempt));
    }
  }
}
