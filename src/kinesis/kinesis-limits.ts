/**
 * The per-record and per-request limits Kinesis enforces on writes, and their checks. Defaults are the service's;
 * each can be changed (e.g. a stream created with a larger maximum record size).
 */
import { KinesisLimitError } from './kinesis-errors.js';
import { parseExplicitHashKey } from './hash-key.js';

export interface KinesisLimits {
  /** Longest partition key, in Unicode characters. @default 256 */
  readonly maxPartitionKeyLength: number;
  /** Largest data blob of one record, in bytes (before base64). @default 1048576 (1 MiB) */
  readonly maxDataBytes: number;
  /** Most entries in one PutRecords request. @default 500 */
  readonly maxRecordsPerPutRecords: number;
  /** Largest PutRecords request: the sum of data and partition key bytes of its entries. @default 5242880 (5 MiB) */
  readonly maxPutRecordsBytes: number;
  /** Most records one GetRecords call returns. @default 10000 */
  readonly maxRecordsPerGetRecords: number;
}

export const DEFAULT_KINESIS_LIMITS: KinesisLimits = Object.freeze({
  maxPartitionKeyLength: 256,
  maxDataBytes: 1024 * 1024,
  maxRecordsPerPutRecords: 500,
  maxPutRecordsBytes: 5 * 1024 * 1024,
  maxRecordsPerGetRecords: 10_000,
});

/** One record to write, as PutRecord / PutRecords take it. */
export interface PutRecordInput {
  readonly partitionKey: string;
  readonly data: Uint8Array | string;
  readonly explicitHashKey?: string | null;
}

/** The record's data as bytes (strings are UTF-8). */
export function dataBytes(data: Uint8Array | string): Uint8Array {
  return typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
}

/** Unicode characters (code points), the unit Kinesis counts partition keys in. */
function characterCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/**
 * Checks one record against the limits; returns the size it counts for in a PutRecords request (data plus
 * partition key bytes). Throws {@link KinesisLimitError} naming the limit and the value received.
 */
export function validatePutRecord(record: PutRecordInput, limits: KinesisLimits = DEFAULT_KINESIS_LIMITS, where = 'record'): number {
  if (typeof record.partitionKey !== 'string') {
    throw new KinesisLimitError('partitionKeyLength', `1..${limits.maxPartitionKeyLength}`, String(record.partitionKey),
      `${where}: partitionKey must be a string of 1 to ${limits.maxPartitionKeyLength} characters; received ${typeof record.partitionKey}`);
  }
  const keyLength = characterCount(record.partitionKey);
  if (keyLength < 1 || keyLength > limits.maxPartitionKeyLength) {
    throw new KinesisLimitError('partitionKeyLength', `1..${limits.maxPartitionKeyLength}`, keyLength,
      `${where}: partitionKey must be 1 to ${limits.maxPartitionKeyLength} characters long; received ${keyLength}`);
  }
  if (record.explicitHashKey != null) parseExplicitHashKey(record.explicitHashKey);
  const size = typeof record.data === 'string' ? Buffer.byteLength(record.data, 'utf8') : record.data?.byteLength;
  if (size === undefined) {
    throw new KinesisLimitError('dataBytes', limits.maxDataBytes, 'missing', `${where}: data is missing (expected bytes or a string)`);
  }
  if (size > limits.maxDataBytes) {
    throw new KinesisLimitError('dataBytes', limits.maxDataBytes, size,
      `${where}: data is ${size} bytes; a record's data may be at most ${limits.maxDataBytes} bytes`);
  }
  return size + Buffer.byteLength(record.partitionKey, 'utf8');
}

/** Checks a whole PutRecords request: entry count, every entry, and the total size (returned). */
export function validatePutRecords(records: readonly PutRecordInput[], limits: KinesisLimits = DEFAULT_KINESIS_LIMITS): number {
  if (records.length < 1 || records.length > limits.maxRecordsPerPutRecords) {
    throw new KinesisLimitError('recordsPerRequest', `1..${limits.maxRecordsPerPutRecords}`, records.length,
      `PutRecords takes 1 to ${limits.maxRecordsPerPutRecords} records; received ${records.length}`);
  }
  let total = 0;
  records.forEach((record, i) => { total += validatePutRecord(record, limits, `records[${i}]`); });
  if (total > limits.maxPutRecordsBytes) {
    throw new KinesisLimitError('requestBytes', limits.maxPutRecordsBytes, total,
      `PutRecords request is ${total} bytes (data plus partition keys); the limit is ${limits.maxPutRecordsBytes}`);
  }
  return total;
}

/**
 * Splits records into consecutive PutRecords requests within the limits: at most maxRecordsPerPutRecords entries
 * and maxPutRecordsBytes bytes each. Checks every record first (a record over a per-record limit throws).
 */
export function splitPutRecordsRequests<R extends PutRecordInput>(records: readonly R[], limits: KinesisLimits = DEFAULT_KINESIS_LIMITS): R[][] {
  const out: R[][] = [];
  let current: R[] = [];
  let bytes = 0;
  records.forEach((record, i) => {
    const size = validatePutRecord(record, limits, `records[${i}]`);
    if (current.length > 0 && (current.length >= limits.maxRecordsPerPutRecords || bytes + size > limits.maxPutRecordsBytes)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(record);
    bytes += size;
  });
  if (current.length > 0) out.push(current);
  return out;
}
