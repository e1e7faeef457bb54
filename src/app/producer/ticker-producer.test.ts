import { describe, expect, it } from 'vitest';
import { deaggregate, type AggregatedRecord } from '../../kpl/index.js';
import { TickerProducer } from './ticker-producer.js';

function fakeTime() {
  let now = 1_000_000;
  return { clock: () => now, sleep: async (ms: number) => void (now += ms) };
}

describe('TickerProducer', () => {
  it('produces exactly maxRecords user records, aggregated per shard, all recoverable', async () => {
    const put: AggregatedRecord[] = [];
    const t = fakeTime();
    const p = new TickerProducer(
      { put: async (r) => void put.push(...r), shardOf: (pk) => (pk < 'M' ? 'a' : 'b') },
      { recordsPerSecond: 2000, seed: 3, ...t },
    );
    await p.run({ maxRecords: 5000 });
    expect(p.userRecords).toBe(5000);
    const users = put.flatMap((r) => deaggregate({ data: r.data, partitionKey: r.partitionKey }));
    expect(users).toHaveLength(5000);
    // Each aggregate holds records of one shard only.
    for (const r of put) {
      const shards = new Set(deaggregate({ data: r.data, partitionKey: r.partitionKey }).map((u) => (u.partitionKey < 'M' ? 'a' : 'b')));
      expect(shards.size).toBe(1);
    }
    expect(JSON.parse(Buffer.from(users[0].data).toString())).toHaveProperty('TICKER_SYMBOL');
    expect(put.length).toBeLessThan(5000 / 10);
  });
  it('after its target held it back, catches up at most one second of its schedule', async () => {
    let now = 1_000_000;
    let puts = 0;
    const sizes: number[] = [];
    // The third put waits 5 s (a full stream); the others return at once.
    const p = new TickerProducer(
      { put: async (r) => { sizes.push(r.length); if (++puts === 3) now += 5000; } },
      { recordsPerSecond: 1000, aggregate: false, clock: () => now, sleep: async (ms) => void (now += ms) },
    );
    await p.run({ durationMs: 6000 });
    expect(Math.max(...sizes)).toBeLessThanOrEqual(1000);
    expect(p.skippedRecords).toBeGreaterThanOrEqual(3900);
    expect(p.userRecords + p.skippedRecords).toBeGreaterThanOrEqual(5950);
    expect(p.userRecords + p.skippedRecords).toBeLessThanOrEqual(6050);
  });
  it('holds the rate: about rate x duration records', async () => {
    const t = fakeTime();
    let n = 0;
    const p = new TickerProducer({ put: async (r) => void (n += r.length) }, { recordsPerSecond: 500, aggregate: false, ...t });
    await p.run({ durationMs: 4000 });
    expect(p.userRecords).toBeGreaterThanOrEqual(1950);
    expect(p.userRecords).toBeLessThanOrEqual(2050);
    expect(n).toBe(p.userRecords);
  });
});
