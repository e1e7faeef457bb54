import { Buffer } from 'node:buffer';
import { CodecError, ConfigError, InternalError } from '../errors.js';
import {
  DEFAULT_AGGREGATION_MAX_BYTES,
  DEFAULT_STREAM_MAX_RECORD_BYTES,
  KPL_DIGEST_LENGTH,
  KPL_MAGIC,
  LARGEST_STREAM_MAX_RECORD_BYTES,
  Tag,
} from './aggregated-record-format.js';
import { parseHashKey } from './hash-key.js';
import { md5 } from './md5.js';
import { varintSize, writeVarint } from './protobuf-wire.js';

/** The KPL's smallest `AggregationMaxSize`. */
const MIN_MAX_BYTES = 64;
/** Magic + digest: the framing every aggregate pays. */
const FRAME_BYTES = KPL_MAGIC.length + KPL_DIGEST_LENGTH;

export interface AggregatorOptions {
  /**
   * Largest aggregate, in bytes as Kinesis counts a record: data (magic + body + digest) plus the UTF-8
   * partition key. At most `streamMaxRecordBytes`.
   * @default 51200 (the KPL's AggregationMaxSize)
   */
  maxBytes?: number;
  /**
   * The stream's maximum record size (data plus partition key), 1 MiB unless raised with
   * UpdateMaxRecordSize (up to 10 MiB). A user record too big to aggregate under `maxBytes` is sent on its
   * own, unframed, if it fits in this; a bigger one is rejected.
   * @default 1048576
   */
  streamMaxRecordBytes?: number;
  /**
   * Send an aggregate that would hold a single user record as that record's raw data, as the KPL does.
   * Consumers that de-aggregate with KCL semantics see no difference.
   * @default false (always framed, like aws-kinesis-agg)
   */
  sendLoneRecordRaw?: boolean;
}

/** A user record handed to the aggregator. A string `data` is encoded as UTF-8. */
export interface UserRecordInput {
  partitionKey: string;
  /** Decimal 128-bit hash key; routes the record instead of the partition key's MD5. */
  explicitHashKey?: string | null;
  data: Uint8Array | string;
}

/** One Kinesis record to put: an aggregate (or, see the options, a user record sent raw). */
export interface AggregatedRecord {
  /** The first user record's partition key. */
  partitionKey: string;
  /** The first user record's explicit hash key, when it has one: the aggregate goes where that record would. */
  explicitHashKey?: string;
  data: Uint8Array;
  userRecordCount: number;
}

interface Pending {
  partitionKeyIndex: number;
  explicitHashKeyIndex: number; // -1: none
  data: Uint8Array;
}

/**
 * Packs user records into KPL aggregates, as the KPL's aggregator does: each aggregate holds as many records
 * as fit under `maxBytes` counted the way Kinesis counts (UTF-8 bytes of data and partition key), partition
 * keys and explicit hash keys are stored once per aggregate, and a record's explicit hash key is kept (a
 * record without one has no index at all, never index 0).
 *
 * It packs whatever it is given: like the KPL, feed it records meant for one shard (one aggregator per
 * shard), otherwise consumers that filter by the shard's hash-key range (the KCL) drop the strays.
 *
 * @example
 * const aggregator = new Aggregator();
 * for (const tick of ticks) {
 *   for (const out of aggregator.add({ partitionKey: tick.symbol, data: JSON.stringify(tick) })) await put(out);
 * }
 * for (const out of aggregator.flush()) await put(out);
 */
export class Aggregator {
  readonly maxBytes: number;
  readonly streamMaxRecordBytes: number;
  readonly sendLoneRecordRaw: boolean;

  private records: Pending[] = [];
  private partitionKeys = new Map<string, number>();
  private partitionKeyBytes: Uint8Array[] = [];
  private explicitHashKeys = new Map<string, number>();
  private explicitHashKeyBytes: Uint8Array[] = [];
  private bodyBytes = 0;
  private firstPartitionKey = '';
  private firstPartitionKeyBytes = 0;
  private firstExplicitHashKey: string | undefined;

  constructor(options: AggregatorOptions = {}) {
    const streamMax = options.streamMaxRecordBytes ?? DEFAULT_STREAM_MAX_RECORD_BYTES;
    if (!Number.isInteger(streamMax) || streamMax < DEFAULT_STREAM_MAX_RECORD_BYTES || streamMax > LARGEST_STREAM_MAX_RECORD_BYTES) {
      throw new ConfigError(
        'streamMaxRecordBytes',
        `must be an integer from ${DEFAULT_STREAM_MAX_RECORD_BYTES} to ${LARGEST_STREAM_MAX_RECORD_BYTES}; received ${streamMax}`,
      );
    }
    const maxBytes = options.maxBytes ?? DEFAULT_AGGREGATION_MAX_BYTES;
    if (!Number.isInteger(maxBytes) || maxBytes < MIN_MAX_BYTES || maxBytes > streamMax) {
      throw new ConfigError('maxBytes', `must be an integer from ${MIN_MAX_BYTES} to streamMaxRecordBytes (${streamMax}); received ${maxBytes}`);
    }
    this.maxBytes = maxBytes;
    this.streamMaxRecordBytes = streamMax;
    this.sendLoneRecordRaw = options.sendLoneRecordRaw ?? false;
  }

  /** Number of user records waiting in the open aggregate. */
  get pendingRecords(): number {
    return this.records.length;
  }

  /** Size of the open aggregate as Kinesis would count it (0 when empty). */
  get pendingBytes(): number {
    return this.records.length === 0 ? 0 : FRAME_BYTES + this.bodyBytes + this.firstPartitionKeyBytes;
  }

  /**
   * Adds a user record. Returns the records completed by this call, in order: the open aggregate when the
   * new record does not fit in it any more, and the new record itself when it is too big to aggregate.
   * A Uint8Array `data` is referenced, not copied, until its aggregate is completed: do not reuse it before.
   *
   * @throws CodecError for an empty or over-long partition key, an explicit hash key that is not a decimal
   *   128-bit integer, or a record bigger than the stream's maximum record size. The aggregator is unchanged.
   */
  add(record: UserRecordInput): AggregatedRecord[] {
    const { partitionKey } = record;
    if (typeof partitionKey !== 'string' || partitionKey.length < 1 || partitionKey.length > 256) {
      throw new CodecError(`partition key must be a string of 1 to 256 characters; received ${describe(partitionKey)}`);
    }
    const ehk = record.explicitHashKey ?? undefined;
    if (ehk !== undefined) parseHashKey(ehk);
    const data = typeof record.data === 'string' ? Buffer.from(record.data, 'utf8') : record.data;
    if (!(data instanceof Uint8Array)) throw new CodecError(`data must be a Uint8Array or a string; received ${describe(record.data)}`);

    const pkIndex = this.partitionKeys.get(partitionKey);
    const pkBytes = pkIndex === undefined ? Buffer.from(partitionKey, 'utf8') : this.partitionKeyBytes[pkIndex];
    const ehkIndex = ehk === undefined ? undefined : this.explicitHashKeys.get(ehk);

    // Alone, in a fresh aggregate: does it fit at all?
    const aloneBody = stringEntry(pkBytes.length) + (ehk === undefined ? 0 : stringEntry(ehk.length)) + recordEntry(0, ehk === undefined ? -1 : 0, data.length);
    if (FRAME_BYTES + aloneBody + pkBytes.length > this.maxBytes) {
      const rawSize = data.length + pkBytes.length;
      if (rawSize > this.streamMaxRecordBytes) {
        throw new CodecError(
          `user record with partition key '${partitionKey.slice(0, 40)}' is ${rawSize} bytes (data + partition key), over the stream's maximum record size of ${this.streamMaxRecordBytes}`,
        );
      }
      // Too big to aggregate: like the KPL, it bypasses the aggregator; the open aggregate goes first to keep order.
      const out = this.flush();
      out.push(raw(partitionKey, ehk, data));
      return out;
    }

    let out: AggregatedRecord[] = [];
    if (this.records.length > 0 && this.pendingBytes + this.growth(pkBytes.length, pkIndex, ehk, ehkIndex, data.length) > this.maxBytes) {
      out = this.flush();
    }
    this.append(partitionKey, pkBytes, ehk, data);
    return out;
  }

  /** Completes the open aggregate, if any. */
  flush(): AggregatedRecord[] {
    const records = this.records;
    if (records.length === 0) return [];
    let result: AggregatedRecord;
    if (records.length === 1 && this.sendLoneRecordRaw) {
      result = raw(this.firstPartitionKey, this.firstExplicitHashKey, records[0].data);
    } else {
      result = {
        partitionKey: this.firstPartitionKey,
        data: this.encode(),
        userRecordCount: records.length,
      };
      if (this.firstExplicitHashKey !== undefined) result.explicitHashKey = this.firstExplicitHashKey;
    }
    this.reset();
    return [result];
  }

  /** Bytes the body grows by when this record is added to the open aggregate. */
  private growth(pkLength: number, pkIndex: number | undefined, ehk: string | undefined, ehkIndex: number | undefined, dataLength: number): number {
    let bytes = 0;
    const pkAt = pkIndex ?? this.partitionKeyBytes.length;
    if (pkIndex === undefined) bytes += stringEntry(pkLength);
    let ehkAt = -1;
    if (ehk !== undefined) {
      ehkAt = ehkIndex ?? this.explicitHashKeyBytes.length;
      if (ehkIndex === undefined) bytes += stringEntry(ehk.length);
    }
    return bytes + recordEntry(pkAt, ehkAt, dataLength);
  }

  private append(partitionKey: string, pkBytes: Uint8Array, ehk: string | undefined, data: Uint8Array): void {
    if (this.records.length === 0) {
      this.firstPartitionKey = partitionKey;
      this.firstPartitionKeyBytes = pkBytes.length;
      this.firstExplicitHashKey = ehk;
    }
    let pkIndex = this.partitionKeys.get(partitionKey);
    if (pkIndex === undefined) {
      pkIndex = this.partitionKeyBytes.length;
      this.partitionKeys.set(partitionKey, pkIndex);
      this.partitionKeyBytes.push(pkBytes);
      this.bodyBytes += stringEntry(pkBytes.length);
    }
    let ehkIndex = -1;
    if (ehk !== undefined) {
      let known = this.explicitHashKeys.get(ehk);
      if (known === undefined) {
        known = this.explicitHashKeyBytes.length;
        this.explicitHashKeys.set(ehk, known);
        this.explicitHashKeyBytes.push(Buffer.from(ehk, 'latin1')); // decimal digits only
        this.bodyBytes += stringEntry(ehk.length);
      }
      ehkIndex = known;
    }
    this.bodyBytes += recordEntry(pkIndex, ehkIndex, data.length);
    this.records.push({ partitionKeyIndex: pkIndex, explicitHashKeyIndex: ehkIndex, data });
  }

  /** Writes magic, body (tables first, as canonical encoders do, then records) and the MD5 of the body. */
  private encode(): Uint8Array {
    const total = FRAME_BYTES + this.bodyBytes;
    const out = Buffer.allocUnsafe(total);
    out.set(KPL_MAGIC, 0);
    let pos = KPL_MAGIC.length;
    for (const key of this.partitionKeyBytes) pos = writeBytesField(out, pos, Tag.PartitionKeyTable, key);
    for (const key of this.explicitHashKeyBytes) pos = writeBytesField(out, pos, Tag.ExplicitHashKeyTable, key);
    for (const r of this.records) {
      out[pos++] = Tag.Records;
      pos = writeVarint(out, pos, recordSize(r.partitionKeyIndex, r.explicitHashKeyIndex, r.data.length));
      out[pos++] = Tag.PartitionKeyIndex;
      pos = writeVarint(out, pos, r.partitionKeyIndex);
      if (r.explicitHashKeyIndex >= 0) {
        out[pos++] = Tag.ExplicitHashKeyIndex;
        pos = writeVarint(out, pos, r.explicitHashKeyIndex);
      }
      pos = writeBytesField(out, pos, Tag.Data, r.data);
    }
    if (pos !== total - KPL_DIGEST_LENGTH) throw new InternalError(`aggregate body is ${pos - 4} bytes, expected ${this.bodyBytes}`);
    out.set(md5(out.subarray(KPL_MAGIC.length, pos)), pos);
    return out;
  }

  private reset(): void {
    this.records = [];
    this.partitionKeys = new Map();
    this.partitionKeyBytes = [];
    this.explicitHashKeys = new Map();
    this.explicitHashKeyBytes = [];
    this.bodyBytes = 0;
    this.firstPartitionKey = '';
    this.firstPartitionKeyBytes = 0;
    this.firstExplicitHashKey = undefined;
  }
}

/**
 * Aggregates a whole list of user records at once.
 *
 * @example const puts = aggregate(ticks.map((t) => ({ partitionKey: t.symbol, data: JSON.stringify(t) })));
 */
export function aggregate(records: Iterable<UserRecordInput>, options?: AggregatorOptions): AggregatedRecord[] {
  const aggregator = new Aggregator(options);
  const out: AggregatedRecord[] = [];
  for (const record of records) out.push(...aggregator.add(record));
  out.push(...aggregator.flush());
  return out;
}

function raw(partitionKey: string, ehk: string | undefined, data: Uint8Array): AggregatedRecord {
  const result: AggregatedRecord = { partitionKey, data, userRecordCount: 1 };
  if (ehk !== undefined) result.explicitHashKey = ehk;
  return result;
}

/** Bytes of a length-delimited table entry (tag, length, bytes). */
function stringEntry(length: number): number {
  return 1 + varintSize(length) + length;
}

/** Bytes of a Record message without its own tag and length. */
function recordSize(pkIndex: number, ehkIndex: number, dataLength: number): number {
  return 1 + varintSize(pkIndex) + (ehkIndex >= 0 ? 1 + varintSize(ehkIndex) : 0) + 1 + varintSize(dataLength) + dataLength;
}

/** Bytes of a Record entry in AggregatedRecord.records (tag, length, message). */
function recordEntry(pkIndex: number, ehkIndex: number, dataLength: number): number {
  const size = recordSize(pkIndex, ehkIndex, dataLength);
  return 1 + varintSize(size) + size;
}

function writeBytesField(out: Uint8Array, pos: number, tag: number, bytes: Uint8Array): number {
  out[pos++] = tag;
  pos = writeVarint(out, pos, bytes.length);
  out.set(bytes, pos);
  return pos + bytes.length;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return value.length === 0 ? 'an empty string' : `a string of ${value.length} characters`;
  return value === null ? 'null' : typeof value;
}
