// Acceptance: for the ticker application (examples/ticker), the Lambda-hosted engine over many
// invocations gives the same rows as the local runtime over the same records in one go. Two shards, records
// routed by the MD5 of their partition key (the ticker symbol, so each ticker lives on one shard and per-shard
// results are the global ones), KPL aggregates of 1-8 user records, batches of random sizes, retried batches,
// clock ticks while a shard is idle, and a final tick that closes the last windows.
import type { KinesisStreamRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { T0, byKey, harness, localRows, quietMetrics, silentLogger } from '../../../test/support/analytics-harness.js';
import { type DynaliteServer, startDynalite } from '../../../test/support/dynalite-server.js';
import { ShardWriter, type RecordSpec } from '../../../test/support/kinesis-esm-events.js';
import { type LambdaInvokeServer, startLambdaInvokeServer } from '../../../test/support/lambda-invoke-server.js';
import { TickerGenerator } from '../../app/ticker/ticker-generator.js';
import { mulberry32 } from '../../util/mulberry32.js';
import { MAX_HASH_KEY, partitionKeyHash } from '../../kpl/index.js';
import { createPreprocessorHandler } from '../preprocessor-handler.js';
import { LambdaPreprocessorInvoker } from './preprocessor-invoker.js';

const GRACE_MS = 30_000;
let db: DynaliteServer;
let lambda: LambdaInvokeServer;

interface Workload {
  /** Every Kinesis record, per shard, in order. */
  shards: { writer: ShardWriter; specs: RecordSpec[]; records: KinesisStreamRecord[] }[];
  lastArrival: number;
}

/** ~3 minutes of ticker trades on two shards; shard 1 falls silent from +60 s to +115 s. */
function workload(seed: number): Workload {
  const random = mulberry32(seed);
  const gen = new TickerGenerator({ seed, tickers: 12 });
  const half = (MAX_HASH_KEY + 1n) / 2n;
  const open: { partitionKey: string; data: string }[][] = [[], []];
  const specs: RecordSpec[][] = [[], []];
  let t = T0 + 250;
  let lastArrival = t;
  for (let i = 0; i < 3000; i++) {
    t += Math.floor(random() * 120);
    const trade = gen.next(t);
    const shard = partitionKeyHash(trade.TICKER_SYMBOL) < half ? 0 : 1;
    if (shard === 1 && t >= T0 + 60_000 && t < T0 + 115_000) continue;
    open[shard].push({ partitionKey: trade.TICKER_SYMBOL, data: JSON.stringify(trade) });
    // The producer sends what it gathered when an aggregate is full enough or at random (its buffer time).
    if (open[shard].length >= 8 || random() < 0.3) {
      const users = open[shard].splice(0);
      specs[shard].push(users.length === 1 && random() < 0.5 ? { kind: 'plain', user: users[0], arrivalMs: t } : { kind: 'aggregate', users, arrivalMs: t });
      lastArrival = t;
    }
  }
  const writers = [new ShardWriter('shardId-000000000000'), new ShardWriter('shardId-000000000001', 49_590_338_271_512_557_353_758_223_161_503_106_814_194_224_350_642_651_154n)];
  return { shards: writers.map((writer, i) => ({ writer, specs: specs[i], records: writer.records(specs[i]) })), lastArrival };
}

describe('acceptance: the ticker application on Lambda and locally give the same rows', () => {
  beforeAll(async () => {
    db = await startDynalite();
    const preprocessor = createPreprocessorHandler({ logger: silentLogger(), metrics: quietMetrics() });
    lambda = await startLambdaInvokeServer({ 'sa-test-preprocessor': (event) => preprocessor(event) });
  });
  afterAll(async () => {
    await lambda?.stop();
    await db?.stop();
  });

  it.each(['in-process', 'preprocessor'] as const)('over many invocations, DEAGGREGATION=%s', async (mode) => {
    const h = await harness(db, { DEAGGREGATION: mode, PREPROCESSOR_FUNCTION_NAME: 'sa-test-preprocessor', CLOCK_TICK_GRACE_SECONDS: String(GRACE_MS / 1000) }, {
      preprocessor: new LambdaPreprocessorInvoker(lambda.client, 'sa-test-preprocessor'),
    });
    const w = workload(mode === 'in-process' ? 101 : 202);
    const random = mulberry32(7);
    // The mapping's batches: each shard in order, up to a random size (1-40) within a 5-second batching window;
    // shards interleaved by time, as Lambda runs them side by side.
    const batches = w.shards.flatMap((s) => {
      const out: { records: KinesisStreamRecord[]; last: number }[] = [];
      for (let i = 0; i < s.records.length;) {
        const size = 1 + Math.floor(random() * 40);
        let n = 1;
        while (n < size && i + n < s.records.length && s.specs[i + n].arrivalMs - s.specs[i].arrivalMs <= 5000) n++;
        out.push({ records: s.records.slice(i, i + n), last: s.specs[i + n - 1].arrivalMs });
        i += n;
      }
      return out;
    }).sort((a, b) => a.last - b.last);
    let invocations = 0;
    let retries = 0;
    let nextTick = T0 + 15_000;
    const ticks: { advanced: number }[] = [];
    for (const batch of batches) {
      // A tick every 15 s of simulated time, between batches.
      while (nextTick <= batch.last) {
        ticks.push(await h.tick(nextTick));
        nextTick += 15_000;
      }
      h.clock.now = batch.last + 500;
      expect(await h.invoke(batch.records)).toEqual({ batchItemFailures: [] });
      invocations++;
      // Now and then Lambda delivers a batch again (a retry after a timeout, a duplicate invocation).
      if (random() < 0.15) {
        await h.invoke(batch.records);
        retries++;
      }
    }
    // The final tick: the shards are idle, the clock passes the last window.
    const finalNow = w.lastArrival + 10_000 + GRACE_MS + 1;
    ticks.push(await h.tick(finalNow));

    const expected = localRows(w.shards.flatMap((s) => s.specs), finalNow - GRACE_MS);
    const got = h.delivery.rows();
    expect(invocations).toBeGreaterThan(20);
    expect(retries).toBeGreaterThan(2);
    // A tick closed shard 1's windows while it was silent (before the final tick).
    expect(ticks.slice(0, -1).some((t) => t.advanced > 0)).toBe(true);
    expect(new Set(expected.rows.map((r) => r.ROWTIME)).size).toBeGreaterThanOrEqual(15);
    expect(got).toHaveLength(expected.rows.length);
    expect(byKey(got)).toEqual(byKey(expected.rows));
    expect(h.delivery.rows('sa-test-ticker-error_stream')).toEqual([]);
  });
});
