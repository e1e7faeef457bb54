/**
 * The producer's write path: PutRecords in requests within Kinesis' limits, retrying only the entries a response
 * reports as failed, with backoff, until every record is written or the attempts run out (then it throws with the
 * exact list of unwritten records: nothing is lost silently).
 */
import { PutRecordsCommand, type KinesisClient, type PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';
import { isRetryableKinesisError } from './kinesis-client.js';
import { PutRecordsFailedError } from './kinesis-errors.js';
import { DEFAULT_KINESIS_LIMITS, dataBytes, validatePutRecord, type KinesisLimits, type PutRecordInput } from './kinesis-limits.js';

export interface PutRecordsWithRetryOptions {
  /** Attempts per request, the first included. @default 10 */
  maxAttempts?: number;
  /** Backoff: base * 2^(attempt-1), capped, with jitter. @default 100 */
  backoffBaseMs?: number;
  /** @default 5000 */
  backoffMaxMs?: number;
  /**
   * Also keep the order of a partition key's records inside one request: at most one record per partition key per
   * request. Without it, order is kept across requests and among retried entries, but an entry that failed can land
   * after a later entry of the same key that succeeded in the same request. @default false
   */
  strictOrdering?: boolean;
  /** Request limits; unset fields keep Kinesis' defaults. */
  limits?: Partial<KinesisLimits>;
  /** Name the stream by ARN instead of name. */
  streamARN?: string;
  /** For tests. @default Math.random */
  random?: () => number;
  /** @default setTimeout-based */
  sleep?: (ms: number) => Promise<void>;
}

export interface PutRecordsWithRetryResult {
  /** Per input record, in input order. */
  records: { shardId: string; sequenceNumber: string }[];
  /** Entries sent again after a failure. */
  retriedEntries: number;
}

/** Entry error codes of a PutRecords response worth another try. */
const retryableEntryCodes = new Set(['ProvisionedThroughputExceededException', 'InternalFailure', 'KMSThrottlingException']);

/**
 * @example
 * const { records } = await putRecordsWithRetry(client, 'ticker', [{ partitionKey: 'AAPL', data: '{"price":1}' }]);
 */
export async function putRecordsWithRetry(
  client: KinesisClient,
  streamName: string,
  records: readonly PutRecordInput[],
  options: PutRecordsWithRetryOptions = {},
): Promise<PutRecordsWithRetryResult> {
  const limits = { ...DEFAULT_KINESIS_LIMITS, ...options.limits };
  const maxAttempts = options.maxAttempts ?? 10;
  const baseMs = options.backoffBaseMs ?? 100;
  const maxMs = options.backoffMaxMs ?? 5000;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const target = options.streamARN ? { StreamARN: options.streamARN } : { StreamName: streamName };

  // Validate everything first: a bad record fails the call before anything is written.
  const sizes = records.map((record, i) => validatePutRecord(record, limits, `records[${i}]`));
  const entries: PutRecordsRequestEntry[] = records.map((r) => ({
    PartitionKey: r.partitionKey,
    Data: dataBytes(r.data),
    ...(r.explicitHashKey != null ? { ExplicitHashKey: r.explicitHashKey } : {}),
  }));

  const written: ({ shardId: string; sequenceNumber: string } | undefined)[] = new Array(records.length).fill(undefined);
  let retriedEntries = 0;
  // Requests go one after another, each fully written before the next, so no record overtakes an earlier one
  // that is being retried.
  for (const chunk of chunks(records, sizes, limits, options.strictOrdering ?? false)) {
    let pending = chunk;
    let lastErrors = new Map<number, { errorCode: string; errorMessage: string }>();
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > maxAttempts) {
        const failed = [...pending, ...notSentAfter(chunk, records.length)].map((index) => ({
          index, ...(lastErrors.get(index) ?? { errorCode: 'NotSent', errorMessage: 'not sent: an earlier request failed' }),
        }));
        throw new PutRecordsFailedError(failed, maxAttempts, written);
      }
      if (attempt > 1) {
        retriedEntries += pending.length;
        const cap = Math.min(maxMs, baseMs * 2 ** (attempt - 2));
        await sleep(cap / 2 + (random() * cap) / 2);
      }
      let response;
      try {
        response = await client.send(new PutRecordsCommand({ ...target, Records: pending.map((i) => entries[i]) }));
      } catch (error) {
        if (!isRetryableKinesisError(error)) throw error;
        const e = error as { name?: string; message?: string };
        lastErrors = new Map(pending.map((i) => [i, { errorCode: e.name ?? 'Error', errorMessage: e.message ?? String(error) }]));
        continue;
      }
      const results = response.Records ?? [];
      const stillPending: number[] = [];
      const fatal: { index: number; errorCode: string; errorMessage: string }[] = [];
      lastErrors = new Map();
      pending.forEach((index, k) => {
        const result = results[k];
        if (result?.SequenceNumber && result.ShardId && !result.ErrorCode) {
          written[index] = { shardId: result.ShardId, sequenceNumber: result.SequenceNumber };
          return;
        }
        const error = { errorCode: result?.ErrorCode ?? 'MissingResult', errorMessage: result?.ErrorMessage ?? 'no result for this entry' };
        if (retryableEntryCodes.has(error.errorCode) || error.errorCode === 'MissingResult') {
          stillPending.push(index);
          lastErrors.set(index, error);
        } else {
          fatal.push({ index, ...error });
        }
      });
      if (fatal.length > 0) {
        const failed = [...fatal, ...stillPending.map((index) => ({ index, ...(lastErrors.get(index) as { errorCode: string; errorMessage: string }) })),
          ...notSentAfter(chunk, records.length).map((index) => ({ index, errorCode: 'NotSent', errorMessage: 'not sent: an earlier request failed' }))];
        throw new PutRecordsFailedError(failed.sort((a, b) => a.index - b.index), attempt, written);
      }
      pending = stillPending;
    }
  }
  return { records: written as { shardId: string; sequenceNumber: string }[], retriedEntries };
}

/** Consecutive index runs within the request limits (and, strictly, one record per partition key). */
function chunks(records: readonly PutRecordInput[], sizes: readonly number[], limits: KinesisLimits, strict: boolean): number[][] {
  const out: number[][] = [];
  let current: number[] = [];
  let bytes = 0;
  let keys = new Set<string>();
  records.forEach((record, i) => {
    const full = current.length >= limits.maxRecordsPerPutRecords || bytes + sizes[i] > limits.maxPutRecordsBytes;
    if (current.length > 0 && (full || (strict && keys.has(record.partitionKey)))) {
      out.push(current);
      current = [];
      bytes = 0;
      keys = new Set();
    }
    current.push(i);
    bytes += sizes[i];
    keys.add(record.partitionKey);
  });
  if (current.length > 0) out.push(current);
  return out;
}

function notSentAfter(chunk: readonly number[], total: number): number[] {
  const out: number[] = [];
  for (let i = chunk[chunk.length - 1] + 1; i < total; i++) out.push(i);
  return out;
}
