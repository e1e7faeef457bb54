// bench:analytics-handler — the analytics handler end to end on this machine: batches of 1000 Kinesis records
// (KPL aggregates of 5 ticker user records) through in-process de-aggregation, the ticker SQL, a state commit
// to dynalite on 127.0.0.1 and an in-memory delivery. Reports ms per invocation and user records per second.
// dynalite is not DynamoDB: the state round trip here says nothing about DynamoDB's latency.
//
// Usage: node --import tsx bench/lambda/analytics-handler-bench.ts [invocations]
import { TickerGenerator } from '../../src/app/ticker/ticker-generator.js';
import { T0, harness, tickerSpecs } from '../../test/support/analytics-harness.js';
import { startDynalite } from '../../test/support/dynalite-server.js';
import { ShardWriter } from '../../test/support/kinesis-esm-events.js';

const invocations = Number(process.argv[2] ?? 20);
const db = await startDynalite();
try {
  const h = await harness(db);
  const gen = new TickerGenerator({ seed: 1, tickers: 50 });
  const shard = new ShardWriter('shardId-000000000000');
  // 1000 records per batch, 10 ms apart: a 10 s window closes every batch.
  const batches = Array.from({ length: invocations + 2 }, (_, b) => shard.records(tickerSpecs(gen, 1000, T0 + b * 10_000, 10, 5)));
  for (const batch of batches.slice(0, 2)) await h.invoke(batch); // warm-up
  const times: number[] = [];
  for (const batch of batches.slice(2)) {
    const start = performance.now();
    const response = await h.invoke(batch);
    times.push(performance.now() - start);
    if (response.batchItemFailures.length > 0) throw new Error('unexpected failure');
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  const state = await h.store.load('sa-test-input/shardId-000000000000');
  console.log(`${invocations} invocations of 1000 records (5000 user records): median ${median.toFixed(1)} ms, ` +
    `${Math.round(5000 / (median / 1000))} user records/s; rows delivered ${h.delivery.rows().length}; state ${state?.stateBytes} B gzipped`);
} finally {
  await db.stop();
}
