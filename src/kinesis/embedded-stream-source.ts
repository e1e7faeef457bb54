/**
 * A reader of an {@link EmbeddedStream}: a {@link StreamSource} with its own positions, so several can read one
 * stream independently. It wakes as soon as records are written instead of polling. It registers with the stream,
 * which keeps every record it has not committed past (see {@link EmbeddedStreamSource.committed}) until it closes.
 */
import type { ShardCheckpoint } from './stream-source.js';
import type { EmbeddedStream } from './embedded-stream.js';
import type { GetRecordsOutput, ShardApi, ShardDescription, ShardIteratorStart } from './shard-api.js';
import { ShardedStreamReader, type ShardedStreamReaderOptions } from './sharded-stream-reader.js';

export type EmbeddedStreamSourceOptions = ShardedStreamReaderOptions;

/**
 * @example
 * const source = new EmbeddedStreamSource(stream, { pollMs: 100 });
 * await source.start('TRIM_HORIZON');
 * const { records } = await source.read();
 */
export class EmbeddedStreamSource extends ShardedStreamReader {
  constructor(stream: EmbeddedStream, options: EmbeddedStreamSourceOptions = {}) {
    const pollMs = options.pollMs ?? 100;
    // In process there is no call budget to respect, and writes wake the reader, so no pauses by default.
    super(new EmbeddedShardApi(stream), { idleMs: pollMs, minFetchIntervalMs: 0, shardRefreshMs: 1000, ...options, pollMs });
  }

  /** The host committed these positions: the stream may drop what every reader has committed past. */
  committed(positions: readonly ShardCheckpoint[]): void {
    (this.api as EmbeddedShardApi).release(positions);
  }

  override async close(): Promise<void> {
    (this.api as EmbeddedShardApi).dispose();
    await super.close();
  }
}

class EmbeddedShardApi implements ShardApi {
  private written = false;
  private wake: (() => void) | null = null;
  private readonly unsubscribe: () => void;
  private readonly readerId: number;

  constructor(private readonly stream: EmbeddedStream) {
    this.readerId = stream.registerReader();
    this.unsubscribe = stream.onRecords(() => {
      this.written = true;
      this.wake?.();
    });
  }

  async listShards(): Promise<ShardDescription[]> {
    return this.stream.listShards();
  }

  async getShardIterator(shardId: string, start: ShardIteratorStart): Promise<string> {
    return this.stream.getShardIterator(shardId, start);
  }

  async getRecords(_shardId: string, iterator: string, limit: number): Promise<GetRecordsOutput> {
    return this.stream.getRecords(iterator, limit);
  }

  /** A write since the previous call counts, so a write between two reads is never missed. */
  waitForData(timeoutMs: number): Promise<boolean> {
    if (this.written) {
      this.written = false;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => { this.wake = null; resolve(false); }, timeoutMs);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = null;
        this.written = false;
        resolve(true);
      };
    });
  }

  isRetryable(): boolean {
    return false;
  }

  isExpiredIterator(): boolean {
    return false;
  }

  now(): number {
    return this.stream.now();
  }

  release(positions: readonly ShardCheckpoint[]): void {
    this.stream.release(this.readerId, positions);
  }

  dispose(): void {
    this.stream.unregisterReader(this.readerId);
    this.unsubscribe();
    this.wake?.();
  }
}
