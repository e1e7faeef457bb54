/**
 * Where a shard's processing stands: the last user record taken into the engine, as Kinesis numbers it
 * (sequence number of the Kinesis record, sub-sequence number of the user record inside a KPL aggregate).
 */
export interface ShardPosition {
  /** Decimal, up to 128 bits: compared as a BigInt, never as a string or a float. */
  readonly sequenceNumber: string;
  /** Index of the user record inside its aggregate (0 for a plain record). */
  readonly subSequenceNumber: number;
}

/**
 * Orders two positions of one shard: negative when `a` comes first, 0 when equal, positive after.
 *
 * @example comparePositions({ sequenceNumber: '9', subSequenceNumber: 0 }, { sequenceNumber: '10', subSequenceNumber: 0 }) // < 0
 */
export function comparePositions(a: ShardPosition, b: ShardPosition): number {
  const sa = BigInt(a.sequenceNumber);
  const sb = BigInt(b.sequenceNumber);
  if (sa !== sb) return sa < sb ? -1 : 1;
  return a.subSequenceNumber - b.subSequenceNumber;
}

/** True when the user record at `at` was already taken into the engine by a committed invocation. */
export function alreadyProcessed(at: ShardPosition, committed: ShardPosition | null): boolean {
  return committed !== null && comparePositions(at, committed) <= 0;
}
