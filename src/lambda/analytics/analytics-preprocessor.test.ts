// DEAGGREGATION=preprocessor: the analytics function sends each batch to the Preprocessor function through
// @aws-sdk/client-lambda, here the real preprocessor handler behind a local Lambda Invoke API server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERR, T0, byKey, harness, localRows, quietMetrics, silentLogger, tickerSpecs } from '../../../test/support/analytics-harness.js';
import { type DynaliteServer, startDynalite } from '../../../test/support/dynalite-server.js';
import { ShardWriter, type RecordSpec } from '../../../test/support/kinesis-esm-events.js';
import { type LambdaInvokeServer, startLambdaInvokeServer } from '../../../test/support/lambda-invoke-server.js';
import { TickerGenerator } from '../../app/ticker/ticker-generator.js';
import { createPreprocessorHandler } from '../preprocessor-handler.js';
import { LambdaPreprocessorInvoker } from './preprocessor-invoker.js';

const FUNCTION = 'sa-test-preprocessor';
let db: DynaliteServer;
let lambda: LambdaInvokeServer;

const withPreprocessor = (extra = {}) => harness(db, { DEAGGREGATION: 'preprocessor', PREPROCESSOR_FUNCTION_NAME: FUNCTION }, {
  preprocessor: new LambdaPreprocessorInvoker(lambda.client, FUNCTION),
  ...extra,
});

describe('analytics handler with the Preprocessor function (local Lambda Invoke API)', () => {
  beforeAll(async () => {
    db = await startDynalite();
    const preprocessor = createPreprocessorHandler({ logger: silentLogger(), metrics: quietMetrics() });
    lambda = await startLambdaInvokeServer({ [FUNCTION]: (event) => preprocessor(event) });
  });
  afterAll(async () => {
    await lambda?.stop();
    await db?.stop();
  });

  it('gives the same rows as de-aggregating in process, and as the local runtime', async () => {
    const gen = new TickerGenerator({ seed: 23, tickers: 5 });
    const specs = [...tickerSpecs(gen, 12, T0 + 100, 1500, 4), ...tickerSpecs(gen, 1, T0 + 20_500, 1000, 1)];
    const viaFunction = await withPreprocessor();
    const inProcess = await harness(db);
    for (const h of [viaFunction, inProcess]) {
      const records = new ShardWriter('shardId-000000000002').records(specs);
      for (let i = 0; i < records.length; i += 5) expect(await h.invoke(records.slice(i, i + 5))).toEqual({ batchItemFailures: [] });
    }
    expect(lambda.invocations.length).toBeGreaterThanOrEqual(3);
    expect(viaFunction.delivery.rows().length).toBeGreaterThan(5);
    expect(byKey(viaFunction.delivery.rows())).toEqual(byKey(inProcess.delivery.rows()));
    expect(byKey(viaFunction.delivery.rows())).toEqual(byKey(localRows(specs, T0 + 20_500).rows));
  });

  it('cuts a big batch into several preprocessor requests', async () => {
    const before = lambda.invocations.length;
    const h = await withPreprocessor({ preprocessorRequestBytes: 2000 });
    const gen = new TickerGenerator({ seed: 29, tickers: 3 });
    const specs = [...tickerSpecs(gen, 10, T0 + 100, 900, 3), ...tickerSpecs(gen, 1, T0 + 10_100, 1000, 1)];
    await h.invoke(new ShardWriter('shardId-000000000000').records(specs));
    const mine = lambda.invocations.slice(before);
    expect(mine.length).toBeGreaterThan(2);
    for (const m of mine) expect(m.bytes).toBeLessThanOrEqual(2000);
    expect(byKey(h.delivery.rows())).toEqual(byKey(localRows(specs, T0 + 10_100).rows));
  });

  it('turns records the preprocessor answers ProcessingFailed into error_stream rows', async () => {
    const h = await withPreprocessor();
    const good = tickerSpecs(new TickerGenerator({ seed: 31, tickers: 2 }), 2, T0 + 100, 1000);
    const corrupt = Buffer.from(new ShardWriter('x').records([good[0]])[0].kinesis.data, 'base64');
    corrupt[30] ^= 0x55;
    const specs: RecordSpec[] = [good[0], { kind: 'base64', partitionKey: 'p', base64: corrupt.toString('base64'), arrivalMs: T0 + 500 }, good[1]];
    expect(await h.invoke(new ShardWriter('shardId-000000000000').records(specs))).toEqual({ batchItemFailures: [] });
    expect(h.delivery.rows(ERR).map((e) => e.ERROR_NAME)).toEqual(['PREPROCESSING_FAILED']);
  });

  it('reports the first record when the preprocessor fails, commits nothing, and goes on once it recovers', async () => {
    const h = await withPreprocessor();
    const gen = new TickerGenerator({ seed: 37, tickers: 3 });
    const specs = [...tickerSpecs(gen, 4, T0 + 100, 1000), ...tickerSpecs(gen, 1, T0 + 10_100, 1000)];
    const records = new ShardWriter('shardId-000000000000').records(specs);
    lambda.failing = true;
    try {
      expect(await h.invoke(records)).toEqual({ batchItemFailures: [{ itemIdentifier: records[0].kinesis.sequenceNumber }] });
    } finally {
      lambda.failing = false;
    }
    expect(await h.store.load('sa-test-input/shardId-000000000000')).toBeUndefined();
    expect(await h.invoke(records)).toEqual({ batchItemFailures: [] });
    expect(byKey(h.delivery.rows())).toEqual(byKey(localRows(specs, T0 + 10_100).rows));
  });

  it('keeps ticks off a shard whose records wait for the preprocessor', async () => {
    const h = await withPreprocessor();
    const gen = new TickerGenerator({ seed: 41, tickers: 2 });
    const shard = new ShardWriter('shardId-000000000000');
    h.clock.now = T0 + 1000;
    const first = tickerSpecs(gen, 2, T0 + 100, 500);
    await h.invoke(shard.records(first));
    // GIVEN the next batch fails for a minute (the preprocessor is down) while its records wait
    const waiting = tickerSpecs(gen, 2, T0 + 5000, 500);
    const records = shard.records(waiting);
    lambda.failing = true;
    try {
      for (const now of [T0 + 6000, T0 + 40_000, T0 + 70_000]) {
        h.clock.now = now;
        await h.invoke(records);
      }
      // WHEN a tick comes while the batch is still failing
      expect(await h.tick(T0 + 80_000)).toMatchObject({ advanced: 0 });
    } finally {
      lambda.failing = false;
    }
    // THEN the waiting records still count in their own window, as they do locally
    h.clock.now = T0 + 81_000;
    await h.invoke(records);
    await h.tick(T0 + 200_000);
    expect(h.delivery.rows().length).toBeGreaterThan(0);
    expect(byKey(h.delivery.rows())).toEqual(byKey(localRows([...first, ...waiting], T0 + 200_000).rows));
  });
});
