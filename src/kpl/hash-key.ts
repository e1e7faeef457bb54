import { Buffer } from 'node:buffer';
import { CodecError, ConfigError } from '../errors.js';
import { md5 } from './md5.js';

/** The largest Kinesis hash key, 2^128 - 1. */
export const MAX_HASH_KEY: bigint = (1n << 128n) - 1n;

/** An inclusive range of 128-bit hash keys, as a shard's `HashKeyRange`. */
export interface HashKeyRange {
  start: bigint;
  end: bigint;
}

const DECIMAL = /^[0-9]{1,39}$/;

/**
 * Parses an explicit hash key: the decimal form of an unsigned 128-bit integer (as the KCL's `new
 * BigInteger(ehk)`; no sign, no spaces).
 *
 * @throws CodecError naming the value when it is not a decimal integer in 0 … 2^128-1.
 * @example parseHashKey('170141183460469231731687303715884105728') // 2n ** 127n
 */
export function parseHashKey(text: string): bigint {
  if (!DECIMAL.test(text)) {
    throw new CodecError(`explicit hash key must be a decimal integer from 0 to 2^128-1; received '${text.slice(0, 60)}'`);
  }
  const value = BigInt(text);
  if (value > MAX_HASH_KEY) throw new CodecError(`explicit hash key ${text} is larger than 2^128-1`);
  return value;
}

/**
 * The 128-bit hash key that routes a record to a shard: its explicit hash key when it has one, otherwise the
 * MD5 of the UTF-8 partition key read as an unsigned big-endian integer (the KCL's `effectiveHashKey`).
 *
 * @example effectiveHashKey('AMZN', null) === BigInt('0x' + md5hex('AMZN'))
 */
export function effectiveHashKey(partitionKey: string, explicitHashKey: string | null | undefined): bigint {
  if (explicitHashKey !== null && explicitHashKey !== undefined) return parseHashKey(explicitHashKey);
  return partitionKeyHash(partitionKey);
}

/** MD5 of the UTF-8 partition key as an unsigned 128-bit integer. */
export function partitionKeyHash(partitionKey: string): bigint {
  return BigInt('0x' + Buffer.from(md5(partitionKey)).toString('hex'));
}

/** Checks a range is well formed (0 ≤ start ≤ end ≤ 2^128-1). @throws ConfigError naming `field`. */
export function validateHashKeyRange(range: HashKeyRange, field: string): void {
  if (typeof range.start !== 'bigint' || typeof range.end !== 'bigint') {
    throw new ConfigError(field, 'start and end must be bigints');
  }
  if (range.start < 0n || range.end > MAX_HASH_KEY || range.start > range.end) {
    throw new ConfigError(field, `expected 0 <= start <= end <= 2^128-1; received start ${range.start}, end ${range.end}`);
  }
}
