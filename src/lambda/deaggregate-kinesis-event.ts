import type { KinesisStreamBatchItemFailure, KinesisStreamRecord } from 'aws-lambda';
import type { UserRecord } from '../kpl/index.js';
import { type DecodeRecordDataOptions, type RecordFailureReason, decodeRecordData } from './decode-record-data.js';

/** A user record out of a Kinesis event-source-mapping event, with where it came from. */
export interface KinesisEventUserRecord extends UserRecord {
  /** The Kinesis record's sequence number (also `sequenceNumber`); the batchItemFailures identifier. */
  sequenceNumber: string;
  /** From the record's eventID (`shardId-000000000000:<sequence number>`), when present. */
  shardId?: string;
  eventSourceARN?: string;
}

/** A Kinesis record of the event that could not be de-aggregated. */
export interface KinesisEventFailure {
  /** The Kinesis record's sequence number, as Lambda expects in batchItemFailures. */
  itemIdentifier: string;
  /** Position in event.Records. */
  index: number;
  reason: RecordFailureReason;
  detail: string;
}

export interface DeaggregateKinesisEventOptions extends DecodeRecordDataOptions {
  /**
   * Stop at the first record that fails. Lambda retries from the lowest failed sequence number, so every
   * later record comes again anyway: handing them on now would process them twice.
   * @default true
   */
  stopAtFirstFailure?: boolean;
}

export interface DeaggregatedKinesisEvent {
  /** The user records, in event order (Kinesis records after a failure are left out with stopAtFirstFailure). */
  records: KinesisEventUserRecord[];
  failures: KinesisEventFailure[];
  /** The partial-batch response for these failures: `{ batchItemFailures: [] }` when there are none. */
  batchResponse: { batchItemFailures: KinesisStreamBatchItemFailure[] };
  counts: {
    kinesisRecords: number;
    aggregates: number;
    userRecords: number;
    failed: number;
    /** Kinesis records not looked at because an earlier one failed. */
    notProcessed: number;
    droppedOutsideHashKeyRange: number;
  };
}

/**
 * De-aggregates one record of a Kinesis event-source-mapping event (`Records[i]`).
 *
 * @returns its user records, or the reason it could not be de-aggregated. Never throws on bad input.
 */
export function deaggregateKinesisStreamRecord(
  record: KinesisStreamRecord,
  options: DecodeRecordDataOptions = {},
): { ok: true; records: KinesisEventUserRecord[]; aggregated: boolean; droppedOutsideHashKeyRange: number } | { ok: false; sequenceNumber: string; reason: RecordFailureReason; detail: string } {
  const kinesis = (record as Partial<KinesisStreamRecord> | null)?.kinesis;
  const sequenceNumber = typeof kinesis?.sequenceNumber === 'string' ? kinesis.sequenceNumber : '';
  if (typeof kinesis !== 'object' || kinesis === null || sequenceNumber === '') {
    return { ok: false, sequenceNumber, reason: 'malformed-record', detail: 'expected a `kinesis` object with a sequenceNumber' };
  }
  const decoded = decodeRecordData(
    kinesis.data,
    {
      partitionKey: typeof kinesis.partitionKey === 'string' ? kinesis.partitionKey : '',
      sequenceNumber,
      // Lambda gives epoch seconds with a fraction; the rest of the project uses epoch milliseconds.
      approximateArrivalTimestamp: typeof kinesis.approximateArrivalTimestamp === 'number' ? Math.round(kinesis.approximateArrivalTimestamp * 1000) : undefined,
    },
    options,
  );
  if (!decoded.ok) return { ok: false, sequenceNumber, reason: decoded.reason, detail: decoded.detail };
  const eventID = typeof record.eventID === 'string' ? record.eventID : '';
  const colon = eventID.lastIndexOf(':');
  const shardId = colon > 0 ? eventID.slice(0, colon) : undefined;
  const eventSourceARN = typeof record.eventSourceARN === 'string' ? record.eventSourceARN : undefined;
  const records = decoded.records as KinesisEventUserRecord[];
  for (const r of records) {
    r.shardId = shardId;
    r.eventSourceARN = eventSourceARN;
  }
  return { ok: true, records, aggregated: decoded.aggregated, droppedOutsideHashKeyRange: decoded.droppedOutsideHashKeyRange };
}

/**
 * De-aggregates a whole Kinesis event-source-mapping event (`{ Records: [{ kinesis: … }] }`): the building
 * block of the deaggregator Lambda and of any function that consumes KPL records from Lambda.
 *
 * Each failed Kinesis record (invalid base64, a corrupt aggregate, a malformed record) becomes a failure with
 * its sequence number; `batchResponse` is ready to return with ReportBatchItemFailures. A failure of the event
 * itself (no Records array) throws nothing either: it gives no records and no failures, and the caller logs it.
 *
 * @example
 * export const handler = async (event: KinesisStreamEvent) => {
 *   const { records, batchResponse } = deaggregateKinesisEvent(event);
 *   for (const r of records) await handle(r.partitionKey, r.data, r.sequenceNumber, r.subSequenceNumber);
 *   return batchResponse;
 * };
 */
export function deaggregateKinesisEvent(event: unknown, options: DeaggregateKinesisEventOptions = {}): DeaggregatedKinesisEvent {
  const input = (event as { Records?: unknown } | null | undefined)?.Records;
  const list = Array.isArray(input) ? (input as KinesisStreamRecord[]) : [];
  const stop = options.stopAtFirstFailure ?? true;
  const records: KinesisEventUserRecord[] = [];
  const failures: KinesisEventFailure[] = [];
  const counts = { kinesisRecords: list.length, aggregates: 0, userRecords: 0, failed: 0, notProcessed: 0, droppedOutsideHashKeyRange: 0 };
  for (let i = 0; i < list.length; i++) {
    const result = deaggregateKinesisStreamRecord(list[i], options);
    if (!result.ok) {
      failures.push({ itemIdentifier: result.sequenceNumber, index: i, reason: result.reason, detail: result.detail });
      counts.failed++;
      if (stop) {
        counts.notProcessed = list.length - i - 1;
        break;
      }
      continue;
    }
    if (result.aggregated) counts.aggregates++;
    counts.userRecords += result.records.length;
    counts.droppedOutsideHashKeyRange += result.droppedOutsideHashKeyRange;
    for (const r of result.records) records.push(r);
  }
  return { records, failures, batchResponse: { batchItemFailures: failures.map((f) => ({ itemIdentifier: f.itemIdentifier })) }, counts };
}
