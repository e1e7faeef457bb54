/**
 * `npm run bench:sql`: the ticker application on this project's engine against DuckDB, over the same bytes.
 *
 *   N deterministic JSON ticker records (~100 B, 50 tickers, arrival 1 ms apart), each its own Uint8Array:
 *   - ours, tumbling: bytes -> input decoder -> engine -> output rows (COUNT/MIN/MAX/AVG(price) per ticker per
 *     60-second window on ROWTIME), timed from the first byte to the last output row;
 *   - DuckDB (@duckdb/node-api, SET threads=1): read_json over the same records as an NDJSON file + GROUP BY,
 *     the query timed (the file is written beforehand, outside the timing);
 *   - both tumbling results are compared row by row;
 *   - where our time goes: decoding alone (a no-op onRow, so nothing is held), the engine alone on rows decoded
 *     beforehand (outside its timing);
 *   - ours, sliding: per-ticker AVG(price) OVER (RANGE INTERVAL '1' MINUTE PRECEDING), one output row per record;
 *   - the same tumbling application through ApplicationRuntime.ingest (what `replay` and the Lambda host run;
 *     it also turns the output rows into JSON objects);
 *   then an RSS check streams 1M..RSS_N records generated on the fly.
 *
 * Every variant runs --rounds times (default 5; medians reported), ours and DuckDB alternating first, so that
 * both meet the same load. Wall time and CPU time (process.cpuUsage: all threads of this process, DuckDB's
 * included) are both reported; on a shared machine the CPU time is the steadier figure. Ratios are medians of
 * per-round ratios.
 *
 * Options: --records N (default 1000000), --rounds N (default 5), --rss-records N (default 10000000, 0 skips),
 * --rcf-records N (the RANDOM_CUT_FOREST case, bench/sql/rcf-case.ts; default 50000, 0 skips), --only-rcf (only that case).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { ApplicationRuntime } from '../../src/runtime/application-runtime.js';
import { createInputDecoder, type InputDecoder } from '../../src/input/index.js';
import { compileApplication, type Engine } from '../../src/engine/index.js';
import type { ExecutionError } from '../../src/errors.js';
import type { Value } from '../../src/types/sql-type.js';
import { printRcfCase, runRcfCase } from './rcf-case.js';
import { INPUT, INPUT_STREAM, T0, TUMBLING_SQL, record } from './ticker-workload.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const N = opt('--records', 1_000_000);
const ROUNDS = Math.max(1, opt('--rounds', 5));
const RSS_N = opt('--rss-records', 10_000_000);
/** The RANDOM_CUT_FOREST case (bench/sql/rcf-case.ts): records, 0 to skip. */
const RCF_N = opt('--rcf-records', 50_000);


const SLIDING_SQL = `
CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (TICKER VARCHAR(4), AVG_PRICE DOUBLE);
CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
SELECT STREAM TICKER, AVG(PRICE) OVER (PARTITION BY TICKER RANGE INTERVAL '1' MINUTE PRECEDING)
FROM "SOURCE_SQL_STREAM_001";`;

const DUCK_SQL = (file: string) => `SELECT TICKER, (TS // 60000) * 60000 - ${T0} AS W, COUNT(*) AS N, MIN(PRICE) AS MIN_PRICE, MAX(PRICE) AS MAX_PRICE, AVG(PRICE) AS AVG_PRICE
     FROM read_json('${file}', format = 'newline_delimited', columns = {TICKER: 'VARCHAR', SECTOR: 'VARCHAR', PRICE: 'DOUBLE', CHANGE: 'DOUBLE', TS: 'BIGINT', SEQ: 'BIGINT'})
     GROUP BY TICKER, W`;

function startEngine(sql: string, decoder: InputDecoder, onRow: (row: Value[], rowtime: number) => void): Engine {
  const app = compileApplication({ sql, inputs: [{ name: INPUT_STREAM, columns: decoder.columns.map((c) => ({ name: c.name, type: c.type })) }] });
  const engine = app.start();
  engine.onRow((_s, row, rowtime) => onRow(row, rowtime));
  engine.onError((e) => {
    throw new Error(`unexpected error_stream row: ${e.MESSAGE}`);
  });
  return engine;
}

const failOnError = (e: ExecutionError): void => {
  throw e;
};

/**
 * Bytes -> decoder -> engine -> output rows, the way ApplicationRuntime.ingest drives them: callbacks made once,
 * the record's ROWTIME (its arrival time) read from a variable.
 */
function runEngine(sql: string, payloads: readonly Uint8Array[], onRow: (row: Value[], rowtime: number) => void): void {
  const decoder = createInputDecoder(INPUT);
  const engine = startEngine(sql, decoder, onRow);
  let t = 0;
  const insert = (row: Value[]) => engine.insert(INPUT_STREAM, row, t);
  for (let i = 0; i < payloads.length; i++) {
    t = T0 + i;
    decoder.decode(payloads[i], insert, failOnError);
  }
  engine.finish();
}

interface Timing {
  wall: number;
  cpu: number;
}
async function timed(run: () => unknown): Promise<Timing> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await run();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000 };
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const mb = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MB`;
const rate = (ms: number) => Math.round(N / (ms / 1000)).toLocaleString('en-US');

class Series {
  readonly runs: Timing[] = [];
  constructor(readonly label: string) {}
  add(t: Timing): void {
    this.runs.push(t);
  }
  get wall(): number {
    return median(this.runs.map((r) => r.wall));
  }
  get cpu(): number {
    return median(this.runs.map((r) => r.cpu));
  }
  line(extra = ''): string {
    return `  ${this.label.padEnd(58)} ${rate(this.wall).padStart(11)} ${rate(this.cpu).padStart(11)}${extra}`;
  }
}

/** Median over rounds of (b's time / a's time): a's speed as a multiple of b's, round by round. */
function ratio(a: Series, b: Series, key: keyof Timing): number {
  return median(a.runs.map((r, i) => b.runs[i][key] / r[key]));
}

async function duckRun(conn: DuckDBConnection, file: string): Promise<unknown[][]> {
  const reader = await conn.runAndReadAll(DUCK_SQL(file));
  return reader.getRowsJS();
}

async function main(): Promise<void> {
  if (RCF_N > 0) printRcfCase(runRcfCase(RCF_N));
  if (args.includes('--only-rcf')) return;
  const enc = new TextEncoder();
  const payloads: Uint8Array[] = new Array(N);
  let bytes = 0;
  for (let i = 0; i < N; i++) {
    payloads[i] = enc.encode(record(i));
    bytes += payloads[i].length;
  }
  console.log(`SQL engine benchmark: ${N.toLocaleString('en-US')} records of ${(bytes / N).toFixed(0)} bytes on average, ${ROUNDS} rounds (medians), node ${process.version}`);

  // DuckDB reads the same bytes, one record per line, from a file written before any timing.
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-sql-'));
  const file = path.join(dir, 'ticks.ndjson');
  writeFileSync(file, Buffer.concat(payloads.flatMap((p) => [p, Buffer.from('\n')])));
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  await conn.run('SET threads=1');

  const ours = new Series('ours, tumbling (bytes -> decoder -> engine -> rows)');
  const duck = new Series('DuckDB 1 thread, read_json + GROUP BY (same records)');
  const decodeOnly = new Series('  of ours: decoding alone (no-op onRow)');
  const engineOnly = new Series('  of ours: the engine alone, on rows decoded beforehand');
  const sliding = new Series('ours, sliding (AVG OVER RANGE 1 MINUTE, a row per record)');
  const runtime = new Series('ours, tumbling through ApplicationRuntime.ingest');

  let oursRows: string[] = [];
  let duckRows: unknown[][] = [];
  let slidingRows = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const runOurs = async () => {
      const out: string[] = [];
      ours.add(await timed(() => runEngine(TUMBLING_SQL, payloads, (row, rowtime) => {
        out.push([row[0], rowtime - 60_000 - T0, row[1], row[2], row[3], row[4]].join('|'));
      })));
      oursRows = out;
    };
    const runDuck = async () => {
      let rows: unknown[][] = [];
      duck.add(await timed(async () => {
        rows = await duckRun(conn, file);
      }));
      duckRows = rows;
    };
    if (round % 2 === 0) {
      await runOurs();
      await runDuck();
    } else {
      await runDuck();
      await runOurs();
    }

    const decoder = createInputDecoder(INPUT);
    let seen = 0;
    const count = (row: Value[]) => {
      seen += row.length;
    };
    decodeOnly.add(await timed(() => {
      for (let i = 0; i < N; i++) decoder.decode(payloads[i], count, failOnError);
    }));
    if (seen !== 2 * N) throw new Error(`decoding alone gave ${seen / 2} rows, expected ${N}`);

    const decoded: Value[][] = [];
    for (let i = 0; i < N; i++) decoder.decode(payloads[i], (row) => decoded.push(row), failOnError);
    const engine = startEngine(TUMBLING_SQL, decoder, () => {});
    engineOnly.add(await timed(() => {
      for (let i = 0; i < N; i++) engine.insert(INPUT_STREAM, decoded[i], T0 + i);
      engine.finish();
    }));
    decoded.length = 0;

    let n = 0;
    sliding.add(await timed(() => runEngine(SLIDING_SQL, payloads, () => {
      n++;
    })));
    slidingRows = n;

    runtime.add(await timed(() => {
      const app = ApplicationRuntime.compile({
        sql: TUMBLING_SQL,
        input: { ...INPUT, namePrefix: 'SOURCE_SQL_STREAM' },
        origin: { file: 'bench-sql', form: 'definition' },
      });
      for (let i = 0; i < N; i++) app.ingest(payloads[i], T0 + i);
      app.finish();
    }));
  }
  const rssAfterRuns = process.resourceUsage().maxRSS * 1024;
  rmSync(dir, { recursive: true, force: true });

  // ---- same rows? (the last round of each)
  const key = (t: unknown, w: number) => `${String(t)}|${w}`;
  const mine = new Map(oursRows.map((s) => {
    const p = s.split('|');
    return [key(p[0], Number(p[1])), p.slice(2).map(Number)];
  }));
  let mismatches = 0;
  for (const r of duckRows) {
    const m = mine.get(key(r[0], Number(r[1])));
    const d = [Number(r[2]), Number(r[3]), Number(r[4]), Number(r[5])];
    if (!m || m.some((v, i) => Math.abs(v - d[i]) > 1e-9 * Math.max(1, Math.abs(d[i])))) mismatches++;
  }
  const same = mismatches === 0 && duckRows.length === mine.size;

  console.log(`  ${'records/s'.padEnd(58)} ${'wall'.padStart(11)} ${'CPU'.padStart(11)}`);
  console.log(ours.line(`   ${oursRows.length} rows`));
  console.log(decodeOnly.line());
  console.log(engineOnly.line());
  console.log(duck.line(`   ${duckRows.length} rows`));
  console.log(sliding.line(`   ${slidingRows} rows`));
  console.log(runtime.line());
  console.log(`same rows as DuckDB: ${same ? 'yes' : `NO (${mismatches} mismatches, ${mine.size} vs ${duckRows.length} rows)`}`);
  console.log(`ratio ours/DuckDB, tumbling: ${ratio(ours, duck, 'cpu').toFixed(2)}x CPU, ${ratio(ours, duck, 'wall').toFixed(2)}x wall (target >= 1.5x); per round (CPU): ${ours.runs.map((r, i) => (duck.runs[i].cpu / r.cpu).toFixed(2)).join(', ')}`);
  console.log(`ratio sliding/tumbling: ${ratio(sliding, ours, 'cpu').toFixed(2)}x CPU, ${ratio(sliding, ours, 'wall').toFixed(2)}x wall (target >= 0.7x)`);
  console.log(`peak RSS after the timed runs: ${mb(rssAfterRuns)} (the ${N.toLocaleString('en-US')} payloads are held for all runs)`);
  if (!same) process.exitCode = 1;

  // ---- RSS from 1M to RSS_N records, generated as they are fed
  if (RSS_N > 0) {
    payloads.length = 0;
    let rows = 0;
    const decoder = createInputDecoder(INPUT);
    const engine = startEngine(TUMBLING_SQL, decoder, () => {
      rows++;
    });
    const marks: string[] = [];
    const rssStart = process.memoryUsage().rss;
    const step = Math.min(1_000_000, RSS_N);
    let t = 0;
    const insert = (row: Value[]) => engine.insert(INPUT_STREAM, row, t);
    const s0 = performance.now();
    for (let i = 0; i < RSS_N; i++) {
      t = T0 + i;
      decoder.decode(enc.encode(record(i)), insert, failOnError);
      if ((i + 1) % step === 0 && ((i + 1) === step || (i + 1) === RSS_N || (i + 1) % (step * 3) === 0)) {
        // With --expose-gc (npm run bench:sql passes it) garbage is collected first, so the figures show what is retained.
        (globalThis as { gc?: () => void }).gc?.();
        const m = process.memoryUsage();
        marks.push(`${((i + 1) / 1e6).toFixed(0)}M: RSS ${mb(m.rss)}, heap ${mb(m.heapUsed)}`);
      }
    }
    engine.finish();
    const s = (performance.now() - s0) / 1000;
    console.log(`RSS while streaming ${RSS_N.toLocaleString('en-US')} records (tumbling, generated on the fly, ${(RSS_N / s).toFixed(0)} records/s incl. generation): start ${mb(rssStart)}; ${marks.join(', ')}; ${rows} rows`);
  }
}

await main();
