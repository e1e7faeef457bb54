import { describe, expect, it } from 'vitest';
import type { ReadResult, ShardCheckpoint, StartingPosition, StreamSource } from '../kinesis/index.js';
import type { OutputRow } from '../sinks/index.js';
import { buildApplication } from './application-runtime.js';
import { createPreprocessStage } from './preprocess/preprocess-stage.js';
import { RunMetrics } from './run-metrics.js';
import { ShardLoop, type DeliveryTarget, type LoopRecord, type LoopState, type StateStore } from './shard-loop.js';

const SQL = `CREATE OR REPLACE STREAM "OUT" (T VARCHAR(4), N INTEGER);
CREATE OR REPLACE PUMP "P" AS INSERT INTO "OUT" SELECT STREAM T, COUNT(*) FROM "SOURCE_SQL_STREAM_001"
  GROUP BY T, STEP("SOURCE_SQL_STREAM_001".ROWTIME BY INTERVAL '10' SECOND);`;
const spec = { sql: SQL, input: { format: 'JSON' as const, namePrefix: 'SOURCE_SQL_STREAM', columns: [{ name: 'T', sqlType: 'VARCHAR(4)', mapping: '$.T' }] } };
const T0 = Date.parse('2026-01-01T00:00:00Z');

const record = (i: number, t: string, at: number): LoopRecord => ({
  shardId: 's-0',
  sequenceNumber: String(i),
  partitionKey: t,
  data: Buffer.from(JSON.stringify({ T: t })),
  approximateArrivalTimestamp: at,
});

/** One shard of batches; resumes after the saved sequence number; `done` after the last batch when finite. */
class BatchSource implements StreamSource {
  private next = 0;
  private after = 0;
  constructor(private readonly batches: LoopRecord[][], private readonly finite: boolean) {}
  async start(_p: StartingPosition, checkpoints?: ShardCheckpoint[]): Promise<void> {
    this.after = Number(checkpoints?.[0]?.sequenceNumber ?? 0);
  }
  async read(): Promise<ReadResult> {
    const batch = (this.batches[this.next++] ?? []).filter((r) => Number(r.sequenceNumber) > this.after);
    if (batch.length > 0) this.after = Number(batch[batch.length - 1].sequenceNumber);
    return { records: batch, done: this.finite && this.next >= this.batches.length, millisBehindLatest: 0 };
  }
  checkpoints(): ShardCheckpoint[] {
    return [{ shardId: 's-0', sequenceNumber: String(this.after) }];
  }
  async close(): Promise<void> {}
}

class MemoryStore implements StateStore {
  saved: { epoch: number; state: LoopState }[] = [];
  readonly location = 'memory';
  load() {
    return this.saved[this.saved.length - 1];
  }
  save(epoch: number, state: LoopState): void {
    this.saved.push({ epoch, state: JSON.parse(JSON.stringify(state)) as LoopState });
  }
}

class Collect implements DeliveryTarget {
  rows: OutputRow[] = [];
  epochs: number[] = [];
  accepts(stream: string) {
    return stream === 'OUT';
  }
  async deliver(rows: readonly OutputRow[], epoch: number) {
    this.rows.push(...rows);
    this.epochs.push(epoch);
  }
  async close() {}
}

async function loop(source: StreamSource, target: Collect, store: StateStore | undefined, clock: { now: number }, log: string[] = []) {
  return new ShardLoop(buildApplication(spec, { clock: () => clock.now }), source, await createPreprocessStage({ type: 'none' }), target, new RunMetrics(0), {
    application: 'test',
    startingPosition: 'TRIM_HORIZON',
    commitIntervalMs: 10_000,
    commitBytes: Number.POSITIVE_INFINITY,
    clock: () => clock.now,
    log: (l) => log.push(l),
  }, store);
}

const counts = (rows: readonly OutputRow[]) => rows.map((r) => `${r.row.T}:${r.row.N}`);

describe('ShardLoop', () => {
  it('commits early after the first records when it keeps state, then at the commit interval', async () => {
    const clock = { now: T0 };
    const store = new MemoryStore();
    const batches = [[record(1, 'A', T0 + 1000)], [record(2, 'A', T0 + 2000)], [record(3, 'A', T0 + 3000)]];
    const source = new BatchSource(batches, false);
    const l = await loop(source, new Collect(), store, clock);
    const stop = new AbortController();
    let reads = 0;
    const read = source.read.bind(source);
    source.read = async () => {
      clock.now += 100;
      if (++reads === 4) stop.abort();
      return read();
    };
    await l.run({ signal: stop.signal });
    // Epoch 1 right after the first batch, no commit for the next two (the interval is 10 s), epoch 2 at the stop.
    expect(store.saved.map((s) => [s.epoch, s.state.positions[0].sequenceNumber])).toEqual([[1, '1'], [2, '3']]);
  });

  it('a graceful stop without a state store closes the open windows; with one it keeps them and the resumed run completes them', async () => {
    const batches = [[record(1, 'A', T0 + 1000), record(2, 'B', T0 + 2000), record(3, 'A', T0 + 12_000)], [record(4, 'A', T0 + 14_000)]];
    // Uninterrupted: end of input closes every window.
    const all = new Collect();
    await (await loop(new BatchSource(batches, true), all, undefined, { now: T0 })).run();
    expect(counts(all.rows)).toEqual(['A:1', 'B:1', 'A:2']);

    // Stopped after the first batch, no store: the open window [10 s, 20 s) is emitted with what it has.
    const fresh = new Collect();
    const log: string[] = [];
    await (await loop(new BatchSource(batches, false), fresh, undefined, { now: T0 }, log)).run({ maxRecords: 3 });
    expect(counts(fresh.rows)).toEqual(['A:1', 'B:1', 'A:1']);
    expect(log.join('\n')).toContain('open windows were closed');

    // Stopped after the first batch with a store: only closed windows are delivered; the resumed run completes.
    const store = new MemoryStore();
    const kept = new Collect();
    const keptLog: string[] = [];
    await (await loop(new BatchSource(batches, true), kept, store, { now: T0 }, keptLog)).run({ maxRecords: 3 });
    expect(counts(kept.rows)).toEqual(['A:1', 'B:1']);
    expect(keptLog.join('\n')).toContain('open windows are kept in the checkpoint');
    const resumed = await loop(new BatchSource(batches, true), kept, store, { now: T0 });
    expect(await resumed.recover()).toBe(store.saved[store.saved.length - 1].epoch);
    await resumed.run();
    // recover() delivered the last epoch's rows again (none: the stop's commit held no rows), then the rest.
    expect(counts(kept.rows)).toEqual(counts(all.rows));
  });

  it('numbers its epochs after a given start when there is no state to restore', async () => {
    const target = new Collect();
    const l = await loop(new BatchSource([[record(1, 'A', T0 + 1000)]], true), target, new MemoryStore(), { now: T0 });
    expect(await l.recover(41)).toBeUndefined();
    await l.run();
    expect(Math.min(...target.epochs)).toBe(42);
  });
});
