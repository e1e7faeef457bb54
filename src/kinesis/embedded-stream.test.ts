import { describe, expect, it } from 'vitest';
import { EmbeddedStream } from './embedded-stream.js';
import { KinesisResourceError } from './kinesis-errors.js';
import { compareSequenceNumbers } from './sequence-number.js';
import { MAX_HASH_KEY } from './hash-key.js';

const text = (data: Uint8Array) => Buffer.from(data).toString('utf8');

function readAll(stream: EmbeddedStream, shardId: string) {
  return stream.getRecords(stream.getShardIterator(shardId, { type: 'TRIM_HORIZON' }), 10_000).records;
}

describe('EmbeddedStream', () => {
  it('names shards as Kinesis does and describes their ranges', () => {
    const shards = new EmbeddedStream({ shardCount: 3 }).listShards();
    expect(shards.map((s) => s.shardId)).toEqual(['shardId-000000000000', 'shardId-000000000001', 'shardId-000000000002']);
    expect(shards[2].hashKeyRange.end).toBe(MAX_HASH_KEY);
    expect(shards.every((s) => s.endingSequenceNumber === undefined)).toBe(true);
  });

  it('gives increasing decimal sequence numbers within each shard', () => {
    const stream = new EmbeddedStream({ shardCount: 4 });
    const last = new Map<string, string>();
    for (let i = 0; i < 400; i++) {
      const { shardId, sequenceNumber } = stream.putRecord({ partitionKey: `k${i % 37}`, data: String(i) });
      expect(sequenceNumber).toMatch(/^[0-9]+$/);
      const previous = last.get(shardId);
      if (previous) expect(compareSequenceNumbers(previous, sequenceNumber)).toBeLessThan(0);
      last.set(shardId, sequenceNumber);
    }
    for (const shard of stream.listShards()) {
      const records = readAll(stream, shard.shardId);
      for (let i = 1; i < records.length; i++) expect(compareSequenceNumbers(records[i - 1].sequenceNumber, records[i].sequenceNumber)).toBe(-1);
    }
  });

  it('keeps the records of a partition key in write order', () => {
    const stream = new EmbeddedStream({ shardCount: 3 });
    stream.putRecords(Array.from({ length: 300 }, (_, i) => ({ partitionKey: `k${i % 10}`, data: String(i) })));
    for (const shard of stream.listShards()) {
      const byKey = new Map<string, number[]>();
      for (const r of readAll(stream, shard.shardId)) byKey.set(r.partitionKey, [...(byKey.get(r.partitionKey) ?? []), Number(text(r.data))]);
      for (const values of byKey.values()) expect(values).toEqual([...values].sort((a, b) => a - b));
    }
  });

  it('stamps arrival times from the injected clock, never going back within a shard', () => {
    let now = 1_000;
    const stream = new EmbeddedStream({ clock: () => now });
    stream.putRecord({ partitionKey: 'a', data: '1' });
    now = 5_000;
    stream.putRecord({ partitionKey: 'a', data: '2' });
    now = 4_000; // the clock stepped back
    stream.putRecord({ partitionKey: 'a', data: '3' });
    expect(readAll(stream, 'shardId-000000000000').map((r) => r.approximateArrivalTimestamp)).toEqual([1_000, 5_000, 5_000]);
  });

  it('trims records older than the retention period, and iterators skip what was trimmed', () => {
    let now = 0;
    const stream = new EmbeddedStream({ clock: () => now, retentionMs: 1000 });
    for (let i = 0; i < 10; i++) { now = i * 100; stream.putRecord({ partitionKey: 'a', data: String(i) }); }
    const iterator = stream.getShardIterator('shardId-000000000000', { type: 'TRIM_HORIZON' });
    now = 1450; // records that arrived before 450 are gone
    expect(readAll(stream, 'shardId-000000000000').map((r) => text(r.data))).toEqual(['5', '6', '7', '8', '9']);
    expect(stream.getRecords(iterator).records.map((r) => text(r.data))).toEqual(['5', '6', '7', '8', '9']);
    now = 10_000;
    expect(readAll(stream, 'shardId-000000000000')).toEqual([]);
  });

  it('finds positions by sequence number and by timestamp', () => {
    let now = 0;
    const stream = new EmbeddedStream({ clock: () => now });
    const seqs = Array.from({ length: 5 }, (_, i) => { now = i * 10; return stream.putRecord({ partitionKey: 'a', data: String(i) }).sequenceNumber; });
    const from = (start: Parameters<EmbeddedStream['getShardIterator']>[1]) =>
      stream.getRecords(stream.getShardIterator('shardId-000000000000', start)).records.map((r) => text(r.data));
    expect(from({ type: 'AT_SEQUENCE_NUMBER', sequenceNumber: seqs[2] })).toEqual(['2', '3', '4']);
    expect(from({ type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: seqs[2] })).toEqual(['3', '4']);
    expect(from({ type: 'AT_TIMESTAMP', timestamp: 25 })).toEqual(['3', '4']);
    expect(from({ type: 'LATEST' })).toEqual([]);
  });

  it('reports how far a read is behind the newest record', () => {
    let now = 0;
    const stream = new EmbeddedStream({ clock: () => now });
    for (let i = 0; i < 4; i++) { now = i * 100; stream.putRecord({ partitionKey: 'a', data: String(i) }); }
    now = 1000;
    const first = stream.getRecords(stream.getShardIterator('0', { type: 'TRIM_HORIZON' }), 2);
    expect(first.millisBehindLatest).toBe(800); // the oldest unread record arrived at 200
    expect(stream.getRecords(first.nextIterator as string, 10).millisBehindLatest).toBe(0);
  });

  it('splits a shard: the parent closes, two children take its range and new writes', () => {
    const stream = new EmbeddedStream({ shardCount: 1 });
    stream.putRecord({ partitionKey: 'before', data: 'p' });
    const [left, right] = stream.splitShard('shardId-000000000000', 1n << 100n);
    const shards = stream.listShards();
    expect(shards.map((s) => [s.shardId, s.parentShardId])).toEqual([
      ['shardId-000000000000', undefined], [left, 'shardId-000000000000'], [right, 'shardId-000000000000']]);
    expect(shards[0].endingSequenceNumber).toBeDefined();
    expect(shards[1].hashKeyRange).toEqual({ start: 0n, end: (1n << 100n) - 1n });
    expect(stream.putRecord({ partitionKey: 'x', explicitHashKey: '5', data: 'c' }).shardId).toBe(left);
    expect(stream.putRecord({ partitionKey: 'x', explicitHashKey: String(1n << 100n), data: 'c' }).shardId).toBe(right);
    // The closed parent ends: its last read has no next iterator.
    expect(stream.getRecords(stream.getShardIterator('shardId-000000000000', { type: 'TRIM_HORIZON' })).nextIterator).toBeNull();
    expect(() => stream.splitShard('shardId-000000000000', 5n)).toThrow(KinesisResourceError);
    expect(() => stream.splitShard(left, 0n)).toThrow(/must lie in/);
  });

  it('merges two adjacent shards into one child with both as parents', () => {
    const stream = new EmbeddedStream({ shardCount: 3 });
    expect(() => stream.mergeShards('shardId-000000000000', 'shardId-000000000002')).toThrow(/adjacent/);
    const child = stream.mergeShards('shardId-000000000001', 'shardId-000000000002');
    const description = stream.listShards().find((s) => s.shardId === child);
    expect(description).toMatchObject({ parentShardId: 'shardId-000000000001', adjacentParentShardId: 'shardId-000000000002' });
    expect(description?.hashKeyRange.end).toBe(MAX_HASH_KEY);
    expect(stream.putRecord({ partitionKey: 'x', explicitHashKey: String(MAX_HASH_KEY), data: 'c' }).shardId).toBe(child);
  });

  it('forgets closed shards once they and their records are past retention', () => {
    let now = 0;
    const stream = new EmbeddedStream({ clock: () => now, retentionMs: 1000 });
    stream.putRecord({ partitionKey: 'a', data: '1' });
    stream.splitShard('shardId-000000000000', 1n << 127n);
    now = 500;
    expect(stream.listShards()).toHaveLength(3);
    now = 2000;
    expect(stream.listShards().map((s) => s.shardId)).toEqual(['shardId-000000000001', 'shardId-000000000002']);
  });

  it('fails for unknown shards and foreign iterators', () => {
    const stream = new EmbeddedStream();
    expect(() => stream.getShardIterator('shardId-000000000009', { type: 'LATEST' })).toThrow(/does not exist/);
    expect(() => stream.getRecords('AAAA')).toThrow(/not a shard iterator/);
  });
});
