/**
 * An in-process stream with the semantics of a Kinesis data stream: shards owning hash-key ranges, MD5
 * partition-key routing and explicit hash keys, per-shard increasing sequence numbers, approximate arrival times
 * from an injectable clock, retention, shard split and merge, and the write limits. Any number of readers read it
 * independently (each keeps its own positions); see {@link EmbeddedStreamSource}.
 *
 * Unlike a Kinesis stream, it lives in the memory of the process, so it is bounded twice: records every registered
 * reader has checkpointed past are dropped (they can never be read again by those readers, and a restart of the
 * process loses the stream anyway), and the bytes it retains are capped. A write that would pass the cap throws
 * {@link StreamFullError} and writes nothing; {@link EmbeddedStream.waitForSpace} resolves once readers have
 * released enough. That is the backpressure a producer in the same process gets.
 */
import { ConfigError } from '../errors.js';
import { evenHashKeyRanges, MAX_HASH_KEY, partitionKeyToHashKey, recordHashKey, type HashKeyRange } from './hash-key.js';
import { KinesisLimitError, KinesisResourceError, StreamFullError } from './kinesis-errors.js';
import {
  DEFAULT_KINESIS_LIMITS, dataBytes, validatePutRecord, validatePutRecords, type KinesisLimits, type PutRecordInput,
} from './kinesis-limits.js';
import { embeddedSequenceNumber, parseSequenceNumber } from './sequence-number.js';
import { CHECKPOINT_AT_TIMESTAMP, CHECKPOINT_SHARD_END, CHECKPOINT_TRIM_HORIZON, type ShardCheckpoint } from './stream-source.js';
import type { GetRecordsOutput, ShardDescription, ShardIteratorStart } from './shard-api.js';
import { shardIdFor, shardIndexOf } from './shard-id.js';
import type { SourceRecord } from './stream-source.js';

export interface EmbeddedStreamOptions {
  /** @default 'embedded' */
  name?: string;
  /** Shards at creation, splitting the key space evenly as CreateStream does. @default 1 */
  shardCount?: number;
  /** Records older than this (by arrival time) are trimmed. @default 86400000 (24 hours, Kinesis' default) */
  retentionMs?: number;
  /** Source of arrival times, epoch ms. @default Date.now */
  clock?: () => number;
  /** Write limits; unset fields keep Kinesis' defaults. */
  limits?: Partial<KinesisLimits>;
  /**
   * Most bytes (data plus partition keys, as PutRecords counts them) retained at once; a write past it throws
   * StreamFullError. @default 67108864 (64 MiB)
   */
  maxRetainedBytes?: number;
}

/** What one record counts for against the cap: as in a PutRecords request, data plus partition key bytes. */
function recordBytes(record: SourceRecord): number {
  return record.data.byteLength + Buffer.byteLength(record.partitionKey, 'utf8');
}

export interface PutRecordOutput {
  shardId: string;
  sequenceNumber: string;
}

interface Shard {
  readonly index: number;
  readonly shardId: string;
  readonly range: HashKeyRange;
  readonly parentShardId?: string;
  readonly adjacentParentShardId?: string;
  /** Retained records are records[head..]; records[head] is at position `firstPosition`. */
  records: SourceRecord[];
  /** Bytes of the retained records. */
  bytes: number;
  head: number;
  firstPosition: number;
  nextPosition: number;
  lastArrival: number;
  closedAt?: number;
  endingSequenceNumber?: string;
}

const ITERATOR_PREFIX = 'embedded';

/**
 * @example
 * const stream = new EmbeddedStream({ shardCount: 4 });
 * stream.putRecord({ partitionKey: 'AAPL', data: '{"price":1}' }); // { shardId: 'shardId-00000000000x', sequenceNumber: '49...' }
 */
export class EmbeddedStream {
  readonly name: string;
  readonly retentionMs: number;
  readonly limits: KinesisLimits;
  private readonly clock: () => number;
  private readonly shards = new Map<string, Shard>();
  /** Open shards sorted by the start of their range, for routing. */
  private open: Shard[] = [];
  private nextShardIndex = 0;
  private listeners = new Set<() => void>();
  private readonly hashCache = new Map<string, bigint>();
  readonly maxRetainedBytes: number;
  private retained = 0;
  /** Per registered reader, per shard: the first position it may still read (everything before is released). */
  private readonly readers = new Map<number, Map<string, number>>();
  private nextReaderId = 0;
  private spaceWaiters: { bytes: number; resolve: () => void }[] = [];

  constructor(options: EmbeddedStreamOptions = {}) {
    const shardCount = options.shardCount ?? 1;
    if (!Number.isInteger(shardCount) || shardCount < 1) {
      throw new ConfigError('shardCount', `must be an integer of at least 1; received ${shardCount}`);
    }
    const retentionMs = options.retentionMs ?? 24 * 3600 * 1000;
    if (!(retentionMs > 0)) throw new ConfigError('retentionMs', `must be a positive number of ms; received ${retentionMs}`);
    this.name = options.name ?? 'embedded';
    this.retentionMs = retentionMs;
    this.limits = { ...DEFAULT_KINESIS_LIMITS, ...options.limits };
    this.clock = options.clock ?? Date.now;
    this.maxRetainedBytes = options.maxRetainedBytes ?? 64 * 1024 * 1024;
    if (!(this.maxRetainedBytes >= this.limits.maxPutRecordsBytes)) {
      throw new ConfigError('maxRetainedBytes', `must be at least the largest PutRecords request (${this.limits.maxPutRecordsBytes} bytes); received ${this.maxRetainedBytes}`);
    }
    for (const range of evenHashKeyRanges(shardCount)) this.addShard(range);
  }

  /** The clock arrival times come from. */
  now(): number {
    return this.clock();
  }

  /** Bytes retained now (data plus partition keys of every record not yet trimmed). */
  get retainedBytes(): number {
    return this.retained;
  }

  /**
   * Writes one record to the open shard owning its hash key. Throws KinesisLimitError for an invalid record,
   * StreamFullError when the stream is at its cap.
   */
  putRecord(record: PutRecordInput): PutRecordOutput {
    this.reserve(validatePutRecord(record, this.limits));
    const output = this.append(record);
    this.notify();
    return output;
  }

  /**
   * Writes records in order, as one PutRecords request (so the request limits apply: at most 500 records and
   * 5 MiB). All or nothing: every entry succeeds, or StreamFullError is thrown and none is written.
   */
  putRecords(records: readonly PutRecordInput[]): { failedRecordCount: number; records: PutRecordOutput[] } {
    this.reserve(validatePutRecords(records, this.limits));
    const outputs = records.map((record) => this.append(record));
    this.notify();
    return { failedRecordCount: 0, records: outputs };
  }

  /** Every shard still retained, open and closed, in creation order (as ListShards returns them). */
  listShards(): ShardDescription[] {
    this.trim();
    return [...this.shards.values()].map((shard) => ({
      shardId: shard.shardId,
      hashKeyRange: shard.range,
      ...(shard.parentShardId ? { parentShardId: shard.parentShardId } : {}),
      ...(shard.adjacentParentShardId ? { adjacentParentShardId: shard.adjacentParentShardId } : {}),
      startingSequenceNumber: embeddedSequenceNumber(shard.index, 0),
      ...(shard.endingSequenceNumber ? { endingSequenceNumber: shard.endingSequenceNumber } : {}),
    }));
  }

  /**
   * Splits an open shard at `newStartingHashKey`: the shard closes and two children take its range, the second
   * starting at that key. Returns the children's ids.
   */
  splitShard(shardId: string, newStartingHashKey: bigint | string): [string, string] {
    const shard = this.openShard(shardId);
    const key = typeof newStartingHashKey === 'bigint' ? newStartingHashKey : BigInt(newStartingHashKey);
    if (key <= shard.range.start || key > shard.range.end) {
      throw new KinesisResourceError(shardId,
        `NewStartingHashKey ${key} must lie in (${shard.range.start}, ${shard.range.end}], the range of ${shardId}`);
    }
    this.close(shard);
    const left = this.addShard({ start: shard.range.start, end: key - 1n }, shard.shardId);
    const right = this.addShard({ start: key, end: shard.range.end }, shard.shardId);
    return [left.shardId, right.shardId];
  }

  /** Merges two open shards with adjacent ranges into one child. Returns the child's id. */
  mergeShards(shardId: string, adjacentShardId: string): string {
    const a = this.openShard(shardId);
    const b = this.openShard(adjacentShardId);
    if (a.range.end + 1n !== b.range.start && b.range.end + 1n !== a.range.start) {
      throw new KinesisResourceError(adjacentShardId, `${shardId} and ${adjacentShardId} do not own adjacent hash-key ranges`);
    }
    this.close(a);
    this.close(b);
    const range = { start: a.range.start < b.range.start ? a.range.start : b.range.start, end: a.range.end > b.range.end ? a.range.end : b.range.end };
    return this.addShard(range, a.shardId, b.shardId).shardId;
  }

  /** An iterator string for {@link EmbeddedStream.getRecords}, as GetShardIterator gives one. */
  getShardIterator(shardId: string, start: ShardIteratorStart): string {
    this.trim();
    const shard = this.shard(shardId);
    return `${ITERATOR_PREFIX}/${shard.index}/${this.positionFor(shard, start)}`;
  }

  /**
   * Up to `limit` records from the iterator's position. Records trimmed since the iterator was made are skipped,
   * as in Kinesis. The next iterator is null once a closed shard has been read to its end.
   */
  getRecords(iterator: string, limit: number = this.limits.maxRecordsPerGetRecords): GetRecordsOutput {
    const [prefix, indexText, positionText] = iterator.split('/');
    if (prefix !== ITERATOR_PREFIX || indexText === undefined || positionText === undefined) {
      throw new KinesisResourceError(iterator, `"${iterator}" is not a shard iterator of an embedded stream`);
    }
    this.trim();
    const shard = this.shard(shardIdFor(Number(indexText)));
    const from = Math.max(Number(positionText), shard.firstPosition);
    const to = Math.min(shard.nextPosition, from + Math.max(1, limit));
    const base = shard.head - shard.firstPosition;
    const records = shard.records.slice(base + from, base + to);
    const ended = shard.closedAt !== undefined && to >= shard.nextPosition;
    const millisBehindLatest = to < shard.nextPosition ? Math.max(0, this.clock() - shard.records[base + to].approximateArrivalTimestamp) : 0;
    return { records, nextIterator: ended ? null : `${ITERATOR_PREFIX}/${shard.index}/${to}`, millisBehindLatest };
  }

  /**
   * Resolves once a write of `bytes` fits under the cap (at once if it does now); readers releasing records make
   * room. A `signal` that aborts resolves it too, so a stopping producer is never left waiting.
   */
  waitForSpace(bytes: number, signal?: AbortSignal): Promise<void> {
    if (bytes > this.maxRetainedBytes) {
      return Promise.reject(new KinesisLimitError('retainedBytes', this.maxRetainedBytes, bytes, `a write of ${bytes} bytes can never fit in stream ${this.name}, whose cap is ${this.maxRetainedBytes} bytes`));
    }
    this.trim();
    if (this.retained + bytes <= this.maxRetainedBytes || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter = { bytes, resolve: () => { signal?.removeEventListener('abort', onAbort); resolve(); } };
      const onAbort = () => {
        this.spaceWaiters = this.spaceWaiters.filter((w) => w !== waiter);
        resolve();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.spaceWaiters.push(waiter);
    });
  }

  /**
   * A reader whose checkpoints govern trimming: until it releases a shard's records (see {@link release}), they
   * are kept. Returns its id.
   */
  registerReader(): number {
    const id = this.nextReaderId++;
    this.readers.set(id, new Map());
    return id;
  }

  unregisterReader(id: number): void {
    this.readers.delete(id);
    this.trim();
  }

  /**
   * The reader has committed these positions (as a StreamSource's checkpoints() gives them): records before them
   * may be dropped once every registered reader is past them.
   */
  release(readerId: number, checkpoints: readonly ShardCheckpoint[]): void {
    const marks = this.readers.get(readerId);
    if (!marks) throw new KinesisResourceError(String(readerId), `reader ${readerId} is not registered with stream ${this.name}`);
    for (const cp of checkpoints) {
      const shard = this.shards.get(cp.shardId);
      if (!shard) continue;
      marks.set(cp.shardId, Math.max(marks.get(cp.shardId) ?? 0, this.releasedPosition(shard, cp)));
    }
    this.trim();
  }

  /** The first position a checkpoint still needs: the record it names is kept while only part of it was processed. */
  private releasedPosition(shard: Shard, cp: ShardCheckpoint): number {
    switch (cp.sequenceNumber) {
      case CHECKPOINT_TRIM_HORIZON:
        return 0;
      case CHECKPOINT_SHARD_END:
        return Number.POSITIVE_INFINITY;
      case CHECKPOINT_AT_TIMESTAMP:
        return this.bisect(shard, (r) => r.approximateArrivalTimestamp >= (cp.timestamp ?? 0));
      default: {
        const position = this.bisect(shard, (r) => BigInt(r.sequenceNumber) > parseSequenceNumber(cp.sequenceNumber));
        return cp.subSequenceNumber === undefined ? position : Math.max(0, position - 1);
      }
    }
  }

  /** Calls `listener` after every write; returns the function that unsubscribes it. */
  onRecords(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Drops records older than the retention period or that every registered reader has released, and closed shards
   * whose records are all gone and that closed longer ago than the retention period. Writes, reads and releases
   * call it; call it to apply a clock change at once.
   */
  trim(): void {
    const now = this.clock();
    const horizon = now - this.retentionMs;
    for (const shard of this.shards.values()) {
      let released = 0;
      if (this.readers.size > 0) {
        released = Number.POSITIVE_INFINITY;
        for (const marks of this.readers.values()) released = Math.min(released, marks.get(shard.shardId) ?? 0);
      }
      while (shard.head < shard.records.length && (shard.firstPosition < released || shard.records[shard.head].approximateArrivalTimestamp < horizon)) {
        const bytes = recordBytes(shard.records[shard.head]);
        shard.bytes -= bytes;
        this.retained -= bytes;
        shard.head++;
        shard.firstPosition++;
      }
      // Compact now and then rather than shift() per record, which would be quadratic; but soon enough that the
      // trimmed records (their data) are not kept alive by the array: at most as many as are retained, or 64.
      if (shard.head > 0 && (shard.head >= shard.records.length || (shard.head >= 64 && shard.head * 2 > shard.records.length))) {
        shard.records = shard.records.slice(shard.head);
        shard.head = 0;
      }
      if (shard.closedAt !== undefined && shard.closedAt < horizon && shard.head >= shard.records.length) {
        this.shards.delete(shard.shardId);
      }
    }
    this.wakeSpaceWaiters();
  }

  /**
   * Throws StreamFullError unless `bytes` more fit under the cap. With no registered reader, nobody could ever
   * release records, so the oldest are dropped instead (the cap then acts as a size-based retention).
   */
  private reserve(bytes: number): void {
    if (this.retained + bytes <= this.maxRetainedBytes) return;
    this.trim();
    if (this.readers.size === 0) this.evictOldest(this.retained + bytes - this.maxRetainedBytes);
    if (this.retained + bytes > this.maxRetainedBytes) throw new StreamFullError(this.name, this.retained, this.maxRetainedBytes, bytes);
  }

  private evictOldest(bytes: number): void {
    let freed = 0;
    while (freed < bytes) {
      let oldest: Shard | undefined;
      for (const shard of this.shards.values()) {
        if (shard.head >= shard.records.length) continue;
        if (!oldest || shard.records[shard.head].approximateArrivalTimestamp < oldest.records[oldest.head].approximateArrivalTimestamp) oldest = shard;
      }
      if (!oldest) return;
      const size = recordBytes(oldest.records[oldest.head]);
      oldest.bytes -= size;
      this.retained -= size;
      freed += size;
      oldest.head++;
      oldest.firstPosition++;
    }
  }

  private wakeSpaceWaiters(): void {
    if (this.spaceWaiters.length === 0) return;
    const waiting = this.spaceWaiters;
    this.spaceWaiters = [];
    for (const w of waiting) {
      // Woken in order while they fit; the rest wait for the next trim.
      if (this.retained + w.bytes <= this.maxRetainedBytes) w.resolve();
      else this.spaceWaiters.push(w);
    }
  }

  private append(record: PutRecordInput): PutRecordOutput {
    const hashKey = record.explicitHashKey != null ? recordHashKey(record.partitionKey, record.explicitHashKey) : this.keyHash(record.partitionKey);
    const shard = this.route(hashKey);
    // Arrival times never go back within a shard, so AT_TIMESTAMP can search by bisection.
    const arrival = Math.max(this.clock(), shard.lastArrival);
    shard.lastArrival = arrival;
    const sequenceNumber = embeddedSequenceNumber(shard.index, shard.nextPosition++);
    const stored: SourceRecord = Object.freeze({
      shardId: shard.shardId,
      sequenceNumber,
      partitionKey: record.partitionKey,
      explicitHashKey: record.explicitHashKey ?? null,
      data: dataBytes(record.data),
      approximateArrivalTimestamp: arrival,
    });
    shard.records.push(stored);
    const bytes = recordBytes(stored);
    shard.bytes += bytes;
    this.retained += bytes;
    return { shardId: shard.shardId, sequenceNumber };
  }

  /** MD5 of a partition key, remembered: producers reuse few keys (ticker symbols), and MD5 is most of a write. */
  private keyHash(partitionKey: string): bigint {
    let hash = this.hashCache.get(partitionKey);
    if (hash === undefined) {
      if (this.hashCache.size >= 10_000) this.hashCache.clear();
      hash = partitionKeyToHashKey(partitionKey);
      this.hashCache.set(partitionKey, hash);
    }
    return hash;
  }

  private route(hashKey: bigint): Shard {
    let low = 0;
    let high = this.open.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const shard = this.open[mid];
      if (hashKey < shard.range.start) high = mid - 1;
      else if (hashKey > shard.range.end) low = mid + 1;
      else return shard;
    }
    throw new KinesisResourceError(String(hashKey), `no open shard owns hash key ${hashKey} (a bug: open shards cover 0..${MAX_HASH_KEY})`);
  }

  private positionFor(shard: Shard, start: ShardIteratorStart): number {
    switch (start.type) {
      case 'TRIM_HORIZON':
        return shard.firstPosition;
      case 'LATEST':
        return shard.nextPosition;
      case 'AT_SEQUENCE_NUMBER':
      case 'AFTER_SEQUENCE_NUMBER': {
        const target = parseSequenceNumber(start.sequenceNumber);
        const after = start.type === 'AFTER_SEQUENCE_NUMBER';
        return this.bisect(shard, (r) => {
          const seq = BigInt(r.sequenceNumber);
          return after ? seq > target : seq >= target;
        });
      }
      case 'AT_TIMESTAMP':
        return this.bisect(shard, (r) => r.approximateArrivalTimestamp >= start.timestamp);
      default: {
        const never: never = start;
        throw new KinesisResourceError(String(never), `unknown iterator type ${JSON.stringify(never)}`);
      }
    }
  }

  /** The first retained position whose record satisfies `pred` (monotone), or the end. */
  private bisect(shard: Shard, pred: (record: SourceRecord) => boolean): number {
    let low = shard.head;
    let high = shard.records.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (pred(shard.records[mid])) high = mid;
      else low = mid + 1;
    }
    return shard.firstPosition + (low - shard.head);
  }

  private addShard(range: HashKeyRange, parentShardId?: string, adjacentParentShardId?: string): Shard {
    const index = this.nextShardIndex++;
    const shard: Shard = {
      index, shardId: shardIdFor(index), range,
      ...(parentShardId ? { parentShardId } : {}),
      ...(adjacentParentShardId ? { adjacentParentShardId } : {}),
      records: [], bytes: 0, head: 0, firstPosition: 0, nextPosition: 0, lastArrival: Number.NEGATIVE_INFINITY,
    };
    this.shards.set(shard.shardId, shard);
    this.open.push(shard);
    this.open.sort((a, b) => (a.range.start < b.range.start ? -1 : 1));
    return shard;
  }

  private close(shard: Shard): void {
    shard.closedAt = this.clock();
    shard.endingSequenceNumber = embeddedSequenceNumber(shard.index, Math.max(0, shard.nextPosition - 1));
    this.open = this.open.filter((s) => s !== shard);
  }

  private shard(shardId: string): Shard {
    const shard = this.shards.get(shardIdFor(shardIndexOf(shardId)));
    if (!shard) throw new KinesisResourceError(shardId, `shard ${shardId} does not exist in stream ${this.name} (or has expired)`);
    return shard;
  }

  private openShard(shardId: string): Shard {
    const shard = this.shard(shardId);
    if (shard.closedAt !== undefined) throw new KinesisResourceError(shardId, `shard ${shardId} is closed`);
    return shard;
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}
