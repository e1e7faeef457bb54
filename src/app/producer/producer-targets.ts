/**
 * Where the `produce` command and the demo put their Kinesis records: the embedded in-process stream, a Kinesis
 * stream through the Kinesis API (AWS or a local emulator), or a recording file that `run --source file://` replays.
 */
import { createWriteStream, existsSync, statSync, type WriteStream } from 'node:fs';
import { ListShardsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import type { AggregatedRecord } from '../../kpl/index.js';
import {
  BINARY_RECORDING_EXTENSION, createKinesisClient, DEFAULT_KINESIS_LIMITS, encodeRecordingFrame, encodeRecordingHeader, partitionKeyToHashKey, putRecordsWithRetry, rangeContains, splitPutRecordsRequests, StreamFullError,
  type EmbeddedStream, type HashKeyRange,
} from '../../kinesis/index.js';
import type { ProducerTarget } from './ticker-producer.js';

function shardLookup(shards: readonly { shardId: string; range: HashKeyRange }[]): (pk: string) => string {
  const cache = new Map<string, string>();
  return (pk) => {
    let id = cache.get(pk);
    if (id === undefined) {
      const h = partitionKeyToHashKey(pk);
      id = shards.find((s) => rangeContains(s.range, h))?.shardId ?? '';
      cache.set(pk, id);
    }
    return id;
  };
}

/**
 * The in-process stream. Requests keep every PutRecords limit of the stream (entries, bytes, record size); when
 * the stream is at its size cap, a request waits until readers have committed past older records (backpressure)
 * instead of failing or growing the stream.
 */
export class EmbeddedTarget implements ProducerTarget {
  readonly shardOf: (pk: string) => string;
  /** Time spent waiting for room in the stream, ms. */
  throttledMs = 0;
  constructor(
    private readonly stream: EmbeddedStream,
    private readonly clock: () => number = Date.now,
  ) {
    this.shardOf = shardLookup(stream.listShards().filter((s) => s.endingSequenceNumber === undefined).map((s) => ({ shardId: s.shardId, range: s.hashKeyRange })));
  }

  /** Resolves once every record is written, or early when `signal` aborts (the rest is then not written). */
  async put(records: readonly AggregatedRecord[], signal?: AbortSignal): Promise<void> {
    for (const request of splitPutRecordsRequests(records, this.stream.limits)) {
      for (;;) {
        try {
          this.stream.putRecords(request);
          break;
        } catch (e) {
          if (!(e instanceof StreamFullError)) throw e;
          const since = this.clock();
          await this.stream.waitForSpace(e.requestBytes, signal);
          this.throttledMs += this.clock() - since;
          if (signal?.aborted) return;
        }
      }
    }
  }
}

export class KinesisTarget implements ProducerTarget {
  shardOf?: (pk: string) => string;
  private constructor(
    private readonly client: KinesisClient,
    private readonly streamName: string,
  ) {}

  /** Connects and learns the open shards, so that aggregates are packed per shard as the KPL does. */
  static async connect(options: { streamName: string; endpoint?: string; region?: string }): Promise<KinesisTarget> {
    const client = createKinesisClient({ endpoint: options.endpoint, region: options.region });
    const t = new KinesisTarget(client, options.streamName);
    const shards: { shardId: string; range: HashKeyRange }[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(new ListShardsCommand(token ? { NextToken: token } : { StreamName: options.streamName }));
      for (const s of page.Shards ?? []) {
        if (s.SequenceNumberRange?.EndingSequenceNumber !== undefined) continue;
        shards.push({ shardId: s.ShardId!, range: { start: BigInt(s.HashKeyRange!.StartingHashKey!), end: BigInt(s.HashKeyRange!.EndingHashKey!) } });
      }
      token = page.NextToken;
    } while (token);
    t.shardOf = shardLookup(shards);
    return t;
  }

  async put(records: readonly AggregatedRecord[]): Promise<void> {
    for (const request of splitPutRecordsRequests(records, DEFAULT_KINESIS_LIMITS)) await putRecordsWithRetry(this.client, this.streamName, request);
  }

  close(): void {
    this.client.destroy();
  }
}

/**
 * A recording that `run --source file://` replays: NDJSON lines `{"at", "partitionKey", "dataBase64"}`, or, for a
 * path ending in `.krec`, the binary recording format of src/kinesis (the data as raw bytes: about a quarter
 * smaller, and read without JSON, base64 or text decoding). Appends to an existing file of the same format.
 */
export class FileTarget implements ProducerTarget {
  private readonly out: WriteStream;
  private readonly binary: boolean;
  constructor(
    path: string,
    private readonly clock: () => number = Date.now,
  ) {
    this.binary = BINARY_RECORDING_EXTENSION.test(path);
    const appending = existsSync(path) && statSync(path).size > 0;
    this.out = createWriteStream(path, { flags: 'a' });
    if (this.binary && !appending) this.out.write(encodeRecordingHeader());
  }
  async put(records: readonly AggregatedRecord[]): Promise<void> {
    const now = this.clock();
    let chunk: string | Buffer;
    if (this.binary) {
      chunk = Buffer.concat(records.map((r) => encodeRecordingFrame({ at: now, partitionKey: r.partitionKey, explicitHashKey: r.explicitHashKey, data: r.data })));
    } else {
      const at = new Date(now).toISOString();
      chunk = `${records.map((r) => JSON.stringify({ at, partitionKey: r.partitionKey, dataBase64: Buffer.from(r.data).toString('base64') })).join('\n')}\n`;
    }
    if (!this.out.write(chunk)) await new Promise<void>((resolve) => this.out.once('drain', () => resolve()));
  }
  close(): Promise<void> {
    return new Promise((resolve, reject) => this.out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  }
}
