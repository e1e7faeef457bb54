/** Shard ids in the form Kinesis gives them: `shardId-` and the shard's index on 12 digits. */
import { KinesisResourceError } from './kinesis-errors.js';

/** @example shardIdFor(3) // 'shardId-000000000003' */
export function shardIdFor(index: number): string {
  return `shardId-${String(index).padStart(12, '0')}`;
}

/** The index in a shard id; accepts the bare index too, as the Kinesis API does. */
export function shardIndexOf(shardId: string): number {
  const match = /^(?:shardId-)?([0-9]{1,12})$/.exec(shardId);
  if (!match) {
    throw new KinesisResourceError(shardId, `"${shardId}" is not a shard id (expected shardId- and 12 digits)`);
  }
  return Number(match[1]);
}
