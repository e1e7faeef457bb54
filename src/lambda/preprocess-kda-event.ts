import { Buffer } from 'node:buffer';
import { type CorruptAggregatePolicy, type RecordFailureReason, decodeRecordData } from './decode-record-data.js';

/** One record of a Kinesis Data Analytics input-preprocessing event. */
export interface KdaPreprocessingInputRecord {
  recordId: string;
  kinesisStreamRecordMetadata?: {
    sequenceNumber?: string;
    partitionKey?: string;
    shardId?: string;
    /** Epoch milliseconds. */
    approximateArrivalTimestamp?: number;
  };
  /** Base64 of the Kinesis record's data. */
  data: string;
}

/** The event KDA sends to an input-preprocessing Lambda. */
export interface KdaPreprocessingEvent {
  invocationId: string;
  applicationArn: string;
  streamArn: string;
  records: KdaPreprocessingInputRecord[];
}

export type KdaPreprocessingResult = 'Ok' | 'Dropped' | 'ProcessingFailed';

export interface KdaPreprocessingOutputRecord {
  recordId: string;
  result: KdaPreprocessingResult;
  /** Base64 of the record to hand to the application. */
  data: string;
}

export interface KdaPreprocessingResponse {
  records: KdaPreprocessingOutputRecord[];
}

/** Lambda's limit on a synchronous invocation's response (and request) payload: 6 MB. */
export const LAMBDA_RESPONSE_LIMIT_BYTES = 6_291_456;

export interface PreprocessOptions {
  /**
   * Largest response, in bytes of its JSON. Records whose output does not fit any more come back as
   * ProcessingFailed with their original data, or with empty data if even that cannot fit (never under Lambda,
   * whose request is limited to 6 MB too; possible for bigger batches handed over in process). See README.
   * @default 6291456 (Lambda's limit)
   */
  maxResponseBytes?: number;
  /** @default 'fail' */
  corruptAggregates?: CorruptAggregatePolicy;
  /**
   * Bytes written after each user record's payload of an aggregate, e.g. "\n" for a CSV application whose
   * producers write rows without a line end. The default, nothing, is the blueprint's plain concatenation
   * (a JSON application reads back-to-back documents).
   * @default ''
   */
  userRecordSeparator?: string;
}

export type PreprocessFailureReason = RecordFailureReason | 'response-too-large';

/** One record answered ProcessingFailed, for the log. */
export interface PreprocessFailure {
  recordId: string;
  index: number;
  reason: PreprocessFailureReason;
  detail: string;
}

export interface PreprocessOutcome {
  response: KdaPreprocessingResponse;
  counts: {
    /** Records in the event. */
    records: number;
    /** Records that were KPL aggregates. */
    aggregates: number;
    /** User records handed on (an Ok non-aggregated record counts one). */
    userRecords: number;
    /** Records answered ProcessingFailed. */
    failed: number;
  };
  failures: PreprocessFailure[];
  /** Set when the event itself is malformed (no `records` array): the response then has no records. */
  eventProblem?: string;
}

// Bytes of the JSON around an output record's fields: {"recordId":<id>,"result":"<r>","data":"<b64>"}
const ENTRY_OVERHEAD = '{"recordId":,"result":"","data":""}'.length;
const ENVELOPE = '{"records":[]}'.length;

/**
 * The KDA input-preprocessing contract with KPL de-aggregation, as AWS's kinesis-analytics-process-kpl-record
 * blueprint did it: each input record gives exactly one output record, same recordId, same order.
 *
 * - A KPL aggregate: Ok, data = its user records' payloads concatenated (see `userRecordSeparator`).
 * - Any other record: Ok, data unchanged.
 * - Invalid base64, a corrupt aggregate (KPL magic but a bad digest or body, a key index out of range) or a
 *   malformed record: ProcessingFailed with the original data; the reason is in `failures`.
 * - Output that would make the response exceed `maxResponseBytes`: those records ProcessingFailed with their
 *   original data, reason 'response-too-large' (KDA routes them to the error stream; nothing is silently lost).
 *
 * Never throws on bad input.
 *
 * @example
 * const { response, failures } = preprocessKdaEvent(event);
 * for (const f of failures) logger.warn('record not de-aggregated', { ...f });
 * return response;
 */
export function preprocessKdaEvent(event: unknown, options: PreprocessOptions = {}): PreprocessOutcome {
  const counts = { records: 0, aggregates: 0, userRecords: 0, failed: 0 };
  const input = (event as { records?: unknown } | null | undefined)?.records;
  if (typeof event !== 'object' || event === null || !Array.isArray(input)) {
    return { response: { records: [] }, counts, failures: [], eventProblem: `expected an object with a 'records' array; received ${describe(event)}` };
  }
  const maxBytes = options.maxResponseBytes ?? LAMBDA_RESPONSE_LIMIT_BYTES;
  const separator = Buffer.from(options.userRecordSeparator ?? '', 'utf8');
  const records = input as unknown[];
  counts.records = records.length;

  // Budget. Each record holds a reservation: what it costs if it fails with its original data, or, if even
  // that cannot fit for the whole event, with empty data. A record swaps its reservation for its real output
  // only while the total stays within the limit, so every record is answered and the response always fits.
  // Under Lambda the first kind always fits: the request is at most 6 MB too, and a ProcessingFailed entry with
  // the original data is shorter than the request's entry (it has no kinesisStreamRecordMetadata).
  const ids: string[] = new Array(records.length);
  const originals: string[] = new Array(records.length);
  const withData: number[] = new Array(records.length);
  const reserved: number[] = new Array(records.length);
  const frame = ENVELOPE + Math.max(0, records.length - 1);
  let total = frame;
  for (let i = 0; i < records.length; i++) {
    const r = records[i] as Partial<KdaPreprocessingInputRecord> | null;
    ids[i] = typeof r?.recordId === 'string' ? r.recordId : String(r?.recordId ?? '');
    originals[i] = typeof r?.data === 'string' ? r.data : '';
    withData[i] = entryBytes(ids[i], 'ProcessingFailed', originals[i].length);
    total += withData[i];
  }
  const keepOriginals = total <= maxBytes;
  let used = frame;
  for (let i = 0; i < records.length; i++) {
    reserved[i] = keepOriginals ? withData[i] : entryBytes(ids[i], 'ProcessingFailed', 0);
    used += reserved[i];
  }

  const failures: PreprocessFailure[] = [];
  const out: KdaPreprocessingOutputRecord[] = new Array(records.length);
  const fail = (i: number, reason: PreprocessFailureReason, detail: string) => {
    const keep = used - reserved[i] + withData[i] <= maxBytes;
    const data = keep ? originals[i] : '';
    used += entryBytes(ids[i], 'ProcessingFailed', data.length) - reserved[i];
    out[i] = { recordId: ids[i], result: 'ProcessingFailed', data };
    failures.push({ recordId: ids[i], index: i, reason, detail: keep ? detail : `${detail}; original data left out of the response, which would exceed ${maxBytes} bytes` });
    counts.failed++;
  };
  for (let i = 0; i < records.length; i++) {
    const r = records[i] as Partial<KdaPreprocessingInputRecord> | null;
    if (typeof r !== 'object' || r === null || typeof r.recordId !== 'string') {
      fail(i, 'malformed-record', `record ${i}: expected an object with a string recordId; received ${describe(r)}`);
      continue;
    }
    const meta = typeof r.kinesisStreamRecordMetadata === 'object' && r.kinesisStreamRecordMetadata !== null ? r.kinesisStreamRecordMetadata : {};
    const decoded = decodeRecordData(
      r.data,
      {
        partitionKey: typeof meta.partitionKey === 'string' ? meta.partitionKey : '',
        sequenceNumber: typeof meta.sequenceNumber === 'string' ? meta.sequenceNumber : undefined,
        approximateArrivalTimestamp: typeof meta.approximateArrivalTimestamp === 'number' ? meta.approximateArrivalTimestamp : undefined,
      },
      { corruptAggregates: options.corruptAggregates },
    );
    if (!decoded.ok) {
      fail(i, decoded.reason, decoded.detail);
      continue;
    }
    // The output's size is known before it is built, so a record that cannot fit costs no copying.
    let data: string | undefined;
    let userBytes = 0;
    let okBytes: number;
    if (!decoded.aggregated) {
      // A plain record (or a corrupt one passed through by choice): hand the text on as it came.
      data = originals[i];
      okBytes = entryBytes(ids[i], 'Ok', data.length);
    } else {
      for (const u of decoded.records) userBytes += u.data.length + separator.length;
      okBytes = entryBytes(ids[i], 'Ok', base64Length(userBytes));
    }
    if (used - reserved[i] + okBytes > maxBytes) {
      fail(i, 'response-too-large', `its output (${okBytes} bytes of JSON) does not fit in the rest of the ${maxBytes}-byte response`);
      continue;
    }
    if (data === undefined) {
      data = concat(decoded.records, userBytes, separator).toString('base64');
      counts.aggregates++;
    }
    used += okBytes - reserved[i];
    out[i] = { recordId: ids[i], result: 'Ok', data };
    counts.userRecords += decoded.records.length;
  }
  return { response: { records: out }, counts, failures };
}

/** Bytes of one output record's JSON. */
function entryBytes(recordId: string, result: KdaPreprocessingResult, base64Chars: number): number {
  return ENTRY_OVERHEAD + Buffer.byteLength(JSON.stringify(recordId), 'utf8') + result.length + base64Chars;
}

function base64Length(bytes: number): number {
  return Math.ceil(bytes / 3) * 4;
}

function concat(records: { data: Uint8Array }[], length: number, separator: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(length);
  let pos = 0;
  for (const r of records) {
    out.set(r.data, pos);
    pos += r.data.length;
    if (separator.length > 0) {
      out.set(separator, pos);
      pos += separator.length;
    }
  }
  return out;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}
