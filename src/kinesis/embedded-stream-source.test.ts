import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { EmbeddedStream } from './embedded-stream.js';
import { EmbeddedStreamSource } from './embedded-stream-source.js';
import type { ShardCheckpoint, SourceRecord, StreamSource } from './stream-source.js';

const text = (r: SourceRecord) => Buffer.from(r.data).toString('utf8');

/** Reads until a read comes back empty (the source is caught up). */
async function drain(source: StreamSource): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  for (;;) {
    const { records } = await source.read();
    if (records.length === 0) return out;
    out.push(...records);
  }
}

function put(stream: EmbeddedStream, keys: string[], from: number): number {
  stream.putRecords(keys.map((partitionKey, i) => ({ partitionKey, data: String(from + i) })));
  return from + keys.length;
}

describe('EmbeddedStreamSource', () => {
  it('TRIM_HORIZON reads every record, per shard in sequence order', async () => {
    const stream = new EmbeddedStream({ shardCount: 4 });
    put(stream, Array.from({ length: 200 }, (_, i) => `k${i}`), 0);
    const source = new EmbeddedStreamSource(stream, { pollMs: 5 });
    await source.start('TRIM_HORIZON');
    const records = await drain(source);
    expect(records.map(text).sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: 200 }, (_, i) => String(i)));
    for (const shard of stream.listShards()) {
      const seqs = records.filter((r) => r.shardId === shard.shardId).map((r) => BigInt(r.sequenceNumber));
      expect(seqs).toEqual([...seqs].sort((a, b) => (a < b ? -1 : 1)));
    }
  });

  it('NOW reads only records written after start, including those written before the first read', async () => {
    const stream = new EmbeddedStream({ shardCount: 2 });
    put(stream, ['a', 'b', 'c'], 0);
    const source = new EmbeddedStreamSource(stream, { pollMs: 5 });
    await source.start('NOW');
    put(stream, ['a', 'b', 'c'], 3);
    expect((await drain(source)).map(text).sort()).toEqual(['3', '4', '5']);
    put(stream, ['a', 'b', 'c'], 6);
    expect((await drain(source)).map(text).sort()).toEqual(['6', '7', '8']);
  });

  it('readers are independent: each sees every record, at its own pace', async () => {
    const stream = new EmbeddedStream({ shardCount: 3 });
    put(stream, Array.from({ length: 50 }, (_, i) => `k${i}`), 0);
    const fast = new EmbeddedStreamSource(stream, { pollMs: 5 });
    const slow = new EmbeddedStreamSource(stream, { pollMs: 5, maxRecordsPerShard: 1 });
    await fast.start('TRIM_HORIZON');
    await slow.start('TRIM_HORIZON');
    const first = await fast.read();
    expect(first.records.length).toBe(50);
    const slowFirst = await slow.read();
    expect(slowFirst.records.length).toBe(3); // one per shard
    put(stream, ['x'], 50);
    expect((await drain(fast)).map(text)).toEqual(['50']);
    const rest = await drain(slow);
    expect([...slowFirst.records, ...rest].map(text).sort()).toEqual([...first.records.map(text), '50'].sort());
  });

  it('wakes up as soon as a record is written instead of waiting out pollMs', { timeout: 4000 }, async () => {
    const stream = new EmbeddedStream();
    const source = new EmbeddedStreamSource(stream, { pollMs: 60_000 });
    await source.start('NOW');
    setTimeout(() => stream.putRecord({ partitionKey: 'a', data: 'late' }), 20);
    expect((await source.read()).records.map(text)).toEqual(['late']);
  });

  it('resumes from checkpoints without losing or repeating a record', async () => {
    const stream = new EmbeddedStream({ shardCount: 3 });
    let n = put(stream, Array.from({ length: 30 }, (_, i) => `k${i}`), 0);
    const first = new EmbeddedStreamSource(stream, { pollMs: 5, maxRecordsPerShard: 4 });
    await first.start('TRIM_HORIZON');
    const seen = (await first.read()).records;
    const checkpoints = first.checkpoints();
    await first.close();
    n = put(stream, Array.from({ length: 10 }, (_, i) => `j${i}`), n);
    const second = new EmbeddedStreamSource(stream, { pollMs: 5 });
    await second.start('LAST_STOPPED_POINT', JSON.parse(JSON.stringify(checkpoints)) as ShardCheckpoint[]);
    const all = [...seen, ...(await drain(second))].map(text);
    expect(all.sort()).toEqual(Array.from({ length: n }, (_, i) => String(i)).sort());
  });

  it('a shard started at NOW with nothing read yet resumes at the time it started', async () => {
    let now = 1000;
    const stream = new EmbeddedStream({ clock: () => now });
    stream.putRecord({ partitionKey: 'a', data: 'old' });
    now = 2000;
    const first = new EmbeddedStreamSource(stream, { pollMs: 5 });
    await first.start('NOW');
    expect(await drain(first)).toEqual([]);
    const checkpoints = first.checkpoints();
    expect(checkpoints).toEqual([{ shardId: 'shardId-000000000000', sequenceNumber: 'AT_TIMESTAMP', timestamp: 2000 }]);
    await first.close();
    now = 3000;
    stream.putRecord({ partitionKey: 'a', data: 'new' });
    const second = new EmbeddedStreamSource(stream, { pollMs: 5 });
    await second.start('LAST_STOPPED_POINT', checkpoints);
    expect((await drain(second)).map(text)).toEqual(['new']);
  });

  it('a checkpoint with a sub-sequence number reads that record again and says what to skip', async () => {
    const stream = new EmbeddedStream();
    const written = [0, 1, 2, 3].map((i) => stream.putRecord({ partitionKey: 'a', data: String(i) }));
    const source = new EmbeddedStreamSource(stream, { pollMs: 5 });
    await source.start('LAST_STOPPED_POINT', [{ shardId: written[1].shardId, sequenceNumber: written[1].sequenceNumber, subSequenceNumber: 4 }]);
    expect(source.checkpoints()).toEqual([{ shardId: written[1].shardId, sequenceNumber: written[1].sequenceNumber, subSequenceNumber: 4 }]);
    const records = await drain(source);
    expect(records.map(text)).toEqual(['1', '2', '3']);
    expect(records.map((r) => r.resumeAfterSubSequenceNumber)).toEqual([4, undefined, undefined]);
    expect(source.checkpoints()).toEqual([{ shardId: written[3].shardId, sequenceNumber: written[3].sequenceNumber }]);
  });

  it('follows a split: children are read only after the parent is exhausted', async () => {
    const stream = new EmbeddedStream({ shardCount: 1 });
    // Shards are listed on every read, so the children are known while the parent still has records.
    const source = new EmbeddedStreamSource(stream, { pollMs: 5, maxRecordsPerShard: 3, shardRefreshMs: 1 });
    await source.start('TRIM_HORIZON');
    let n = put(stream, Array.from({ length: 10 }, (_, i) => `k${i % 4}`), 0);
    const early = (await source.read()).records; // 3 of the parent's 10
    const [left, right] = stream.splitShard('shardId-000000000000', 1n << 127n);
    n = put(stream, Array.from({ length: 10 }, (_, i) => `k${i % 4}`), n);
    await new Promise((r) => setTimeout(r, 5)); // > shardRefreshMs: the next read lists the shards
    const next = await source.read();
    expect(source.shardStatus()).toEqual([
      { shardId: 'shardId-000000000000', status: 'reading' }, { shardId: left, status: 'waiting' }, { shardId: right, status: 'waiting' }]);
    const records = [...early, ...next.records, ...(await drain(source))];
    expect(records.map(text).sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: n }, (_, i) => String(i)));
    const lastParent = records.map((r) => r.shardId).lastIndexOf('shardId-000000000000');
    const firstChild = records.findIndex((r) => r.shardId === left || r.shardId === right);
    expect(lastParent).toBeLessThan(firstChild);
    expect(source.checkpoints().find((c) => c.shardId === 'shardId-000000000000')?.sequenceNumber).toBe('SHARD_END');
  });

  it('keeps every partition key in order and loses nothing across restarts, splits and merges', async () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('put' as const), keys: fc.array(fc.integer({ min: 0, max: 7 }), { minLength: 1, maxLength: 12 }) }),
      fc.record({ kind: fc.constant('read' as const) }),
      fc.record({ kind: fc.constant('restart' as const) }),
      fc.record({ kind: fc.constant('split' as const), pick: fc.nat(), at: fc.double({ min: 0.05, max: 0.95, noNaN: true }) }),
      fc.record({ kind: fc.constant('merge' as const), pick: fc.nat() }),
    );
    await fc.assert(fc.asyncProperty(fc.integer({ min: 1, max: 3 }), fc.array(op, { maxLength: 25 }), fc.integer({ min: 1, max: 5 }),
      async (shardCount, ops, batch) => {
        const stream = new EmbeddedStream({ shardCount });
        let source = new EmbeddedStreamSource(stream, { pollMs: 1, maxRecordsPerShard: batch });
        await source.start('TRIM_HORIZON');
        const delivered: SourceRecord[] = [];
        let n = 0;
        for (const o of ops) {
          if (o.kind === 'put') n = put(stream, o.keys.map((k) => `key${k}`), n);
          else if (o.kind === 'read') delivered.push(...(await source.read()).records);
          else if (o.kind === 'restart') {
            const checkpoints = source.checkpoints();
            await source.close();
            source = new EmbeddedStreamSource(stream, { pollMs: 1, maxRecordsPerShard: batch });
            await source.start('LAST_STOPPED_POINT', checkpoints);
          } else {
            const open = stream.listShards().filter((s) => s.endingSequenceNumber === undefined);
            const shard = open[o.pick % open.length];
            if (o.kind === 'split') {
              const width = shard.hashKeyRange.end - shard.hashKeyRange.start;
              if (width < 2n) continue;
              const at = shard.hashKeyRange.start + 1n + (width - 1n) * BigInt(Math.floor(o.at * 1000)) / 1000n;
              stream.splitShard(shard.shardId, at);
            } else {
              const neighbour = open.find((s) => s.hashKeyRange.start === shard.hashKeyRange.end + 1n);
              if (neighbour) stream.mergeShards(shard.shardId, neighbour.shardId);
            }
          }
        }
        delivered.push(...(await drain(source)));
        const values = delivered.map((r) => Number(text(r)));
        expect([...values].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
        const byKey = new Map<string, number[]>();
        for (const r of delivered) byKey.set(r.partitionKey, [...(byKey.get(r.partitionKey) ?? []), Number(text(r))]);
        for (const seq of byKey.values()) expect(seq).toEqual([...seq].sort((a, b) => a - b));
      }), { numRuns: 150 });
  });

  it('tells the hash-key range of each shard it knows, for de-aggregation', async () => {
    const stream = new EmbeddedStream({ shardCount: 2 });
    const source = new EmbeddedStreamSource(stream);
    await source.start('TRIM_HORIZON');
    expect(source.shardHashKeyRange('shardId-000000000001')).toEqual(stream.listShards()[1].hashKeyRange);
    expect(source.shardHashKeyRange('shardId-000000000007')).toBeUndefined();
  });

  it('reports millisBehindLatest of the furthest-behind shard', async () => {
    let now = 0;
    const stream = new EmbeddedStream({ shardCount: 1, clock: () => now });
    for (let i = 0; i < 5; i++) { now = i * 100; stream.putRecord({ partitionKey: 'a', data: String(i) }); }
    now = 1000;
    const source = new EmbeddedStreamSource(stream, { pollMs: 5, maxRecordsPerShard: 2 });
    await source.start('TRIM_HORIZON');
    expect((await source.read()).millisBehindLatest).toBe(800);
    await drain(source);
    expect((await source.read()).millisBehindLatest).toBe(0);
  });

  it('refuses overlapping reads', async () => {
    const source = new EmbeddedStreamSource(new EmbeddedStream(), { pollMs: 20 });
    await source.start('NOW');
    const first = source.read();
    await expect(source.read()).rejects.toThrow(/another read\(\) is pending/);
    await first;
    await expect(source.read()).resolves.toMatchObject({ records: [] });
  });

  it('rejects malformed checkpoints, naming the field', async () => {
    const source = new EmbeddedStreamSource(new EmbeddedStream());
    await expect(source.start('LAST_STOPPED_POINT', [{ shardId: 'shardId-000000000000', sequenceNumber: '12x' }]))
      .rejects.toThrow(ConfigError);
    await expect(new EmbeddedStreamSource(new EmbeddedStream()).start('LAST_STOPPED_POINT', [{ shardId: 's', sequenceNumber: 'AT_TIMESTAMP' }]))
      .rejects.toThrow(/checkpoints\[0\]\.timestamp/);
  });
});
