/**
 * Delivery of output rows to Kinesis Data Firehose. The handler depends on the `RowDelivery` interface only;
 * `FirehoseRowDelivery` is the real one (PutRecordBatch).
 */
import { type FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';

/** What became of a delivery: the indexes of the lines that were not delivered after every retry. */
export interface DeliveryOutcome {
  readonly failed: readonly number[];
  /** Lines no attempt can ever deliver (longer than a Firehose record); not in `failed`. */
  readonly undeliverable?: readonly number[];
  /** Why the last attempt failed, for the log; absent when everything was delivered. */
  readonly lastError?: string;
}

/** Delivers newline-terminated JSON lines to a delivery stream. Never throws for delivery failures. */
export interface RowDelivery {
  deliver(deliveryStream: string, lines: readonly string[]): Promise<DeliveryOutcome>;
}

export interface FirehoseRowDeliveryOptions {
  /**
   * Rows are packed, whole, into Firehose records of at most this many bytes. Firehose bills each record rounded
   * up to 5 KB, so one 100-byte row per record would cost fifty times its size; S3 objects are the same either
   * way (the lines end with "\n"). @default 65536
   */
  readonly maxRecordBytes?: number;
  /** Attempts for failed entries (the first included). @default 6 */
  readonly maxAttempts?: number;
  /** Backoff before the second attempt; doubled each time, with jitter. @default 100 */
  readonly baseDelayMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Firehose's PutRecordBatch limits. */
export const FIREHOSE_LIMITS = { recordsPerCall: 500, bytesPerCall: 4 * 1024 * 1024, bytesPerRecord: 1000 * 1024 } as const;

interface PackedRecord {
  data: Buffer;
  /** Indexes of the lines it holds. */
  lines: number[];
}

/**
 * PutRecordBatch with packing, the call limits (500 records, 4 MiB) and retries of the failed entries only
 * (FailedPutCount / per-entry ErrorCode), with exponential backoff. A line longer than a Firehose record can hold
 * (1000 KiB) is reported `undeliverable` at once: no retry can deliver it.
 *
 * @example
 * const delivery = new FirehoseRowDelivery(new FirehoseClient({}));
 * const { failed } = await delivery.deliver('app-DESTINATION_SQL_STREAM', ['{"a":1}\n', '{"a":2}\n']);
 */
export class FirehoseRowDelivery implements RowDelivery {
  private readonly maxRecordBytes: number;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly client: FirehoseClient, options: FirehoseRowDeliveryOptions = {}) {
    this.maxRecordBytes = Math.min(options.maxRecordBytes ?? 65_536, FIREHOSE_LIMITS.bytesPerRecord);
    this.maxAttempts = options.maxAttempts ?? 6;
    this.baseDelayMs = options.baseDelayMs ?? 100;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async deliver(deliveryStream: string, lines: readonly string[]): Promise<DeliveryOutcome> {
    const { records, oversized } = this.pack(lines);
    let todo = records;
    let lastError: string | undefined = oversized.length > 0 ? `${oversized.length} row(s) longer than a Firehose record (${FIREHOSE_LIMITS.bytesPerRecord} bytes)` : undefined;
    for (let attempt = 1; todo.length > 0 && attempt <= this.maxAttempts; attempt++) {
      if (attempt > 1) await this.sleep(this.baseDelayMs * 2 ** (attempt - 2) * (0.5 + Math.random() / 2));
      const failed: PackedRecord[] = [];
      for (const call of calls(todo)) {
        try {
          const out = await this.client.send(new PutRecordBatchCommand({ DeliveryStreamName: deliveryStream, Records: call.map((r) => ({ Data: r.data })) }));
          if ((out.FailedPutCount ?? 0) === 0) continue;
          (out.RequestResponses ?? []).forEach((response, i) => {
            if (response.ErrorCode) {
              failed.push(call[i]);
              lastError = `${response.ErrorCode}: ${response.ErrorMessage ?? ''}`;
            }
          });
        } catch (error) {
          // The whole call failed (after the SDK's own retries): every entry of it is tried again.
          failed.push(...call);
          lastError = (error as Error).message;
        }
      }
      todo = failed;
    }
    const failedLines = todo.flatMap((r) => r.lines).sort((a, b) => a - b);
    const outcome: DeliveryOutcome = failedLines.length === 0 ? { failed: [] } : { failed: failedLines, lastError };
    return oversized.length === 0 ? outcome : { ...outcome, undeliverable: oversized, lastError };
  }

  private pack(lines: readonly string[]): { records: PackedRecord[]; oversized: number[] } {
    const records: PackedRecord[] = [];
    const oversized: number[] = [];
    let parts: Buffer[] = [];
    let indexes: number[] = [];
    let bytes = 0;
    const close = () => {
      if (parts.length > 0) records.push({ data: Buffer.concat(parts, bytes), lines: indexes });
      parts = [];
      indexes = [];
      bytes = 0;
    };
    lines.forEach((line, i) => {
      const data = Buffer.from(line, 'utf8');
      if (data.length > FIREHOSE_LIMITS.bytesPerRecord) {
        oversized.push(i);
        return;
      }
      if (bytes + data.length > this.maxRecordBytes) close();
      parts.push(data);
      indexes.push(i);
      bytes += data.length;
    });
    close();
    return { records, oversized };
  }
}

/** Splits records into PutRecordBatch calls within 500 records and 4 MiB each. */
function calls(records: readonly PackedRecord[]): PackedRecord[][] {
  const out: PackedRecord[][] = [];
  let current: PackedRecord[] = [];
  let bytes = 0;
  for (const r of records) {
    if (current.length === FIREHOSE_LIMITS.recordsPerCall || bytes + r.data.length > FIREHOSE_LIMITS.bytesPerCall) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(r);
    bytes += r.data.length;
  }
  if (current.length > 0) out.push(current);
  return out;
}
