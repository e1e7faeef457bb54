/**
 * KinesisApiSource and putRecordsWithRetry against kinesalite (a Kinesis API emulator, in memory) on 127.0.0.1.
 */
import { randomBytes } from 'node:crypto';
import { ListShardsCommand, SplitShardCommand } from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKinesalite, type KinesisEmulator } from '../../test/support/kinesis-emulator.js';
import { failPutRecordsEntries, throttleCommand, throttleGetRecords } from '../../test/support/kinesis-fault-injection.js';
import { createKinesisClient } from './kinesis-client.js';
import { KinesisApiSource, type KinesisApiSourceOptions } from './kinesis-api-source.js';
import { evenHashKeyRanges, partitionKeyToHashKey, rangeContains } from './hash-key.js';
import { PutRecordsFailedError } from './kinesis-errors.js';
import { putRecordsWithRetry } from './put-records-with-retry.js';
import { shardIdFor } from './shard-id.js';
import type { SourceRecord, StreamSource } from './stream-source.js';

let emulator: KinesisEmulator;
let streamCounter = 0;

beforeAll(async () => {
  emulator = await startKinesalite();
});

afterAll(async () => {
  await emulator?.stop();
});

async function newStream(shardCount: number): Promise<string> {
  const name = `test-${process.pid}-${++streamCounter}`;
  await emulator.createStream(name, shardCount);
  return name;
}

function source(streamName: string, options: Partial<KinesisApiSourceOptions> = {}): KinesisApiSource {
  return new KinesisApiSource({ streamName, ...emulator.clientOptions, pollMs: 50, idleMs: 20, minFetchIntervalMs: 0, backoffBaseMs: 5, backoffMaxMs: 20, ...options });
}

/** Reads until `count` records came or `ms` passed. */
async function readCount(src: StreamSource, count: number, ms = 10_000): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  const deadline = Date.now() + ms;
  while (out.length < count && Date.now() < deadline) out.push(...(await src.read()).records);
  return out;
}

/** Reads until a read comes back empty. */
async function drain(src: StreamSource): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  for (;;) {
    const { records } = await src.read();
    if (records.length === 0) return out;
    out.push(...records);
  }
}

const records = (n: number, keys: number, from = 0) =>
  Array.from({ length: n }, (_, i) => ({ partitionKey: `key-${(from + i) % keys}`, data: Buffer.concat([Buffer.from(`${from + i}:`), randomBytes(1 + (i % 40))]) }));
const index = (r: SourceRecord) => Number(Buffer.from(r.data).toString('latin1').split(':')[0]);

describe('against kinesalite', () => {
  it('creates streams with the hash-key ranges of evenHashKeyRanges', async () => {
    const name = await newStream(5);
    const out = await emulator.client.send(new ListShardsCommand({ StreamName: name }));
    expect(out.Shards?.map((s) => [BigInt(s.HashKeyRange?.StartingHashKey ?? -1), BigInt(s.HashKeyRange?.EndingHashKey ?? -1)]))
      .toEqual(evenHashKeyRanges(5).map((r) => [r.start, r.end]));
  });

  it('routes every partition key to the shard our MD5 rule picks, and reads all records back in per-shard order', async () => {
    const name = await newStream(4);
    const input = records(1200, 150);
    const { records: written } = await putRecordsWithRetry(emulator.client, name, input);
    const ranges = evenHashKeyRanges(4);
    input.forEach((r, i) => {
      expect(written[i].shardId).toBe(shardIdFor(ranges.findIndex((range) => rangeContains(range, partitionKeyToHashKey(r.partitionKey)))));
    });
    const src = source(name);
    await src.start('TRIM_HORIZON');
    const read = await readCount(src, input.length);
    await src.close();
    expect(read).toHaveLength(input.length);
    // Per shard: exactly the records written there, in the order written, with the same bytes.
    for (let s = 0; s < 4; s++) {
      const shardId = shardIdFor(s);
      const expected = written.map((w, i) => ({ ...w, i })).filter((w) => w.shardId === shardId);
      const got = read.filter((r) => r.shardId === shardId);
      expect(got.map((r) => r.sequenceNumber)).toEqual(expected.map((w) => w.sequenceNumber));
      got.forEach((r, k) => {
        expect(Buffer.from(r.data).equals(input[expected[k].i].data)).toBe(true);
        expect(r.partitionKey).toBe(input[expected[k].i].partitionKey);
      });
    }
  });

  it('resumes from checkpoints: nothing lost, nothing read twice', async () => {
    const name = await newStream(3);
    await putRecordsWithRetry(emulator.client, name, records(300, 40));
    const first = source(name, { maxRecordsPerShard: 25 });
    await first.start('TRIM_HORIZON');
    const part1 = [...(await first.read()).records, ...(await first.read()).records];
    expect(part1.length).toBeGreaterThan(0);
    expect(part1.length).toBeLessThan(300);
    const checkpoints = JSON.parse(JSON.stringify(first.checkpoints()));
    await first.close();
    await putRecordsWithRetry(emulator.client, name, records(100, 40, 300));
    const second = source(name);
    await second.start('LAST_STOPPED_POINT', checkpoints);
    const part2 = await readCount(second, 400 - part1.length);
    expect(await drain(second)).toEqual([]);
    await second.close();
    expect([...part1, ...part2].map(index).sort((a, b) => a - b)).toEqual(Array.from({ length: 400 }, (_, i) => i));
  });

  it('NOW skips what was written before the start', async () => {
    const name = await newStream(2);
    await putRecordsWithRetry(emulator.client, name, records(20, 5));
    const src = source(name);
    await src.start('NOW');
    expect(await drain(src)).toEqual([]);
    await putRecordsWithRetry(emulator.client, name, records(10, 5, 20));
    const got = await readCount(src, 10);
    await src.close();
    expect(got.map(index).sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => 20 + i));
  });

  it('backs off and retries when GetRecords is throttled, losing nothing', async () => {
    const name = await newStream(2);
    await putRecordsWithRetry(emulator.client, name, records(100, 10));
    const client = createKinesisClient({ ...emulator.clientOptions, maxAttempts: 1 });
    const throttle = throttleGetRecords(client, 6);
    const src = source(name, { client });
    await src.start('TRIM_HORIZON');
    const got = await readCount(src, 100);
    await src.close();
    client.destroy();
    expect(throttle.count).toBe(6);
    expect(src.retries).toBe(6);
    expect(got.map(index).sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('opens a new iterator after the last delivered record when one expires', async () => {
    const name = await newStream(1);
    await putRecordsWithRetry(emulator.client, name, records(30, 3));
    const client = createKinesisClient({ ...emulator.clientOptions, maxAttempts: 1 });
    const src = source(name, { client, maxRecordsPerShard: 10 });
    await src.start('TRIM_HORIZON');
    const got = (await src.read()).records;
    const expiry = throttleGetRecords(client, 1, 'expired');
    got.push(...(await readCount(src, 20)));
    expect(await drain(src)).toEqual([]);
    await src.close();
    client.destroy();
    expect(expiry.count).toBe(1);
    expect(src.retries).toBe(0);
    expect(got.map(index)).toEqual(Array.from({ length: 30 }, (_, i) => i));
  });

  it('a shard started at NOW that saw nothing resumes from the time it started', async () => {
    const name = await newStream(2);
    await putRecordsWithRetry(emulator.client, name, records(10, 4));
    await new Promise((r) => setTimeout(r, 20)); // arrival times are in ms: keep the old records strictly earlier
    const first = source(name);
    await first.start('NOW');
    expect(await drain(first)).toEqual([]);
    const checkpoints = first.checkpoints();
    expect(checkpoints.map((c) => c.sequenceNumber)).toEqual(['AT_TIMESTAMP', 'AT_TIMESTAMP']);
    await first.close();
    await putRecordsWithRetry(emulator.client, name, records(10, 4, 10));
    const second = source(name);
    await second.start('LAST_STOPPED_POINT', checkpoints);
    const got = await readCount(second, 10);
    expect(await drain(second)).toEqual([]);
    await second.close();
    expect(got.map(index).sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => 10 + i));
  });

  it('keeps reading while ListShards is throttled, and finds the children of a split once it answers', async () => {
    const name = await newStream(1);
    const client = createKinesisClient({ ...emulator.clientOptions, maxAttempts: 1 });
    const src = source(name, { client });
    await src.start('TRIM_HORIZON');
    await putRecordsWithRetry(emulator.client, name, records(20, 4));
    await emulator.client.send(new SplitShardCommand({ StreamName: name, ShardToSplit: 'shardId-000000000000', NewStartingHashKey: String(1n << 127n) }));
    await emulator.waitActive(name);
    await putRecordsWithRetry(emulator.client, name, records(20, 4, 20));
    const throttle = throttleCommand(client, 'ListShardsCommand', 3);
    const got = await readCount(src, 40);
    await src.close();
    client.destroy();
    expect(throttle.count).toBe(3);
    expect(src.retries).toBeGreaterThanOrEqual(3);
    expect(got.map(index).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(src.shardStatus().map((s) => s.status)).toEqual(['finished', 'reading', 'reading']);
  });

  it('fails loudly for a stream that does not exist', async () => {
    const src = source('no-such-stream');
    await expect(src.start('TRIM_HORIZON')).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await src.close();
  });
});

describe('putRecordsWithRetry against kinesalite', () => {
  it('retries only the failed entries until all are written once, in order per partition key', async () => {
    const name = await newStream(3);
    const client = createKinesisClient({ ...emulator.clientOptions });
    // The first three requests fail every entry whose first data byte is odd.
    const faults = failPutRecordsEntries(client, (entry, call) => call <= 3 && ((entry.Data as Uint8Array)[0] & 1) === 1);
    const input = records(700, 30);
    const result = await putRecordsWithRetry(client, name, input, { strictOrdering: true, backoffBaseMs: 1, backoffMaxMs: 5 });
    client.destroy();
    expect(faults.count).toBeGreaterThan(0);
    expect(result.retriedEntries).toBe(faults.count);
    const src = source(name);
    await src.start('TRIM_HORIZON');
    const got = await readCount(src, 700);
    expect(await drain(src)).toEqual([]);
    await src.close();
    expect(got.map(index).sort((a, b) => a - b)).toEqual(Array.from({ length: 700 }, (_, i) => i));
    const byKey = new Map<string, number[]>();
    for (const r of got) byKey.set(r.partitionKey, [...(byKey.get(r.partitionKey) ?? []), index(r)]);
    for (const order of byKey.values()) expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(result.records.map((r) => r.sequenceNumber)).toEqual(
      input.map((_, i) => got.find((g) => index(g) === i)?.sequenceNumber));
  });

  it('throws with the exact unwritten entries when attempts run out', async () => {
    const name = await newStream(1);
    const client = createKinesisClient({ ...emulator.clientOptions });
    failPutRecordsEntries(client, (entry) => Buffer.from(entry.Data as Uint8Array).toString('latin1').startsWith('3:'));
    const input = records(6, 2);
    const error = await putRecordsWithRetry(client, name, input, { maxAttempts: 3, backoffBaseMs: 1 }).catch((e: unknown) => e);
    client.destroy();
    expect(error).toBeInstanceOf(PutRecordsFailedError);
    expect((error as PutRecordsFailedError).failed).toEqual([
      { index: 3, errorCode: 'ProvisionedThroughputExceededException', errorMessage: 'Rate exceeded for shard (injected)' }]);
    const src = source(name);
    await src.start('TRIM_HORIZON');
    const got = await readCount(src, 5);
    await src.close();
    expect(got.map(index)).toEqual([0, 1, 2, 4, 5]);
    expect((error as PutRecordsFailedError).written.map((w) => w?.sequenceNumber)).toEqual(
      [0, 1, 2, -1, 4, 5].map((i) => got.find((g) => index(g) === i)?.sequenceNumber));
  });
});
