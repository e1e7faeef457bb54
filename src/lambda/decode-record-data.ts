import { type DeaggregateOptions, type KinesisRecordInput, type UserRecord, decodeBase64 } from '../kpl/index.js';
import { kplUserRecords } from '../runtime/preprocess/kpl-user-records.js';
import type { CorruptAggregatePolicy } from '../spec/app-definition.js';

/** What to do with a record that starts with the KPL magic but fails verification: the policy every host shares. */
export type { CorruptAggregatePolicy };

/** Why a record could not be de-aggregated. */
export type RecordFailureReason = 'invalid-base64' | 'corrupt-aggregate' | 'malformed-record';

export type DecodedRecordData =
  | { ok: true; records: UserRecord[]; aggregated: boolean; droppedOutsideHashKeyRange: number }
  | { ok: false; reason: RecordFailureReason; detail: string };

export interface DecodeRecordDataOptions extends DeaggregateOptions {
  /** @default 'fail' */
  corruptAggregates?: CorruptAggregatePolicy;
}

/**
 * The step both handlers share: base64 text from a Lambda event -> user records, or a reason why not.
 * Never throws for bad input: invalid base64, a corrupt aggregate and a key-table index out of range all come
 * back as `{ ok: false }` with a detail fit for a log line.
 */
export function decodeRecordData(base64: unknown, record: Omit<KinesisRecordInput, 'data'>, options: DecodeRecordDataOptions = {}): DecodedRecordData {
  if (typeof base64 !== 'string') return { ok: false, reason: 'malformed-record', detail: `data must be a base64 string; received ${base64 === null ? 'null' : typeof base64}` };
  let bytes: Uint8Array;
  try {
    bytes = decodeBase64(base64);
  } catch (error) {
    return { ok: false, reason: 'invalid-base64', detail: (error as Error).message };
  }
  // The runtime's KPL step: the same corrupt-aggregate policy as every other host.
  const result = kplUserRecords({ ...record, data: bytes }, options.corruptAggregates ?? 'fail', options);
  if (!result.ok) return { ok: false, reason: 'corrupt-aggregate', detail: result.detail };
  return { ok: true, records: result.records, aggregated: result.aggregated, droppedOutsideHashKeyRange: result.droppedOutsideHashKeyRange };
}
