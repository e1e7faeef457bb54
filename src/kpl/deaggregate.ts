import { CodecError } from '../errors.js';
import { KPL_DIGEST_LENGTH, KPL_MIN_AGGREGATE_LENGTH, hasKplMagic } from './aggregated-record-format.js';
import { decodeCanonicalAggregate } from './decode-canonical-aggregate.js';
import { type HashKeyRange, MAX_HASH_KEY, parseHashKey, partitionKeyHash, validateHashKeyRange } from './hash-key.js';
import { type ParsedAggregate, SLOT_WIDTH, parseAggregatedRecord } from './parse-aggregated-record.js';
import { md5 } from './md5.js';
import { MalformedProtobufError } from './protobuf-wire.js';

/** One Kinesis record as a source hands it over. */
export interface KinesisRecordInput {
  data: Uint8Array;
  partitionKey: string;
  explicitHashKey?: string | null;
  sequenceNumber?: string;
  /** Epoch milliseconds. */
  approximateArrivalTimestamp?: number;
}

/** One user record: a record of a KPL aggregate, or a whole non-aggregated Kinesis record. */
export interface UserRecord {
  /** The user record's own partition key (for an aggregate: from its table, never the outer key). */
  partitionKey: string;
  /** The user record's explicit hash key; null when it has none (an absent index is not index 0). */
  explicitHashKey: string | null;
  /** A view into the input bytes (no copy): do not modify, and copy it if the input buffer is reused. */
  data: Uint8Array;
  /** The Kinesis record's sequence number, shared by all user records of an aggregate. */
  sequenceNumber?: string;
  /** Position within the aggregate, from 0; 0 for a non-aggregated record. */
  subSequenceNumber: number;
  /** Whether the record came out of a KPL aggregate. */
  aggregated: boolean;
  /** The Kinesis record's arrival time (epoch ms), when the input had one. */
  approximateArrivalTimestamp?: number;
}

/** How a hash-key range filter treats an aggregate holding keys outside the range. */
export type HashKeyRangeFilter =
  /** Drop only the user records outside the range (default; never loses an in-range record). */
  | 'user-record'
  /** Drop the whole aggregate when any user record is outside the range, exactly as the KCL does. */
  | 'aggregate';

export interface DeaggregateOptions {
  /**
   * The hash-key range of the shard the record was read from. When set, user records of an aggregate whose
   * effective hash key (explicit hash key, else MD5 of the partition key) lies outside it are dropped, as the
   * KCL does after resharding to discard copies the KPL re-sent to the right shard. Non-aggregated records
   * are never filtered (the KCL does not filter them either).
   * @default - no filtering
   */
  shardHashKeyRange?: HashKeyRange;
  /** @default 'user-record' */
  hashKeyRangeFilter?: HashKeyRangeFilter;
}

/** Why a record was passed through unchanged instead of being de-aggregated. */
export type PassThroughReason =
  /** It does not start with the KPL magic: an ordinary record (the KPL sends a lone record raw). */
  | 'no-magic'
  /** It starts with the magic but is too short to hold a body and a digest. */
  | 'too-short'
  /** The MD5 trailer does not match the body. */
  | 'checksum-mismatch'
  /** The digest matches but the body is not a valid AggregatedRecord. */
  | 'malformed-protobuf';

/** What `deaggregateWithStatus` found, besides the user records. */
export interface DeaggregateResult {
  records: UserRecord[];
  /** True when the input was a valid KPL aggregate. */
  aggregated: boolean;
  /** Set when the input was passed through as a single non-aggregated record. */
  passThrough?: { reason: PassThroughReason; detail: string };
  /** User records dropped by the hash-key range filter. */
  droppedOutsideHashKeyRange: number;
}

/**
 * De-aggregates one Kinesis record into its user records, with the KCL's semantics.
 *
 * - A KPL aggregate (magic, a body, the MD5 of the body) gives one user record per inner record, in order,
 *   with sub-sequence numbers 0, 1, …, each with its own partition key and explicit hash key (null when the
 *   inner record has none) and its data as a zero-copy view into `record.data`.
 * - Any other record (no magic, too short, wrong MD5, a body that is not a valid protobuf message) is passed
 *   through unchanged as one user record with `aggregated: false` and sub-sequence number 0.
 * - An aggregate that references a key-table entry that does not exist throws a CodecError saying which
 *   record and index; no user record of it is returned (the KCL logs and drops such records).
 *
 * @throws CodecError for a key-table index out of range, or (only with a hash-key range) an explicit hash
 *   key that is not a 128-bit decimal integer.
 * @example
 * for (const user of deaggregate({ data, partitionKey: 'a', sequenceNumber: '4960…' })) {
 *   handle(user.partitionKey, user.data);
 * }
 */
export function deaggregate(record: KinesisRecordInput, options?: DeaggregateOptions): UserRecord[] {
  return deaggregateWithStatus(record, options).records;
}

/**
 * As {@link deaggregate}, and also says whether the record was an aggregate and, if it was passed through,
 * why: a caller can then treat a record that starts with the KPL magic but fails verification as corrupt.
 *
 * @example
 * const result = deaggregateWithStatus(record);
 * if (result.passThrough && result.passThrough.reason !== 'no-magic') log.warn(result.passThrough.detail);
 */
export function deaggregateWithStatus(record: KinesisRecordInput, options?: DeaggregateOptions): DeaggregateResult {
  const range = options?.shardHashKeyRange;
  if (range !== undefined) validateHashKeyRange(range, 'shardHashKeyRange');
  const bytes = record.data;
  const length = bytes.length;
  if (!hasKplMagic(bytes)) return passThrough(record, 'no-magic', 'no KPL magic');
  if (length < KPL_MIN_AGGREGATE_LENGTH) {
    return passThrough(record, 'too-short', `KPL magic but only ${length} bytes (an aggregate has at least ${KPL_MIN_AGGREGATE_LENGTH})`);
  }
  const bodyEnd = length - KPL_DIGEST_LENGTH;
  const body = new Uint8Array(bytes.buffer, bytes.byteOffset + 4, bodyEnd - 4);
  const digest = md5(body);
  for (let i = 0; i < KPL_DIGEST_LENGTH; i++) {
    if (digest[i] !== bytes[bodyEnd + i]) return passThrough(record, 'checksum-mismatch', 'KPL magic but the MD5 trailer does not match the body');
  }
  let records = decodeCanonicalAggregate(record, bodyEnd);
  if (records === undefined) {
    // Not the canonical layout (or not valid): the general parser decides.
    let parsed: ParsedAggregate;
    try {
      parsed = parseAggregatedRecord(bytes, 4, bodyEnd);
    } catch (error) {
      if (error instanceof MalformedProtobufError) {
        return passThrough(record, 'malformed-protobuf', `KPL magic and a valid MD5 but the body does not parse: ${error.message}`);
      }
      throw error;
    }
    checkIndexes(parsed, record);
    records = userRecords(parsed, record);
  }
  if (range !== undefined) return filtered(records, record, range, options?.hashKeyRangeFilter ?? 'user-record');
  return { records, aggregated: true, droppedOutsideHashKeyRange: 0 };
}

function userRecords(parsed: ParsedAggregate, record: KinesisRecordInput): UserRecord[] {
  const { count, slots, partitionKeys, explicitHashKeys } = parsed;
  const buffer = record.data.buffer;
  const base = record.data.byteOffset;
  const sequenceNumber = record.sequenceNumber;
  const arrival = record.approximateArrivalTimestamp;
  const out: UserRecord[] = new Array(count);
  for (let i = 0, s = 0; i < count; i++, s += SLOT_WIDTH) {
    const ehk = slots[s + 1];
    const start = slots[s + 2];
    out[i] = {
      partitionKey: partitionKeys[slots[s]],
      explicitHashKey: ehk < 0 ? null : explicitHashKeys[ehk],
      data: new Uint8Array(buffer, base + start, slots[s + 3] - start),
      sequenceNumber,
      subSequenceNumber: i,
      aggregated: true,
      approximateArrivalTimestamp: arrival,
    };
  }
  return out;
}

/**
 * Hash keys of recently seen partition keys, across aggregates: producers reuse few keys (each aggregate of a
 * stream repeats them), and the MD5 and the BigInt behind each key cost more than the walk of the aggregate.
 * Bounded: cleared when full, so a stream of ever-new keys costs one hash per key, as without the cache.
 */
const pkHashCache = new Map<string, bigint>();
const PK_HASH_CACHE_SIZE = 10_000;

function cachedPartitionKeyHash(partitionKey: string): bigint {
  let key = pkHashCache.get(partitionKey);
  if (key === undefined) {
    if (pkHashCache.size >= PK_HASH_CACHE_SIZE) pkHashCache.clear();
    key = partitionKeyHash(partitionKey);
    pkHashCache.set(partitionKey, key);
  }
  return key;
}

function filtered(all: UserRecord[], record: KinesisRecordInput, range: HashKeyRange, mode: HashKeyRangeFilter): DeaggregateResult {
  // A shard that owns the whole key space (a one-shard stream) keeps every record a partition key routes: no hash is
  // needed for those. Explicit hash keys are still parsed, so a malformed one is reported whatever the range.
  const whole = range.start === 0n && range.end === MAX_HASH_KEY;
  const ehkValues = new Map<string, bigint>();
  const kept: UserRecord[] = [];
  for (const user of all) {
    let key: bigint | undefined;
    if (user.explicitHashKey === null && whole) {
      kept.push(user);
      continue;
    }
    if (user.explicitHashKey !== null) {
      key = ehkValues.get(user.explicitHashKey);
      if (key === undefined) {
        try {
          key = parseHashKey(user.explicitHashKey);
        } catch (error) {
          throw new CodecError(`${where(record)}, user record ${user.subSequenceNumber}: ${(error as Error).message}`, { cause: error });
        }
        ehkValues.set(user.explicitHashKey, key);
      }
    } else {
      key = cachedPartitionKeyHash(user.partitionKey);
    }
    if (key >= range.start && key <= range.end) {
      kept.push(user);
    } else if (mode === 'aggregate') {
      return { records: [], aggregated: true, droppedOutsideHashKeyRange: all.length };
    }
  }
  return { records: kept, aggregated: true, droppedOutsideHashKeyRange: all.length - kept.length };
}

/** Every index must name an existing table entry; otherwise the aggregate is reported, never half-decoded. */
function checkIndexes(parsed: ParsedAggregate, record: KinesisRecordInput): void {
  const { count, slots } = parsed;
  const pkCount = parsed.partitionKeys.length;
  const ehkCount = parsed.explicitHashKeys.length;
  for (let i = 0, s = 0; i < count; i++, s += SLOT_WIDTH) {
    if (slots[s] >= pkCount) {
      throw new CodecError(
        `${where(record)}: user record ${i} has partition_key_index ${slots[s]} but the partition key table has ${entries(pkCount)}`,
      );
    }
    if (slots[s + 1] >= ehkCount) {
      throw new CodecError(
        `${where(record)}: user record ${i} has explicit_hash_key_index ${slots[s + 1]} but the explicit hash key table has ${entries(ehkCount)}`,
      );
    }
  }
}

function entries(n: number): string {
  return n === 1 ? '1 entry' : `${n} entries`;
}

function where(record: KinesisRecordInput): string {
  return record.sequenceNumber === undefined
    ? `KPL aggregate (partition key '${record.partitionKey}')`
    : `KPL aggregate at sequence number ${record.sequenceNumber}`;
}

function passThrough(record: KinesisRecordInput, reason: PassThroughReason, detail: string): DeaggregateResult {
  const user: UserRecord = {
    partitionKey: record.partitionKey,
    explicitHashKey: record.explicitHashKey ?? null,
    data: record.data,
    sequenceNumber: record.sequenceNumber,
    subSequenceNumber: 0,
    aggregated: false,
    approximateArrivalTimestamp: record.approximateArrivalTimestamp,
  };
  return { records: [user], aggregated: false, passThrough: { reason, detail }, droppedOutsideHashKeyRange: 0 };
}
