// The embedded stream under a producer far faster than its reader commits: the stream's retained bytes stay under
// its cap, the producer waits for room (it is throttled, it does not fail), and the reader still gets every record
// the producer wrote, in order, exactly once.
import { describe, expect, it } from 'vitest';
import { deaggregate } from '../../kpl/index.js';
import { EmbeddedStream, EmbeddedStreamSource, StreamFullError } from '../../kinesis/index.js';
import { EmbeddedTarget } from './producer-targets.js';
import { TickerProducer } from './ticker-producer.js';

describe('embedded stream backpressure', () => {
  it('a producer at a high rate is throttled by the cap; retained bytes stay under it; nothing is lost or duplicated', async () => {
    const cap = 1024 * 1024;
    const stream = new EmbeddedStream({ shardCount: 2, maxRetainedBytes: cap, limits: { maxPutRecordsBytes: 128 * 1024 } });
    const source = new EmbeddedStreamSource(stream, { pollMs: 20 });
    await source.start('TRIM_HORIZON');
    const target = new EmbeddedTarget(stream);
    // Asked for 100 000 user records/s (about 10 MB/s) for 4 s, against a reader that commits every 1.5 s: even a
    // loaded machine producing a tenth of that fills the 1 MiB cap between two commits.
    const producer = new TickerProducer(target, { recordsPerSecond: 100_000, seed: 9 });
    const stop = new AbortController();
    let maxRetained = 0;
    const sampler = setInterval(() => (maxRetained = Math.max(maxRetained, stream.retainedBytes)), 5);
    const producing = producer.run({ signal: stop.signal, durationMs: 4000 });

    let userRecords = 0;
    const lastSequence = new Map<string, bigint>();
    let lastCommit = Date.now();
    let producerDone = false;
    void producing.finally(() => (producerDone = true));
    for (;;) {
      const { records } = await source.read();
      for (const r of records) {
        const seq = BigInt(r.sequenceNumber);
        expect(seq > (lastSequence.get(r.shardId) ?? -1n)).toBe(true);
        lastSequence.set(r.shardId, seq);
        userRecords += deaggregate({ data: r.data, partitionKey: r.partitionKey }).length;
      }
      maxRetained = Math.max(maxRetained, stream.retainedBytes);
      if (Date.now() - lastCommit >= 1500) {
        source.committed(source.checkpoints());
        lastCommit = Date.now();
      }
      if (producerDone && records.length === 0) break;
    }
    await producing;
    clearInterval(sampler);
    await source.close();

    expect(maxRetained).toBeLessThanOrEqual(cap);
    expect(maxRetained).toBeGreaterThan(cap / 2);
    expect(target.throttledMs).toBeGreaterThan(500);
    // Throttled: far fewer records than the 400 000 asked for (the stream takes about 1 MiB per commit).
    expect(producer.userRecords).toBeLessThan(200_000);
    expect(userRecords).toBe(producer.userRecords);
    expect(userRecords).toBeGreaterThan(10_000);
  }, 30_000);

  it('a full stream refuses a write whole (StreamFullError) and waitForSpace resolves once readers release', async () => {
    const stream = new EmbeddedStream({ maxRetainedBytes: 1000, limits: { maxPutRecordsBytes: 500 } });
    const source = new EmbeddedStreamSource(stream, { pollMs: 10 });
    await source.start('TRIM_HORIZON');
    const record = { partitionKey: 'k', data: Buffer.alloc(99) }; // 100 bytes with its key
    for (let i = 0; i < 10; i++) stream.putRecord(record);
    expect(stream.retainedBytes).toBe(1000);
    expect(() => stream.putRecords([record, record])).toThrow(StreamFullError);
    expect(stream.retainedBytes).toBe(1000);
    let space = false;
    const waiting = stream.waitForSpace(200).then(() => (space = true));
    const { records } = await source.read();
    expect(records).toHaveLength(10);
    await Promise.resolve();
    expect(space).toBe(false); // read, but not committed: kept
    source.committed(source.checkpoints());
    await waiting;
    expect(stream.retainedBytes).toBe(0);
    stream.putRecords([record, record]);
    expect(stream.retainedBytes).toBe(200);
    await source.close();
  });

  it('with no reader registered the cap drops the oldest records instead of refusing', () => {
    const stream = new EmbeddedStream({ maxRetainedBytes: 1000, limits: { maxPutRecordsBytes: 500 } });
    for (let i = 0; i < 25; i++) stream.putRecord({ partitionKey: 'k', data: Buffer.alloc(99) });
    expect(stream.retainedBytes).toBe(1000);
    const iterator = stream.getShardIterator('shardId-000000000000', { type: 'TRIM_HORIZON' });
    expect(stream.getRecords(iterator).records[0].sequenceNumber.endsWith('15')).toBe(true);
  });

  it('the producer splits requests by bytes as well as by count (5 MiB), and a failing target rejects its run', async () => {
    const stream = new EmbeddedStream({ shardCount: 1 });
    const sizes: number[] = [];
    const put = stream.putRecords.bind(stream);
    stream.putRecords = (records) => {
      sizes.push(records.reduce((n, r) => n + Buffer.byteLength(r.data as Uint8Array) + r.partitionKey.length, 0));
      return put(records);
    };
    const target = new EmbeddedTarget(stream);
    const big = Array.from({ length: 300 }, (_, i) => ({ partitionKey: `k${i}`, data: Buffer.alloc(50_000), userRecordCount: 1 }));
    await target.put(big);
    expect(sizes.length).toBeGreaterThanOrEqual(3);
    for (const s of sizes) expect(s).toBeLessThanOrEqual(5 * 1024 * 1024);

    const failing = new TickerProducer({ put: async () => { throw new StreamFullError('x', 1, 1, 1); } }, { recordsPerSecond: 1000 });
    await expect(failing.run({ durationMs: 200 })).rejects.toThrow(StreamFullError);
  });
});
