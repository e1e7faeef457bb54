import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExecutionError } from '../errors.js';
import type { ReadResult, ShardCheckpoint, SourceRecord, StartingPosition, StreamSource } from '../kinesis/index.js';
import type { OutputRow } from '../sinks/index.js';
import { buildApplication } from './application-runtime.js';
import { createPreprocessStage, type PreprocessStage } from './preprocess/preprocess-stage.js';
import { RunMetrics } from './run-metrics.js';
import { ShardLoop, estimatedJsonLength, type DeliveryResult, type DeliveryTarget, type LoopRecord, type LoopSource, type LoopState, type ShardLoopOptions, type StateStore } from './shard-loop.js';

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
  async deliver(rows: readonly OutputRow[], epoch: number): Promise<void | DeliveryResult> {
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

/** A store shared by writers: a save must follow the stored epoch (a versioned, conditional commit). */
class VersionedStore extends MemoryStore {
  delivered: number[] = [];
  override save(epoch: number, state: LoopState): void {
    const at = this.load()?.epoch ?? 0;
    if (epoch !== at + 1) throw new ExecutionError('STATE_CONFLICT', `stored epoch is ${at}, not ${epoch - 1}`);
    super.save(epoch, state);
  }
  markDelivered(epoch: number): void {
    this.delivered.push(epoch);
  }
}

/** Refuses the first `refuse` rows it is given (a destination with per-entry failures, such as Firehose). */
class Partial extends Collect {
  refuse = 0;
  override async deliver(rows: readonly OutputRow[], epoch: number): Promise<DeliveryResult> {
    const refused = rows.slice(0, this.refuse);
    this.refuse -= refused.length;
    await super.deliver(rows.slice(refused.length), epoch);
    return { undelivered: refused };
  }
}

async function pass(source: LoopSource, target: Collect, store: StateStore, stage?: PreprocessStage, end: ShardLoopOptions['endOfInput'] = 'keep') {
  const clock = { now: T0 };
  const l = new ShardLoop(buildApplication(spec, { clock: () => clock.now }), source, stage ?? (await createPreprocessStage({ type: 'none' })), target, new RunMetrics(0), {
    application: 'test',
    startingPosition: 'TRIM_HORIZON',
    commitIntervalMs: Number.POSITIVE_INFINITY,
    commitBytes: Number.POSITIVE_INFINITY,
    firstCommitAfterMs: Number.POSITIVE_INFINITY,
    clock: () => clock.now,
    endOfInput: end,
    restoredRows: 'carry',
    commitWhenUnchanged: false,
  }, store);
  await l.recover();
  return l;
}

describe('ShardLoop over a shared store and a partial target (the Lambda host)', () => {
  const closing = [record(1, 'A', T0 + 1000), record(2, 'B', T0 + 2000), record(3, 'A', T0 + 12_000)];

  it('saves nothing and delivers nothing when another writer committed first', async () => {
    const store = new VersionedStore();
    const target = new Collect();
    const l = await pass(new BatchSource([closing], true), target, store);
    // Another writer commits epoch 1 after this pass loaded (nothing) and before it commits.
    store.saved.push({ epoch: 1, state: { positions: [], rows: [] } });
    await expect(l.run()).rejects.toThrow('stored epoch is 1, not 0');
    expect(target.rows).toEqual([]);
    expect(store.saved).toHaveLength(1);
  });

  it('commits the rows the target refused again as the only pending rows, and delivers them after the next commit', async () => {
    const store = new VersionedStore();
    const target = new Partial();
    target.refuse = 1;
    await (await pass(new BatchSource([closing], true), target, store)).run();
    // Epoch 1 held both closed windows; A:1 was refused, so epoch 2 holds only it and epoch 1 is not marked.
    expect(counts(target.rows)).toEqual(['B:1']);
    expect(store.saved.map((s) => [s.epoch, counts(s.state.rows)])).toEqual([[1, ['A:1', 'B:1']], [2, ['A:1']]]);
    expect(store.delivered).toEqual([]);
    // The next pass (nothing new): no commit; the carried row goes out under epoch 2, which is then marked.
    await (await pass(new BatchSource([closing], true), target, store)).run();
    expect(counts(target.rows)).toEqual(['B:1', 'A:1']);
    expect(store.saved).toHaveLength(2);
    expect(store.delivered).toEqual([2]);
  });

  it('carries restored rows into the next commit when records come, so only the committing writer delivers them', async () => {
    const store = new VersionedStore();
    store.saved.push({ epoch: 1, state: { positions: [], rows: [{ stream: 'OUT', row: { T: 'Z', N: 9 }, rowtime: T0 }] } });
    const target = new Collect();
    await (await pass(new BatchSource([closing], true), target, store)).run();
    expect(target.epochs).toEqual([2]);
    expect(counts(target.rows)).toEqual(['Z:9', 'A:1', 'B:1']);
    // The open window [10 s, 20 s) stays in the state (end of input 'keep').
    expect(counts(store.saved[1].state.rows)).toEqual(['Z:9', 'A:1', 'B:1']);
    expect(store.delivered).toEqual([2]);
  });

  it('stops at a deadline and commits what it took in; the source says where it stopped', async () => {
    const store = new VersionedStore();
    const source = new BatchSource([[closing[0]], [closing[1]], [closing[2]]], true);
    let checks = 0;
    const l = await pass(source, new Collect(), store);
    expect(await l.run({ deadline: () => ++checks > 2 })).toBe('deadline');
    expect(store.saved.map((s) => s.state.positions[0].sequenceNumber)).toEqual(['2']);
  });

  it('puts back the records a stage could not preprocess, and commits positions before them', async () => {
    const store = new VersionedStore();
    const source = new UnreadSource([closing], true);
    // A stage whose service answers for the first record only.
    const stage: PreprocessStage = {
      userRecords: 0,
      async process(records, sink) {
        sink.payload(records[0].data, records[0]);
        return { stoppedAt: 1, reason: 'unreachable' };
      },
    };
    const l = await pass(source, new Collect(), store, stage);
    expect(await l.run()).toBe('preprocessor');
    expect(source.putBack.map((r) => r.sequenceNumber)).toEqual(['2', '3']);
    expect(store.saved.map((s) => s.state.positions[0].sequenceNumber)).toEqual(['1']);
  });
});

/** A BatchSource that can give records back. */
class UnreadSource extends BatchSource implements LoopSource {
  putBack: SourceRecord[] = [];
  private position = 0;
  override async read(): Promise<ReadResult> {
    const r = await super.read();
    if (r.records.length > 0) this.position = Number(r.records[r.records.length - 1].sequenceNumber);
    return r;
  }
  unread(records: readonly SourceRecord[]): void {
    this.putBack.push(...records);
    this.position = Number(records[0].sequenceNumber) - 1;
  }
  override checkpoints(): ShardCheckpoint[] {
    return [{ shardId: 's-0', sequenceNumber: String(this.position) }];
  }
}

describe('estimatedJsonLength', () => {
  it('is close to the length of the row written as JSON for the value types rows hold', () => {
    const value = fc.oneof(fc.string({ maxLength: 40 }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }));
    fc.assert(fc.property(fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }).filter((k) => /^[A-Z_]+$/i.test(k)), value, { maxKeys: 8 }), (row) => {
      const exact = JSON.stringify(row).length;
      const numbers = Object.values(row).filter((v) => typeof v === 'number').length;
      // Numbers count a typical 12 characters (a double may take up to 24); strings count no escapes.
      const slack = 16 + 0.15 * exact + 12 * numbers + Object.values(row).filter((v) => typeof v === 'string').reduce((s, v) => s + (JSON.stringify(v).length - (v as string).length - 2), 0);
      expect(Math.abs(estimatedJsonLength(row) - exact)).toBeLessThanOrEqual(slack);
    }));
  });
});
