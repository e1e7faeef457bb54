/**
 * Sequence numbers: decimal strings that increase within a shard. They can be longer than 2^53, so they are
 * compared as big integers, never as numbers or (unless equally long) as text.
 */
import { KinesisResourceError } from './kinesis-errors.js';

const digits = /^[0-9]+$/;

/** Parses a sequence number; throws {@link KinesisResourceError} for text that is not one. */
export function parseSequenceNumber(sequenceNumber: string): bigint {
  if (!digits.test(sequenceNumber)) {
    throw new KinesisResourceError(sequenceNumber, `"${sequenceNumber}" is not a sequence number (expected decimal digits)`);
  }
  return BigInt(sequenceNumber);
}

/**
 * Orders two sequence numbers: negative, zero or positive as `a` is before, equal to or after `b`.
 * @example compareSequenceNumbers('9', '10') // -1
 */
export function compareSequenceNumbers(a: string, b: string): number {
  const x = parseSequenceNumber(a);
  const y = parseSequenceNumber(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * The sequence numbers of the embedded stream: 56 digits like the service's, "49", the shard index on 12 digits,
 * then the record's position in its shard on 42 digits. So they increase within a shard, a child shard's numbers
 * are above its parents', and the same stream content always gets the same numbers (replays reproduce them).
 */
export function embeddedSequenceNumber(shardIndex: number, position: number): string {
  return `49${String(shardIndex).padStart(12, '0')}${String(position).padStart(42, '0')}`;
}
