/**
 * Shard lineage through the Kinesis API, against kinesis-local (the kinesis-mock engine) on 127.0.0.1: a shard is
 * split or merged while it is being read; children must be read only after their parents, nothing lost.
 */
import { MergeShardsCommand, SplitShardCommand } from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKinesisLocal, type KinesisEmulator } from '../../test/support/kinesis-emulator.js';
import { KinesisApiSource, type KinesisApiSourceOptions } from './kinesis-api-source.js';
import { putRecordsWithRetry } from './put-records-with-retry.js';
import type { ShardCheckpoint, SourceRecord, StreamSource } from './stream-source.js';

let emulator: KinesisEmulator;

beforeAll(async () => {
  emulator = await startKinesisLocal();
});

afterAll(async () => {
  await emulator?.stop();
});

function source(streamName: string, options: Partial<KinesisApiSourceOptions> = {}): KinesisApiSource {
  return new KinesisApiSource({
    streamName, ...emulator.clientOptions, pollMs: 50, idleMs: 20, minFetchIntervalMs: 0, shardRefreshMs: 100,
    listShardsPageSize: 1, ...options,
  });
}

async function readCount(src: StreamSource, count: number, ms = 15_000): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  const deadline = Date.now() + ms;
  while (out.length < count && Date.now() < deadline) out.push(...(await src.read()).records);
  return out;
}

const records = (n: number, keys: number, from = 0) =>
  Array.from({ length: n }, (_, i) => ({ partitionKey: `key-${(from + i) % keys}`, data: `${from + i}` }));
const index = (r: SourceRecord) => Number(Buffer.from(r.data).toString('utf8'));

/** Every record once; each key's records in write order; no record of a shard after a record of its child. */
function checkLineage(read: SourceRecord[], total: number, parentsOf: Map<string, string[]>) {
  expect(read.map(index).sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, i) => i));
  const byKey = new Map<string, number[]>();
  for (const r of read) byKey.set(r.partitionKey, [...(byKey.get(r.partitionKey) ?? []), index(r)]);
  for (const order of byKey.values()) expect(order).toEqual([...order].sort((a, b) => a - b));
  for (const [child, parents] of parentsOf) {
    const firstChild = read.findIndex((r) => r.shardId === child);
    expect(firstChild).toBeGreaterThanOrEqual(0);
    for (const parent of parents) {
      const lastParent = read.map((r) => r.shardId).lastIndexOf(parent);
      expect(lastParent).toBeGreaterThanOrEqual(0);
      expect(lastParent).toBeLessThan(firstChild);
    }
  }
}

describe('against kinesis-local', () => {
  it('follows a split made while the parent is being read', async () => {
    const name = 'split-stream';
    await emulator.createStream(name, 2);
    const src = source(name, { maxRecordsPerShard: 10 });
    await src.start('TRIM_HORIZON');
    await putRecordsWithRetry(emulator.client, name, records(120, 12));
    const early = (await src.read()).records;
    expect(early.length).toBeGreaterThan(0);
    expect(early.length).toBeLessThan(120);
    const parent = 'shardId-000000000000';
    await emulator.client.send(new SplitShardCommand({ StreamName: name, ShardToSplit: parent, NewStartingHashKey: String(1n << 126n) }));
    await emulator.waitActive(name);
    const { records: written } = await putRecordsWithRetry(emulator.client, name, records(120, 12, 120));
    const children = [...new Set(written.map((w) => w.shardId))].filter((s) => s !== 'shardId-000000000001');
    expect(children.sort()).toEqual(['shardId-000000000002', 'shardId-000000000003']);
    const rest = await readCount(src, 240 - early.length);
    await src.close();
    checkLineage([...early, ...rest], 240, new Map(children.map((c) => [c, [parent]])));
    expect(src.checkpoints().find((c) => c.shardId === parent)?.sequenceNumber).toBe('SHARD_END');
  });

  it('follows a merge, and resumes mid-lineage from checkpoints', async () => {
    const name = 'merge-stream';
    await emulator.createStream(name, 2);
    await putRecordsWithRetry(emulator.client, name, records(80, 8));
    const first = source(name, { maxRecordsPerShard: 15 });
    await first.start('TRIM_HORIZON');
    const part1 = (await first.read()).records;
    await emulator.client.send(new MergeShardsCommand({ StreamName: name, ShardToMerge: 'shardId-000000000000', AdjacentShardToMerge: 'shardId-000000000001' }));
    await emulator.waitActive(name);
    const { records: written } = await putRecordsWithRetry(emulator.client, name, records(80, 8, 80));
    const child = written[0].shardId;
    expect(new Set(written.map((w) => w.shardId))).toEqual(new Set([child]));
    part1.push(...(await first.read()).records);
    const checkpoints = JSON.parse(JSON.stringify(first.checkpoints())) as ShardCheckpoint[];
    await first.close();
    const second = source(name);
    await second.start('LAST_STOPPED_POINT', checkpoints);
    const part2 = await readCount(second, 160 - part1.length);
    await second.close();
    checkLineage([...part1, ...part2], 160, new Map([[child, ['shardId-000000000000', 'shardId-000000000001']]]));
  });

  it('reads a stream named by its ARN', async () => {
    const name = 'arn-stream';
    await emulator.createStream(name, 1);
    await putRecordsWithRetry(emulator.client, name, records(5, 2));
    const src = new KinesisApiSource({ streamARN: `arn:aws:kinesis:us-east-1:000000000000:stream/${name}`, ...emulator.clientOptions, idleMs: 20 });
    await src.start('TRIM_HORIZON');
    const got = await readCount(src, 5);
    await src.close();
    expect(got.map(index)).toEqual([0, 1, 2, 3, 4]);
  });
});
