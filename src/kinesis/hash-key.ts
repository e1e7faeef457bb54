/**
 * The 128-bit hash-key space of a Kinesis stream. Every shard owns a contiguous range of it; a record goes to the
 * open shard whose range holds its hash key, which is its explicit hash key when given, else the MD5 digest of the
 * UTF-8 bytes of its partition key read as an unsigned big-endian 128-bit integer.
 */
import { createHash } from 'node:crypto';
import { KinesisLimitError } from './kinesis-errors.js';

/** The largest hash key: 2^128 - 1. */
export const MAX_HASH_KEY = (1n << 128n) - 1n;

/** An inclusive range of hash keys. */
export interface HashKeyRange {
  readonly start: bigint;
  readonly end: bigint;
}

/**
 * The hash key Kinesis derives from a partition key.
 * @example partitionKeyToHashKey('a') // 0x0cc175b9c0f1b6a831c399e269772661n
 */
export function partitionKeyToHashKey(partitionKey: string): bigint {
  const digest = createHash('md5').update(partitionKey, 'utf8').digest();
  return (digest.readBigUInt64BE(0) << 64n) | digest.readBigUInt64BE(8);
}

const decimalPattern = /^(0|[1-9][0-9]{0,38})$/;

/**
 * Parses an explicit hash key as Kinesis accepts it: a decimal integer in [0, 2^128 - 1] without sign or leading
 * zeros. Throws {@link KinesisLimitError} otherwise.
 */
export function parseExplicitHashKey(text: string): bigint {
  if (!decimalPattern.test(text)) {
    throw new KinesisLimitError('explicitHashKey', '0|[1-9][0-9]{0,38}', text,
      `ExplicitHashKey must be a decimal integer without sign or leading zeros; received "${text}"`);
  }
  const value = BigInt(text);
  if (value > MAX_HASH_KEY) {
    throw new KinesisLimitError('explicitHashKey', `[0, ${MAX_HASH_KEY}]`, text,
      `ExplicitHashKey must be in the range [0, 2^128-1]; received ${text}`);
  }
  return value;
}

/** The hash key a record routes by: its explicit hash key if it has one, else the MD5 of its partition key. */
export function recordHashKey(partitionKey: string, explicitHashKey?: string | null): bigint {
  return explicitHashKey != null ? parseExplicitHashKey(explicitHashKey) : partitionKeyToHashKey(partitionKey);
}

/**
 * Splits the key space into `count` contiguous ranges as CreateStream does: range i starts at
 * floor(i * 2^128 / count) and ends one before the next range's start.
 */
export function evenHashKeyRanges(count: number): HashKeyRange[] {
  const space = 1n << 128n;
  const n = BigInt(count);
  const ranges: HashKeyRange[] = [];
  for (let i = 0n; i < n; i++) {
    ranges.push({ start: (i * space) / n, end: ((i + 1n) * space) / n - 1n });
  }
  return ranges;
}

/** True when `key` lies in `range` (both ends inclusive). */
export function rangeContains(range: HashKeyRange, key: bigint): boolean {
  return key >= range.start && key <= range.end;
}
