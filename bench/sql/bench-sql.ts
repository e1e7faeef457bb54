/**
 * `npm run bench:sql`: the SQL engine against DuckDB on the ticker application.
 *
 *   1M deterministic JSON ticker records (~100 B, 50 tickers, arrival 1 ms apart) -> input decoder -> engine:
 *   - tumbling: COUNT/MIN/MAX/AVG(price) per ticker per 60-second window on ROWTIME
 *   - sliding:  per-ticker AVG(price) OVER (RANGE INTERVAL '1' MINUTE PRECEDING)
 *   DuckDB (@duckdb/node-api, SET threads=1): read_json over the same records as NDJSON + GROUP BY.
 *   Both tumbling results are compared row by row. Then an RSS check streams 1M..10M records (generated on the fly).
 *
 * Options: --records N (default 1000000), --rss-records N (default 10000000, 0 to skip).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { createInputDecoder } from '../../src/app/input/index.js';
import { compileApplication, type Engine } from '../../src/engine/index.js';
import type { SqlType, Value } from '../../src/types/sql-type.js';

interface Decoder {
  readonly columns: readonly { name: string; type: SqlType }[];
  decode(payload: Uint8Array | string, onRow: (row: Value[]) => void, onError: (e: Error, raw: Uint8Array | string) => void): void;
}

const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const N = opt('--records', 1_000_000);
const RSS_N = opt('--rss-records', 10_000_000);
const T0 = Date.UTC(2026, 0, 1);
const TICKERS = Array.from({ length: 50 }, (_, i) => `T${String(i).padStart(3, '0')}`);
const SECTORS = ['TECHNOLOGY', 'RETAIL', 'FINANCIAL', 'HEALTHCARE', 'ENERGY'];

/** Record i: deterministic (a small LCG), ~100 bytes, arrival T0 + i ms. */
function record(i: number): string {
  const x = (Math.imul(i, 1103515245) + 12345) >>> 0;
  const t = TICKERS[x % 50];
  const price = ((x >>> 8) % 100000) / 100 + 1;
  const change = (((x >>> 4) % 2001) - 1000) / 100;
  return `{"TICKER":"${t}","SECTOR":"${SECTORS[x % 5]}","PRICE":${price},"CHANGE":${change},"TS":${T0 + i},"SEQ":${i}}`;
}

const INPUT = {
  format: 'JSON' as const,
  recordRowPath: '$',
  columns: [
    { name: 'TICKER', sqlType: 'VARCHAR(4)', mapping: '$.TICKER' },
    { name: 'PRICE', sqlType: 'DOUBLE', mapping: '$.PRICE' },
  ],
};

const TUMBLING_SQL = `
CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (TICKER VARCHAR(4), N BIGINT, MIN_PRICE DOUBLE, MAX_PRICE DOUBLE, AVG_PRICE DOUBLE);
CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
SELECT STREAM TICKER, COUNT(*), MIN(PRICE), MAX(PRICE), AVG(PRICE)
FROM "SOURCE_SQL_STREAM_001"
GROUP BY TICKER, STEP("SOURCE_SQL_STREAM_001".ROWTIME BY INTERVAL '60' SECOND);`;

const SLIDING_SQL = `
CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (TICKER VARCHAR(4), AVG_PRICE DOUBLE);
CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
SELECT STREAM TICKER, AVG(PRICE) OVER (PARTITION BY TICKER RANGE INTERVAL '1' MINUTE PRECEDING)
FROM "SOURCE_SQL_STREAM_001";`;

async function loadDecoder(): Promise<{ decoder: Decoder; which: string }> {
  return { decoder: createInputDecoder(INPUT), which: 'src/app/input createInputDecoder' };
}

function startEngine(sql: string, decoder: Decoder, onRow: (row: Value[], rowtime: number) => void): Engine {
  const app = compileApplication({ sql, inputs: [{ name: 'SOURCE_SQL_STREAM_001', columns: decoder.columns.map((c) => ({ name: c.name, type: c.type })) }] });
  const engine = app.start();
  engine.onRow((_s, row, rowtime) => onRow(row, rowtime));
  engine.onError((e) => {
    throw new Error(`unexpected error_stream row: ${e.MESSAGE}`);
  });
  return engine;
}

/** Wall time and the process's CPU time (user + system) of a run, in ms: CPU time is the steadier figure on a loaded machine. */
interface Timing {
  wall: number;
  cpu: number;
}
function clock(): () => Timing {
  const w0 = performance.now();
  const c0 = process.cpuUsage();
  return () => {
    const c = process.cpuUsage(c0);
    return { wall: performance.now() - w0, cpu: (c.user + c.system) / 1000 };
  };
}
const rate = (ms: number) => N / (ms / 1000);
const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
const rates = (t: Timing) => `${fmt(rate(t.wall))} records/s wall (${t.wall.toFixed(0)} ms), ${fmt(rate(t.cpu))} records/s CPU (${t.cpu.toFixed(0)} ms)`;

function runEngine(sql: string, decoder: Decoder, payloads: readonly Uint8Array[], onRow: (row: Value[], rowtime: number) => void): Timing {
  const engine = startEngine(sql, decoder, onRow);
  const stop = clock();
  for (let i = 0; i < payloads.length; i++) {
    const t = T0 + i;
    decoder.decode(
      payloads[i],
      (row) => engine.insert('SOURCE_SQL_STREAM_001', row, t),
      (e) => {
        throw e;
      },
    );
  }
  engine.finish();
  return stop();
}

const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;

async function main(): Promise<void> {
  const { decoder, which } = await loadDecoder();
  console.log(`SQL engine benchmark: ${N.toLocaleString('en-US')} records, input decoder: ${which}`);
  const enc = new TextEncoder();
  const payloads: Uint8Array[] = new Array(N);
  let bytes = 0;
  for (let i = 0; i < N; i++) {
    payloads[i] = enc.encode(record(i));
    bytes += payloads[i].length;
  }
  console.log(`records: ${(bytes / N).toFixed(0)} bytes on average`);

  // ---- ours, tumbling
  const ours: string[] = [];
  const tumbling = runEngine(TUMBLING_SQL, decoder, payloads, (row, rowtime) => {
    ours.push([row[0], rowtime - 60_000, row[1], row[2], row[3], row[4]].join('|'));
  });
  const rssAfterOurs = process.resourceUsage().maxRSS;
  console.log(`engine tumbling: ${rates(tumbling)}, ${ours.length} rows, peak RSS so far ${mb(rssAfterOurs)}`);

  // ---- where the time goes: decoding alone, and the engine alone on rows decoded beforehand
  const decoded: Value[][] = [];
  let stop = clock();
  for (let i = 0; i < N; i++) decoder.decode(payloads[i], (row) => decoded.push(row), (e) => {
    throw e;
  });
  const decodeT = stop();
  const engineOnly = startEngine(TUMBLING_SQL, decoder, () => {});
  stop = clock();
  for (let i = 0; i < N; i++) engineOnly.insert('SOURCE_SQL_STREAM_001', decoded[i], T0 + i);
  engineOnly.finish();
  const engineT = stop();
  decoded.length = 0;
  console.log(`  of which: decoding alone ${rates(decodeT)}`);
  console.log(`            engine alone on decoded rows ${rates(engineT)}`);

  // ---- ours, sliding
  let slidingRows = 0;
  const sliding = runEngine(SLIDING_SQL, decoder, payloads, () => {
    slidingRows++;
  });
  console.log(`engine sliding: ${rates(sliding)}, ${slidingRows} rows; ${(tumbling.wall / sliding.wall).toFixed(2)}x tumbling wall, ${(tumbling.cpu / sliding.cpu).toFixed(2)}x CPU (target >= 0.7x)`);
  const rssAfterSliding = process.resourceUsage().maxRSS;

  // ---- DuckDB
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-sql-'));
  const file = path.join(dir, 'ticks.ndjson');
  writeFileSync(file, payloads.map((p) => Buffer.from(p).toString('utf8')).join('\n') + '\n');
  payloads.length = 0;
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  await conn.run('SET threads=1');
  const q = `SELECT TICKER, (TS // 60000) * 60000 - ${T0} AS W, COUNT(*) AS N, MIN(PRICE) AS MIN_PRICE, MAX(PRICE) AS MAX_PRICE, AVG(PRICE) AS AVG_PRICE
     FROM read_json('${file}', format = 'newline_delimited', columns = {TICKER: 'VARCHAR', SECTOR: 'VARCHAR', PRICE: 'DOUBLE', CHANGE: 'DOUBLE', TS: 'BIGINT', SEQ: 'BIGINT'})
     GROUP BY TICKER, W`;
  stop = clock();
  const reader = await conn.runAndReadAll(q);
  const duck = stop();
  const duckRows = reader.getRowsJS();
  const rssAfterDuck = process.resourceUsage().maxRSS;
  console.log(`DuckDB (1 thread) read_json + GROUP BY: ${rates(duck)}, ${duckRows.length} rows`);
  rmSync(dir, { recursive: true, force: true });

  // ---- same rows?
  const key = (t: unknown, w: number) => `${String(t)}|${w}`;
  const mine = new Map(ours.map((s) => {
    const p = s.split('|');
    return [key(p[0], Number(p[1]) - T0), p.slice(2).map(Number)];
  }));
  let mismatches = 0;
  for (const r of duckRows) {
    const m = mine.get(key(r[0], Number(r[1])));
    const d = [Number(r[2]), Number(r[3]), Number(r[4]), Number(r[5])];
    if (!m || m.some((v, i) => Math.abs(v - d[i]) > 1e-9 * Math.max(1, Math.abs(d[i])))) mismatches++;
  }
  const same = mismatches === 0 && duckRows.length === mine.size;
  console.log(`same rows as DuckDB: ${same ? 'yes' : `NO (${mismatches} mismatches, ${mine.size} vs ${duckRows.length} rows)`}`);
  console.log(`ratio engine/DuckDB (tumbling): ${(duck.wall / tumbling.wall).toFixed(2)}x wall, ${(duck.cpu / tumbling.cpu).toFixed(2)}x CPU (target >= 1.5x)`);
  console.log(`ratio engine alone on decoded rows / DuckDB's whole query: ${(duck.cpu / engineT.cpu).toFixed(2)}x CPU`);
  console.log(`peak RSS: after engine runs ${mb(rssAfterSliding)} (tumbling alone ${mb(rssAfterOurs)}), after DuckDB ${mb(rssAfterDuck)}`);

  // ---- RSS from 1M to RSS_N records, generated as they are fed
  if (RSS_N > 0) {
    let rows = 0;
    const engine = startEngine(TUMBLING_SQL, decoder, () => {
      rows++;
    });
    const marks: string[] = [];
    const rssStart = process.memoryUsage().rss;
    const step = Math.min(1_000_000, RSS_N);
    const s0 = performance.now();
    for (let i = 0; i < RSS_N; i++) {
      const t = T0 + i;
      decoder.decode(
        enc.encode(record(i)),
        (row) => engine.insert('SOURCE_SQL_STREAM_001', row, t),
        (e) => {
          throw e;
        },
      );
      if ((i + 1) % step === 0 && ((i + 1) === step || (i + 1) === RSS_N || (i + 1) % (step * 3) === 0)) {
        // With --expose-gc (npm run bench:sql passes it) garbage is collected first, so the figures show what is retained.
        (globalThis as { gc?: () => void }).gc?.();
        const m = process.memoryUsage();
        marks.push(`${((i + 1) / 1e6).toFixed(0)}M: RSS ${(m.rss / 1048576).toFixed(0)} MB, heap ${(m.heapUsed / 1048576).toFixed(0)} MB`);
      }
    }
    engine.finish();
    const s = (performance.now() - s0) / 1000;
    console.log(`RSS while streaming ${RSS_N.toLocaleString('en-US')} records (tumbling, generated on the fly, ${(RSS_N / s).toFixed(0)} records/s incl. generation): start ${(rssStart / 1048576).toFixed(0)} MB; ${marks.join(', ')}; ${rows} rows`);
  }
}

await main();
