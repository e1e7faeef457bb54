import { CodecError } from '../errors.js';

/** A position in a shard: a Kinesis sequence number and, inside a KPL aggregate, the user record's place. */
export interface SequencePosition {
  sequenceNumber: string;
  /** Absent counts as 0 (a non-aggregated record, or the first user record of an aggregate). */
  subSequenceNumber?: number;
}

const DIGITS = /^[0-9]+$/;

/**
 * Orders two positions as the KCL's ExtendedSequenceNumber does: sequence numbers as unsigned integers (not as
 * strings: "9" is before "10"), then sub-sequence numbers. A consumer that checkpoints at a position skips on
 * restart every user record at or before it, which makes redelivered aggregates idempotent.
 *
 * @returns a negative number, 0 or a positive number as `a` is before, at or after `b`.
 * @throws CodecError when a sequence number is not a decimal integer.
 * @example records.filter((r) => compareSequencePositions(r, checkpoint) > 0)
 */
export function compareSequencePositions(a: SequencePosition, b: SequencePosition): number {
  const x = normalise(a.sequenceNumber);
  const y = normalise(b.sequenceNumber);
  if (x.length !== y.length) return x.length - y.length;
  if (x !== y) return x < y ? -1 : 1;
  return (a.subSequenceNumber ?? 0) - (b.subSequenceNumber ?? 0);
}

/** Digits without leading zeros: same-length digit strings then compare like the integers they spell. */
function normalise(sequenceNumber: string): string {
  if (typeof sequenceNumber !== 'string' || !DIGITS.test(sequenceNumber)) {
    throw new CodecError(`sequence number must be a decimal integer; received '${String(sequenceNumber).slice(0, 60)}'`);
  }
  const trimmed = sequenceNumber.replace(/^0+/, '');
  return trimmed === '' ? '0' : trimmed;
}
