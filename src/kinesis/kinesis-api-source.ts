/**
 * Reads a Kinesis data stream through the Kinesis API (AWS SDK v3) at any endpoint: every shard, iterators by
 * starting position or checkpoint, GetRecords per shard with pauses and backoff on throttling, shard lineage
 * followed after splits and merges.
 */
import {
  GetRecordsCommand, GetShardIteratorCommand, ListShardsCommand, type KinesisClient, type ListShardsCommandInput, type Shard,
} from '@aws-sdk/client-kinesis';
import { ConfigError } from '../errors.js';
import { createKinesisClient, isRetryableKinesisError, type KinesisClientOptions } from './kinesis-client.js';
import type { GetRecordsOutput, ShardApi, ShardDescription, ShardIteratorStart } from './shard-api.js';
import { ShardedStreamReader, type ShardedStreamReaderOptions } from './sharded-stream-reader.js';

export interface KinesisApiSourceOptions extends ShardedStreamReaderOptions, KinesisClientOptions {
  /** The stream, by name or ARN (one of the two). */
  streamName?: string;
  streamARN?: string;
  /** A client to use instead of creating one from endpoint/region/credentials; it is not destroyed on close(). */
  client?: KinesisClient;
  /** ListShards' MaxResults per page. @default the service's (1000) */
  listShardsPageSize?: number;
}

/**
 * @example
 * const source = new KinesisApiSource({ streamName: 'ticker', endpoint: 'http://127.0.0.1:4567', region: 'us-east-1',
 *   credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
 * await source.start('LAST_STOPPED_POINT', savedCheckpoints);
 */
export class KinesisApiSource extends ShardedStreamReader {
  private readonly ownedClient: KinesisClient | undefined;

  constructor(options: KinesisApiSourceOptions) {
    if (!options.streamName === !options.streamARN) {
      throw new ConfigError('streamName', 'give exactly one of streamName and streamARN');
    }
    const client = options.client ?? createKinesisClient(options);
    const stream = options.streamName ? { StreamName: options.streamName } : { StreamARN: options.streamARN };
    super(new KinesisShardApi(client, stream, options.listShardsPageSize), options);
    this.ownedClient = options.client ? undefined : client;
  }

  override async close(): Promise<void> {
    this.ownedClient?.destroy();
    await super.close();
  }
}

/** Turns one ListShards entry into the reader's description. */
export function describeShard(shard: Shard): ShardDescription {
  return {
    shardId: shard.ShardId as string,
    hashKeyRange: { start: BigInt(shard.HashKeyRange?.StartingHashKey ?? '0'), end: BigInt(shard.HashKeyRange?.EndingHashKey ?? '0') },
    ...(shard.ParentShardId ? { parentShardId: shard.ParentShardId } : {}),
    ...(shard.AdjacentParentShardId ? { adjacentParentShardId: shard.AdjacentParentShardId } : {}),
    startingSequenceNumber: shard.SequenceNumberRange?.StartingSequenceNumber ?? '0',
    ...(shard.SequenceNumberRange?.EndingSequenceNumber ? { endingSequenceNumber: shard.SequenceNumberRange.EndingSequenceNumber } : {}),
  };
}

class KinesisShardApi implements ShardApi {
  constructor(
    private readonly client: KinesisClient,
    private readonly stream: { StreamName?: string; StreamARN?: string },
    private readonly pageSize: number | undefined,
  ) {}

  async listShards(): Promise<ShardDescription[]> {
    const shards: ShardDescription[] = [];
    let nextToken: string | undefined;
    do {
      // With a NextToken, ListShards must not name the stream.
      const input: ListShardsCommandInput = nextToken ? { NextToken: nextToken } : { ...this.stream };
      if (this.pageSize !== undefined) input.MaxResults = this.pageSize;
      const out = await this.client.send(new ListShardsCommand(input));
      for (const shard of out.Shards ?? []) shards.push(describeShard(shard));
      nextToken = out.NextToken;
    } while (nextToken);
    return shards;
  }

  async getShardIterator(shardId: string, start: ShardIteratorStart): Promise<string> {
    const out = await this.client.send(new GetShardIteratorCommand({
      ...this.stream,
      ShardId: shardId,
      ShardIteratorType: start.type,
      ...('sequenceNumber' in start ? { StartingSequenceNumber: start.sequenceNumber } : {}),
      ...('timestamp' in start ? { Timestamp: new Date(start.timestamp) } : {}),
    }));
    if (!out.ShardIterator) throw new ConfigError('shardIterator', `GetShardIterator returned no iterator for ${shardId}`);
    return out.ShardIterator;
  }

  async getRecords(shardId: string, iterator: string, limit: number): Promise<GetRecordsOutput> {
    const out = await this.client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: limit }));
    return {
      records: (out.Records ?? []).map((r) => ({
        shardId,
        sequenceNumber: r.SequenceNumber as string,
        partitionKey: r.PartitionKey as string,
        data: r.Data ?? new Uint8Array(0),
        approximateArrivalTimestamp: r.ApproximateArrivalTimestamp ? r.ApproximateArrivalTimestamp.getTime() : Date.now(),
      })),
      nextIterator: out.NextShardIterator ?? null,
      ...(out.MillisBehindLatest !== undefined ? { millisBehindLatest: out.MillisBehindLatest } : {}),
    };
  }

  isRetryable(error: unknown): boolean {
    return isRetryableKinesisError(error);
  }

  isExpiredIterator(error: unknown): boolean {
    return (error as { name?: string } | null)?.name === 'ExpiredIteratorException';
  }

  now(): number {
    return Date.now();
  }
}
