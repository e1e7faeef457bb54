// bench:analytics-state — how big the analytics function's per-shard state gets (gzipped JSON, as the state
// table stores it) for the ticker application (tumbling windows: one group per ticker) and for a sliding window
// (the engine keeps every row of the range). Input: ticker records at a fixed rate on one shard.
//
// Usage: node --import tsx bench/lambda/state-size.ts
import { gzipSync } from 'node:zlib';
import { ApplicationRuntime } from '../../src/runtime/application-runtime.js';
import { loadApplicationDefinition } from '../../src/app/definition/index.js';
import { TickerGenerator } from '../../src/app/ticker/ticker-generator.js';

const ticker = loadApplicationDefinition('examples/ticker');
const T0 = Date.parse('2026-01-01T00:00:00Z');

function stateBytes(sql: string, tickers: number, ratePerSecond: number, seconds: number): { rows: number; json: number; gzip: number } {
  const runtime = ApplicationRuntime.compile({ sql, input: ticker.input, origin: ticker.origin }, { clock: () => T0 });
  const gen = new TickerGenerator({ seed: 1, tickers });
  const n = ratePerSecond * seconds;
  for (let i = 0; i < n; i++) {
    const t = T0 + Math.floor((i * 1000) / ratePerSecond);
    runtime.ingest(JSON.stringify(gen.next(t)), t);
  }
  const json = Buffer.from(JSON.stringify(runtime.snapshot()));
  return { rows: n, json: json.length, gzip: gzipSync(json).length };
}

const sliding = (minutes: number) => `CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (TICKER_SYMBOL VARCHAR(4), AVG_PRICE DOUBLE);
CREATE OR REPLACE PUMP "P" AS INSERT INTO "DESTINATION_SQL_STREAM"
  SELECT STREAM TICKER_SYMBOL, AVG(CAST(PRICE AS DOUBLE)) OVER (PARTITION BY TICKER_SYMBOL RANGE INTERVAL '${minutes}' MINUTE PRECEDING)
  FROM "SOURCE_SQL_STREAM_001";`;

const cases: [string, string, number, number, number][] = [
  ['ticker (10 s tumbling), 50 tickers, 100 rec/s, 9 s into a window', ticker.sql, 50, 100, 9],
  ['ticker (10 s tumbling), 500 tickers, 1000 rec/s, 9 s into a window', ticker.sql, 500, 1000, 9],
  ['sliding 1 min, 50 tickers, 100 rec/s, 60 s', sliding(1), 50, 100, 60],
  ['sliding 10 min, 50 tickers, 100 rec/s, 600 s', sliding(10), 50, 100, 600],
];
for (const [name, sql, tickers, rate, seconds] of cases) {
  const s = stateBytes(sql, tickers, rate, seconds);
  console.log(`${name}: ${s.rows} rows in, state ${s.json} B JSON, ${s.gzip} B gzipped (${(s.gzip / s.rows).toFixed(1)} B/row)`);
}
