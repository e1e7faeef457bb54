// The analytics handler with real-shaped event-source-mapping events (KPL aggregates from src/kpl's Aggregator),
// its state in dynalite (a DynamoDB implementation on 127.0.0.1), and an in-memory RowDelivery: no Firehose
// implementation runs locally, so delivery is the one thing replaced (FirehoseRowDelivery is tested on its own).
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERR, OUT, T0, byKey, harness as makeHarness, localRows, quietMetrics, silentLogger, tickerEnvironment, tickerSpecs } from '../../../test/support/analytics-harness.js';
import { type DynaliteServer, startDynalite } from '../../../test/support/dynalite-server.js';
import { ShardWriter, esmEvent, type RecordSpec } from '../../../test/support/kinesis-esm-events.js';
import { captureStdout } from '../../../test/fixtures/lambda/capture-stdout.js';
import { TickerGenerator } from '../../app/ticker/ticker-generator.js';
import { analyticsConfigFromEnvironment } from './analytics-config.js';
import { type AnalyticsHandlerOptions, createAnalyticsHandler } from './analytics-handler.js';

let db: DynaliteServer;
const harness = (env: Record<string, string> = {}, extra: Partial<AnalyticsHandlerOptions> = {}) => makeHarness(db, env, extra);

/** Trades per ticker among the user records of the specs whose arrival is in [from, to). */
function tradesPerTicker(specs: readonly RecordSpec[], from: number, to: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of specs) {
    if (s.kind !== 'aggregate' || s.arrivalMs < from || s.arrivalMs >= to) continue;
    for (const u of s.users) out[u.partitionKey] = (out[u.partitionKey] ?? 0) + 1;
  }
  return out;
}

describe('analytics handler (dynalite state, real-shaped events)', () => {
  beforeAll(async () => {
    db = await startDynalite();
  });
  afterAll(async () => {
    await db?.stop();
  });

  it('hands window state from call to call and emits the window when a later record closes it', async () => {
    const h = await harness();
    const shard = new ShardWriter('shardId-000000000000');
    const gen = new TickerGenerator({ seed: 7, tickers: 4 });
    // GIVEN three invocations inside the first window [T0, T0+10s)
    const windowSpecs = tickerSpecs(gen, 9, T0 + 100, 1000);
    for (let i = 0; i < 9; i += 3) {
      expect(await h.invoke(shard.records(windowSpecs.slice(i, i + 3)))).toEqual({ batchItemFailures: [] });
      // THEN no row yet: the window is open, and its state is in the table
      expect(h.delivery.rows()).toEqual([]);
    }
    const state = await h.store.load('sa-test-input/shardId-000000000000');
    expect(state?.version).toBe(3);
    // WHEN a record of the next window arrives
    const next = tickerSpecs(gen, 1, T0 + 10_500, 1000);
    await h.invoke(shard.records(next));
    // THEN the first window's rows come out, one per ticker, counting every trade of the three calls
    const rows = h.delivery.rows();
    const expected = tradesPerTicker(windowSpecs, T0, T0 + 10_000);
    expect(Object.fromEntries(rows.map((r) => [r.TICKER_SYMBOL, r.TRADE_COUNT]))).toEqual(expected);
    expect(Object.values(expected).reduce((a, b) => a + b, 0)).toBe(27);
    expect(byKey(rows)).toEqual(byKey(localRows([...windowSpecs, ...next], T0 + 10_500).rows));
  });

  it('closes the last window with a clock tick, once the shard has been idle for the grace period', async () => {
    const h = await harness({ CLOCK_TICK_GRACE_SECONDS: '30' });
    const shard = new ShardWriter('shardId-000000000000');
    const specs = tickerSpecs(new TickerGenerator({ seed: 3, tickers: 3 }), 5, T0 + 2000, 1500);
    h.clock.now = T0 + 9000;
    await h.invoke(shard.records(specs));
    // A tick soon after the records leaves the busy shard alone...
    expect(await h.tick(T0 + 20_000)).toMatchObject({ shards: 1, advanced: 0 });
    expect(h.delivery.rows()).toEqual([]);
    // ...and so does a tick whose time (now - grace) is still inside the window...
    expect(await h.tick(T0 + 39_000)).toMatchObject({ shards: 1, advanced: 0 });
    expect(h.delivery.rows()).toEqual([]);
    // ...and the first tick whose time passes the window's end closes it: the final call of the window.
    expect(await h.tick(T0 + 40_000)).toMatchObject({ shards: 1, advanced: 1, conflicts: 0 });
    expect(byKey(h.delivery.rows())).toEqual(byKey(localRows(specs, T0 + 10_000).rows));
    expect(h.delivery.rows()).toHaveLength(3);
    // Another tick has nothing more to say.
    await h.tick(T0 + 60_000);
    expect(h.delivery.rows()).toHaveLength(3);
  });

  it('gives no duplicate rows when the same batch comes again', async () => {
    const h = await harness();
    const shard = new ShardWriter('shardId-000000000000');
    const gen = new TickerGenerator({ seed: 11, tickers: 3 });
    const first = shard.records(tickerSpecs(gen, 4, T0 + 1000, 2000));
    const closing = shard.records(tickerSpecs(gen, 2, T0 + 12_000, 1000));
    await h.invoke(first);
    await h.invoke([...first.slice(2), ...closing]); // overlaps: the mapping retried from the third record
    const once = h.delivery.rows();
    expect(once.length).toBeGreaterThan(0);
    // WHEN the whole batch is retried after it succeeded (a duplicate invocation)
    const version = (await h.store.load('sa-test-input/shardId-000000000000'))?.version;
    expect(await h.invoke([...first, ...closing])).toEqual({ batchItemFailures: [] });
    // THEN nothing new is delivered and nothing is committed
    expect(h.delivery.rows()).toEqual(once);
    expect((await h.store.load('sa-test-input/shardId-000000000000'))?.version).toBe(version);
    expect(once.reduce((n, r) => n + (r.TRADE_COUNT as number), 0)).toBe(12);
  });

  it('delivers rows committed before a crash exactly once when the batch is retried', async () => {
    const h = await harness();
    const shard = new ShardWriter('shardId-000000000000');
    const gen = new TickerGenerator({ seed: 5, tickers: 3 });
    await h.invoke(shard.records(tickerSpecs(gen, 3, T0 + 1000, 1000)));
    const batch = shard.records(tickerSpecs(gen, 2, T0 + 15_000, 1000));
    // GIVEN the invocation dies after its commit, during delivery
    h.delivery.crash = true;
    await expect(h.invoke(batch)).rejects.toThrow('simulated crash');
    expect(h.delivery.rows()).toEqual([]);
    const pending = (await h.store.load('sa-test-input/shardId-000000000000'))?.pending;
    expect(pending?.[OUT]?.length).toBe(3);
    // WHEN Lambda retries the batch
    h.delivery.crash = false;
    expect(await h.invoke(batch)).toEqual({ batchItemFailures: [] });
    // THEN the window's rows arrive once, and a further retry adds nothing
    expect(h.delivery.rows()).toHaveLength(3);
    await h.invoke(batch);
    expect(h.delivery.rows()).toHaveLength(3);
    expect((await h.store.load('sa-test-input/shardId-000000000000'))?.pending).toEqual({});
  });

  it('keeps rows Firehose refused in the state and delivers only those with the next invocation', async () => {
    const h = await harness();
    const shard = new ShardWriter('shardId-000000000000');
    const gen = new TickerGenerator({ seed: 9, tickers: 4 });
    const specs = tickerSpecs(gen, 6, T0 + 500, 1500);
    await h.invoke(shard.records(specs));
    h.delivery.failLines = 2;
    const closing = tickerSpecs(gen, 1, T0 + 10_100, 1000);
    // The batch succeeds: its records are taken in; two rows wait in the state.
    expect(await h.invoke(shard.records(closing))).toEqual({ batchItemFailures: [] });
    const delivered = h.delivery.rows().length;
    expect((await h.store.load('sa-test-input/shardId-000000000000'))?.pending[OUT]).toHaveLength(2);
    // The next invocation (here a tick) delivers them, and nothing twice.
    await h.tick(T0 + 10_100 + 1000);
    const rows = h.delivery.rows();
    expect(rows.length).toBe(delivered + 2);
    expect(byKey(rows)).toEqual(byKey(localRows([...specs, ...closing], T0 + 10_100).rows));
  });

  it('drops a row no Firehose record can hold, counts it, and never retries it', async () => {
    const h = await harness({}, { logger: new Logger({ serviceName: 'ticker' }) });
    const shard = new ShardWriter('shardId-000000000000');
    const gen = new TickerGenerator({ seed: 43, tickers: 3 });
    const specs = [...tickerSpecs(gen, 4, T0 + 100, 1000), ...tickerSpecs(gen, 1, T0 + 10_100, 1000)];
    const victim = localRows(specs, T0 + 10_100).rows[0].TICKER_SYMBOL as string;
    h.delivery.tooBig = (line) => line.includes(`"TICKER_SYMBOL":"${victim}"`);
    const { output } = await captureStdout(async () => {
      await h.invoke(shard.records(specs));
    });
    expect(h.delivery.rows().map((r) => r.TICKER_SYMBOL)).not.toContain(victim);
    expect(h.delivery.rows()).toHaveLength(localRows(specs, T0 + 10_100).rows.length - 1);
    expect((await h.store.load('sa-test-input/shardId-000000000000'))?.pending).toEqual({});
    expect(output.logs('ERROR').map((l) => l.message)).toEqual(['rows too big for a Firehose record were dropped']);
    // The next invocation delivers nothing old again.
    const calls = h.delivery.calls.length;
    await captureStdout(() => h.tick(T0 + 15_000));
    expect(h.delivery.calls.length).toBe(calls);
  });

  it('reads plain records with DEAGGREGATION=none', async () => {
    const h = await harness({ DEAGGREGATION: 'none' });
    const gen = new TickerGenerator({ seed: 47, tickers: 3 });
    const plain = (arrivalMs: number): RecordSpec => {
      const t = gen.next(arrivalMs);
      return { kind: 'plain', user: { partitionKey: t.TICKER_SYMBOL, data: JSON.stringify(t) }, arrivalMs };
    };
    const specs = [plain(T0 + 100), plain(T0 + 200), plain(T0 + 5000), plain(T0 + 12_000)];
    expect(await h.invoke(new ShardWriter('shardId-000000000000').records(specs))).toEqual({ batchItemFailures: [] });
    expect(byKey(h.delivery.rows())).toEqual(byKey(localRows(specs, T0 + 12_000).rows));
    expect(h.delivery.rows().reduce((n, r) => n + (r.TRADE_COUNT as number), 0)).toBe(3);
  });

  it('starts windows afresh when the application changed, still delivering the rows the old one left pending', async () => {
    const shard = new ShardWriter('shardId-000000000000');
    const gen = new TickerGenerator({ seed: 53, tickers: 2 });
    const old = await harness();
    await old.invoke(shard.records(tickerSpecs(gen, 3, T0 + 100, 1000)));
    old.delivery.crash = true;
    await expect(old.invoke(shard.records(tickerSpecs(gen, 1, T0 + 10_500, 1000)))).rejects.toThrow('simulated crash');
    const left = (await old.store.load('sa-test-input/shardId-000000000000'))!;
    expect(left.pending[OUT]?.length).toBeGreaterThan(0);
    // GIVEN a redeployed function whose SQL differs (a comment is enough to change the fingerprint)
    const config = analyticsConfigFromEnvironment({ ...tickerEnvironment(old.store.tableName), APPLICATION_SQL: `${tickerEnvironment('x').APPLICATION_SQL}\n-- v2` });
    const delivery = old.delivery;
    delivery.crash = false;
    const next = createAnalyticsHandler({ config, store: old.store, delivery, clock: () => T0, logger: silentLogger(), metrics: quietMetrics() });
    const later = tickerSpecs(gen, 2, T0 + 11_000, 1000);
    await next(esmEvent(shard.records(later)));
    // THEN the old application's pending rows go out, and the new one's state holds only the new records
    expect(delivery.rows()).toHaveLength(left.pending[OUT].length);
    const state = (await old.store.load('sa-test-input/shardId-000000000000'))!;
    expect(state.fingerprint).toBe(config.fingerprint);
    expect(state.pending).toEqual({});
    await next(esmEvent(shard.records(tickerSpecs(gen, 1, T0 + 25_000, 1000))));
    const window2 = delivery.rows().filter((r) => r.ROWTIME === '2026-11-26 08:00:20.000');
    expect(window2.reduce((n, r) => n + (r.TRADE_COUNT as number), 0)).toBe(6);
  });

  it('sends poison records (corrupt aggregate, bad base64, bad JSON) to error_stream and never blocks the shard', async () => {
    const h = await harness();
    const shard = new ShardWriter('shardId-000000000000');
    const gen = new TickerGenerator({ seed: 13, tickers: 2 });
    const good = tickerSpecs(gen, 2, T0 + 1000, 1000);
    const aggregate = shard.records([good[0]])[0];
    // A KPL aggregate with its MD5 digest broken: the magic says aggregate, the digest says corrupt.
    const bytes = Buffer.from(aggregate.kinesis.data, 'base64');
    bytes[bytes.length - 1] ^= 0xff;
    const specs: RecordSpec[] = [
      good[0],
      { kind: 'base64', partitionKey: 'p', base64: bytes.toString('base64'), arrivalMs: T0 + 1500 },
      { kind: 'base64', partitionKey: 'p', base64: '***not base64***', arrivalMs: T0 + 1600 },
      { kind: 'aggregate', users: [{ partitionKey: 'p', data: '{"TICKER_SYMBOL": "BAD", "PRICE": ' }], arrivalMs: T0 + 1700 },
      good[1],
      ...tickerSpecs(gen, 1, T0 + 11_000, 1000),
    ];
    const response = await h.invoke(new ShardWriter('shardId-000000000000').records(specs));
    expect(response).toEqual({ batchItemFailures: [] });
    const errors = h.delivery.rows(ERR);
    expect(errors.map((e) => e.ERROR_NAME)).toEqual(['KPL_DEAGGREGATION', 'KPL_DEAGGREGATION', 'INPUT_PARSE_ERROR']);
    expect(String(errors[0].MESSAGE)).toMatch(/corrupt-aggregate/);
    expect(String(errors[1].MESSAGE)).toMatch(/invalid-base64/);
    // The good records around them were counted.
    expect(h.delivery.rows().reduce((n, r) => n + (r.TRADE_COUNT as number), 0)).toBe(6);
  });

  it('aggregates two shards independently, each with its own state', async () => {
    const h = await harness();
    const s0 = new ShardWriter('shardId-000000000000');
    const s1 = new ShardWriter('shardId-000000000001', 49_590_338_271_512_557_353_758_223_161_503_106_814_194_224_350_642_651_154n);
    const one = (symbol: string, price: number, arrivalMs: number): RecordSpec => ({
      kind: 'aggregate', arrivalMs, users: [{ partitionKey: symbol, data: JSON.stringify({ TICKER_SYMBOL: symbol, SECTOR: 'TECH', CHANGE: 0, PRICE: price }) }],
    });
    await h.invoke(s0.records([one('AMZN', 10, T0 + 1000), one('AMZN', 12, T0 + 2000)]));
    await h.invoke(s1.records([one('AMZN', 100, T0 + 1500)]));
    await h.invoke(s1.records([one('AMZN', 200, T0 + 11_000)]));
    // Shard 1's window closed on its own clock; shard 0's is still open.
    expect(h.delivery.rows().map((r) => [r.TICKER_SYMBOL, r.TRADE_COUNT, r.MIN_PRICE, r.MAX_PRICE])).toEqual([['AMZN', 1, 100, 100]]);
    await h.invoke(s0.records([one('AMZN', 1, T0 + 12_000)]));
    expect(h.delivery.rows().map((r) => [r.TICKER_SYMBOL, r.TRADE_COUNT, r.MIN_PRICE, r.MAX_PRICE])).toEqual([['AMZN', 1, 100, 100], ['AMZN', 2, 10, 12]]);
    expect(await h.store.listShards()).toEqual(['sa-test-input/shardId-000000000000', 'sa-test-input/shardId-000000000001']);
  });

  it('never lets two concurrent invocations of one shard both take a batch in', async () => {
    const h = await harness();
    const twin = createAnalyticsHandler({
      config: analyticsConfigFromEnvironment(tickerEnvironment(h.store.tableName)),
      store: h.store, delivery: h.delivery, clock: () => h.clock.now,
      logger: silentLogger(), metrics: quietMetrics(),
    });
    const shard = new ShardWriter('shardId-000000000000');
    const gen = new TickerGenerator({ seed: 17, tickers: 3 });
    const specs = [...tickerSpecs(gen, 5, T0 + 100, 1000), ...tickerSpecs(gen, 1, T0 + 10_100, 1000)];
    const records = shard.records(specs);
    // The same batch to two invocations at once (Lambda may invoke twice), then again one after the other.
    for (let i = 0; i < 3; i++) await Promise.all([h.invoke(records), twin(esmEvent(records))]);
    expect(byKey(h.delivery.rows())).toEqual(byKey(localRows(specs, T0 + 10_100).rows));
  });

  it('stops taking records in when the time runs short, and reports the first record not taken in', async () => {
    const h = await harness({}, { timeReserveMs: 20_000 });
    const shard = new ShardWriter('shardId-000000000000');
    const gen = new TickerGenerator({ seed: 19, tickers: 3 });
    const specs = [...tickerSpecs(gen, 6, T0 + 100, 1000), ...tickerSpecs(gen, 1, T0 + 10_100, 1000)];
    const records = shard.records(specs);
    let checks = 0;
    // 25 s left for the first three records, then 10 s.
    const context = { getRemainingTimeInMillis: () => (++checks <= 3 ? 25_000 : 10_000), invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:sa-test-ticker' } as unknown as Context;
    const response = await h.invoke(records, context);
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: records[3].kinesis.sequenceNumber }] });
    // Lambda retries from that record; the result is as if the batch had been taken in at once.
    expect(await h.invoke(records.slice(3))).toEqual({ batchItemFailures: [] });
    expect(byKey(h.delivery.rows())).toEqual(byKey(localRows(specs, T0 + 10_100).rows));
  });

  it('logs a start-up error with its position first, as the CLI prints it', async () => {
    // GIVEN SQL whose second line names a stream that does not exist
    const env = tickerEnvironment('unused', { APPLICATION_SQL: 'CREATE OR REPLACE STREAM "OUT" (A INTEGER);\nCREATE OR REPLACE PUMP "P" AS INSERT INTO "OUT" SELECT STREAM A FROM "NO_SUCH_STREAM";' });
    const config = analyticsConfigFromEnvironment(env);
    const { result, output } = await captureStdout(async () => {
      try {
        createAnalyticsHandler({ config, store: {} as never, delivery: {} as never, logger: new Logger({ serviceName: 'ticker' }), metrics: quietMetrics() });
        return 'started';
      } catch (error) {
        return (error as Error).message;
      }
    });
    // THEN the cold start fails, and the log line names the variable, line and column before the message
    expect(result).not.toBe('started');
    const [line] = output.logs('ERROR');
    expect(line.message).toBe('the function cannot start');
    expect(String(line.error)).toMatch(/^\w+Error: APPLICATION_SQL:2:\d+: /);
    expect(String(line.error)).toContain(result);
  });

  it('publishes its counts as metrics and fails loudly on an event it does not know', async () => {
    const h = await harness({}, { metrics: new Metrics({ namespace: 'AnalyticsTest', serviceName: 'ticker' }) });
    const shard = new ShardWriter('shardId-000000000000');
    const specs = [...tickerSpecs(new TickerGenerator({ seed: 1, tickers: 2 }), 3, T0 + 100, 1000, 4), ...tickerSpecs(new TickerGenerator({ seed: 2, tickers: 2 }), 1, T0 + 10_100, 1000, 1)];
    const { output } = await captureStdout(() => h.invoke(shard.records(specs)));
    expect(output.metrics).toMatchObject({ KinesisRecordsIn: 4, UserRecords: 13, RowsOut: h.delivery.rows().length, ErrorRows: 0, RowsDelivered: h.delivery.rows().length });
    expect(output.metrics.StateBytes).toBeGreaterThan(100);
    const unknown = await captureStdout(() => h.handler({ hello: 'world' }).then(() => 'resolved', (e: Error) => e.message));
    expect(unknown.result).toMatch('takes Kinesis event-source-mapping batches and clock ticks only');
  });
});
