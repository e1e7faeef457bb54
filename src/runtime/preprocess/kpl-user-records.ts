/**
 * KPL de-aggregation with the corrupt-aggregate policy: the one step every host applies to a Kinesis record before
 * its user records reach an application (the local host's `kpl` stage, and on Lambda the analytics function in
 * process, the preprocessor and the de-aggregator), so that the policy means the same everywhere.
 */
import { CodecError } from '../../errors.js';
import { deaggregateWithStatus, type DeaggregateOptions, type KinesisRecordInput, type UserRecord } from '../../kpl/index.js';
import type { CorruptAggregatePolicy } from '../../spec/app-definition.js';

export type KplUserRecords =
  | { readonly ok: true; readonly records: UserRecord[]; readonly aggregated: boolean; readonly droppedOutsideHashKeyRange: number }
  /** The record has the KPL magic but fails verification, and the policy is `fail`; `detail` says why. */
  | { readonly ok: false; readonly detail: string };

/**
 * A record without the KPL magic is one user record (KCL semantics: the KPL sends a lone record raw). A record with
 * the magic that fails verification (too short, a wrong MD5, a body that does not parse) is a corrupt aggregate:
 * with `fail` it is reported, with `pass-through` its bytes are one plain user record, as the KCL does. A key-table
 * index out of range is reported under either policy: the record is an aggregate, only a broken one.
 *
 * @example
 * const r = kplUserRecords(record, 'fail');
 * if (!r.ok) reportError(`corrupt KPL aggregate: ${r.detail}`);
 */
export function kplUserRecords(record: KinesisRecordInput, policy: CorruptAggregatePolicy, options: DeaggregateOptions = {}): KplUserRecords {
  let result;
  try {
    result = deaggregateWithStatus(record, options);
  } catch (e) {
    if (e instanceof CodecError) return { ok: false, detail: e.message };
    throw e;
  }
  const pass = result.passThrough;
  if (pass !== undefined && pass.reason !== 'no-magic' && policy === 'fail') return { ok: false, detail: pass.detail };
  return { ok: true, records: result.records, aggregated: result.aggregated, droppedOutsideHashKeyRange: result.droppedOutsideHashKeyRange };
}
