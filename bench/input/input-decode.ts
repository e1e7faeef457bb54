/**
 * Micro-benchmark of input mapping (`npm run bench:input`): 1M deterministic ~100-byte JSON ticker records,
 * 4 mapped columns (TICKER_SYMBOL, SECTOR, CHANGE, PRICE), decoded by createInputDecoder; beside it, in the
 * same run and over the same buffers, the naive peer: JSON.parse of each record + field access.
 * Then the same for records of the engine benchmark's shape (bench:sql: 6 fields, 2 mapped), decode only, and
 * with --duckdb DuckDB's whole ticker query over those records (read_json + GROUP BY, 1 thread) for scale.
 * Options: --records N (default 1000000), --rounds N (default 5; the median is reported), --only I (one
 * variant of the first table), --duckdb.
 * Reported: records/s from wall time and from this process's CPU time (steadier on a shared machine).
 */
import { Buffer } from 'node:buffer';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Value } from '../../src/types/sql-type.js';
import { createInputDecoder } from '../../src/input/index.js';
import { JsonRecordDecoder } from '../../src/input/json-record-decoder.js';
import { parseJsonPath } from '../../src/input/json-path.js';
import { parseSqlType } from '../../src/types/sql-type.js';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}
const N = arg('records', 1_000_000);
const ROUNDS = arg('rounds', 5);

// Deterministic records (xorshift32), 50 tickers.
let seed = 42;
const rand = () => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 0x1_0000_0000;
};
const SECTORS = ['TECHNOLOGY', 'HEALTHCARE', 'FINANCIAL', 'ENERGY', 'RETAIL'];
const TICKERS = Array.from({ length: 50 }, (_, i) => String.fromCharCode(65 + (i % 26), 65 + ((i * 7) % 26), 65 + ((i * 11) % 26)) + (i < 26 ? 'X' : ''));
const base = Date.UTC(2026, 0, 1);
const parts: string[] = [];
for (let i = 0; i < N; i++) {
  const t = Math.floor(rand() * 50);
  const change = (Math.round((rand() - 0.5) * 200) / 100).toFixed(2);
  const price = (Math.round(rand() * 100_000) / 100).toFixed(2);
  const time = new Date(base + i).toISOString().replace('T', ' ').slice(0, 23);
  parts.push(`{"TICKER_SYMBOL":"${TICKERS[t]}","SECTOR":"${SECTORS[t % 5]}","CHANGE":${change},"PRICE":${price},"EVENT_TIME":"${time}"}`);
}
const all = Buffer.from(parts.join(''), 'utf8');
const bufferViews: Buffer[] = new Array(N);
const plainViews: Uint8Array[] = new Array(N);
{
  let off = 0;
  for (let i = 0; i < N; i++) {
    const len = Buffer.byteLength(parts[i]);
    bufferViews[i] = all.subarray(off, off + len);
    plainViews[i] = new Uint8Array(all.buffer, all.byteOffset + off, len);
    off += len;
  }
}
// The same records as NDJSON payloads of 500 records (one preprocessed KPL aggregate each).
const ndjson: Buffer[] = [];
for (let i = 0; i < N; i += 500) ndjson.push(Buffer.from(`${parts.slice(i, i + 500).join('\n')}\n`));
parts.length = 0;

const decoder = createInputDecoder({
  format: 'JSON',
  recordRowPath: '$',
  columns: [
    { name: 'TICKER_SYMBOL', sqlType: 'VARCHAR(4)', mapping: '$.TICKER_SYMBOL' },
    { name: 'SECTOR', sqlType: 'VARCHAR(16)', mapping: '$.SECTOR' },
    { name: 'CHANGE', sqlType: 'REAL', mapping: '$.CHANGE' },
    { name: 'PRICE', sqlType: 'REAL', mapping: '$.PRICE' },
  ],
});

// The same schema with the opt-in WebAssembly SIMD structural-index fast path (src/input/json-flat-fast-path.ts).
const COLUMNS = [
  ['TICKER_SYMBOL', 'VARCHAR(4)'],
  ['SECTOR', 'VARCHAR(16)'],
  ['CHANGE', 'REAL'],
  ['PRICE', 'REAL'],
];
const wasmDecoder = new JsonRecordDecoder(
  {
    names: COLUMNS.map(([n]) => n),
    types: COLUMNS.map(([, t]) => parseSqlType(t)),
    paths: COLUMNS.map(([n]) => parseJsonPath(`$.${n}`)),
    rowPath: [],
    structuralIndex: true,
  },
  (_column, message) => {
    throw new Error(message);
  },
);

interface Result {
  rows: number;
  priceSum: number;
  tickerChars: number;
}
function fresh(): Result {
  return { rows: 0, priceSum: 0, tickerChars: 0 };
}

function ours(views: readonly Uint8Array[], d: { decode: typeof decoder.decode } = decoder): Result {
  const r = fresh();
  const onRow = (row: Value[]) => {
    r.rows++;
    r.priceSum += row[3] as number;
    r.tickerChars += (row[0] as string).length;
  };
  const onError = (e: Error) => {
    throw e;
  };
  for (let i = 0; i < views.length; i++) d.decode(views[i], onRow, onError);
  return r;
}

/** The peer: decode the bytes, JSON.parse the whole document, pick the 4 fields into a row. */
function peer(views: readonly Buffer[]): Result {
  const r = fresh();
  for (let i = 0; i < views.length; i++) {
    const o = JSON.parse(views[i].toString('utf8')) as Record<string, unknown>;
    const row: Value[] = [o.TICKER_SYMBOL as string, o.SECTOR as string, o.CHANGE as number, o.PRICE as number];
    r.rows++;
    r.priceSum += row[3] as number;
    r.tickerChars += (row[0] as string).length;
  }
  return r;
}

// The record shape of the engine's benchmark (bench:sql): 6 fields, TICKER and PRICE mapped, one
// Uint8Array per record (TextEncoder output), so the decode share of that benchmark can be read off here.
const T0 = Date.UTC(2026, 0, 1);
const SQL_TICKERS = Array.from({ length: 50 }, (_, i) => `T${String(i).padStart(3, '0')}`);
function sqlRecord(i: number): string {
  const x = (Math.imul(i, 1103515245) + 12345) >>> 0;
  const price = ((x >>> 8) % 100000) / 100 + 1;
  const change = (((x >>> 4) % 2001) - 1000) / 100;
  return `{"TICKER":"${SQL_TICKERS[x % 50]}","SECTOR":"${SECTORS[x % 5]}","PRICE":${price},"CHANGE":${change},"TS":${T0 + i},"SEQ":${i}}`;
}
const encoder = new TextEncoder();
const sqlPayloads: Uint8Array[] = Array.from({ length: N }, (_, i) => encoder.encode(sqlRecord(i)));
const sqlDecoder = createInputDecoder({
  format: 'JSON',
  recordRowPath: '$',
  columns: [
    { name: 'TICKER', sqlType: 'VARCHAR(4)', mapping: '$.TICKER' },
    { name: 'PRICE', sqlType: 'DOUBLE', mapping: '$.PRICE' },
  ],
});
function oursSqlShape(): number {
  let rows = 0;
  const onRow = () => {
    rows++;
  };
  const onError = (e: Error) => {
    throw e;
  };
  for (let i = 0; i < sqlPayloads.length; i++) sqlDecoder.decode(sqlPayloads[i], onRow, onError);
  return rows;
}

const variants: [string, () => Result][] = [
  ['createInputDecoder, one record per payload (Buffer views)', () => ours(bufferViews)],
  ['createInputDecoder, one record per payload (Uint8Array views)', () => ours(plainViews)],
  ['createInputDecoder, NDJSON payloads of 500 records', () => ours(ndjson)],
  ['opt-in: wasm SIMD structural-index fast path, one record per payload (Uint8Array views)', () => ours(plainViews, wasmDecoder)],
  ['peer: JSON.parse + field access, one record per payload', () => peer(bufferViews)],
];

// Wall time and CPU time of this process: on a shared machine the CPU time is the steadier of the two.
const times = variants.map(() => [] as number[]);
const cpuTimes = variants.map(() => [] as number[]);
const only = process.argv.includes('--only') ? Number(process.argv[process.argv.indexOf('--only') + 1]) : -1;
let reference: Result | null = null;
for (let round = 0; round < ROUNDS; round++) {
  variants.forEach(([name, run], v) => {
    if (only >= 0 && v !== only) return;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const res = run();
    times[v].push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpuTimes[v].push((c.user + c.system) / 1000);
    if (reference === null) reference = res;
    else if (res.rows !== reference.rows || Math.abs(res.priceSum - reference.priceSum) > 1e-6 * Math.abs(reference.priceSum) || res.tickerChars !== reference.tickerChars) {
      throw new Error(`${name} disagrees: ${JSON.stringify(res)} vs ${JSON.stringify(reference)}`);
    }
  });
}
// The bench:sql record shape, decode only (no engine), and optionally DuckDB's whole ticker query over the same
// records as NDJSON (read_json + GROUP BY, 1 thread), as in bench:sql: the decoder's share of the budget.
const sqlTimes: number[] = [];
const sqlCpu: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  if (oursSqlShape() !== N) throw new Error('bench:sql shape: wrong row count');
  sqlTimes.push(performance.now() - t0);
  const c = process.cpuUsage(c0);
  sqlCpu.push((c.user + c.system) / 1000);
}
// The floor: a bare loop that touches every byte once (counts quotes) over the same ticker buffers.
const floorTimes: number[] = [];
const floorCpu: number[] = [];
let quotes = 0;
for (let round = 0; round < ROUNDS; round++) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < bufferViews.length; i++) {
    const v = bufferViews[i];
    for (let j = 0; j < v.length; j++) if (v[j] === 0x22) quotes++;
  }
  floorTimes.push(performance.now() - t0);
  const c = process.cpuUsage(c0);
  floorCpu.push((c.user + c.system) / 1000);
}
if (quotes === 0) throw new Error('floor loop saw no quotes');

let duckMs: number | null = null;
let duckCpuMs = 0;
if (process.argv.includes('--duckdb')) {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-input-'));
  const file = path.join(dir, 'ticks.ndjson');
  writeFileSync(file, `${sqlPayloads.map((p) => Buffer.from(p).toString('utf8')).join('\n')}\n`);
  const conn = await (await DuckDBInstance.create(':memory:')).connect();
  await conn.run('SET threads=1');
  const q = `SELECT TICKER, (TS // 60000) * 60000 AS W, COUNT(*), MIN(PRICE), MAX(PRICE), AVG(PRICE)
     FROM read_json('${file}', format = 'newline_delimited', columns = {TICKER: 'VARCHAR', SECTOR: 'VARCHAR', PRICE: 'DOUBLE', CHANGE: 'DOUBLE', TS: 'BIGINT', SEQ: 'BIGINT'})
     GROUP BY TICKER, W`;
  const runs: number[] = [];
  const cpuRuns: number[] = [];
  for (let round = 0; round < 3; round++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await conn.runAndReadAll(q);
    runs.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpuRuns.push((c.user + c.system) / 1000); // DuckDB's thread is in this process: its CPU time counts here
  }
  duckMs = [...runs].sort((a, b) => a - b)[1];
  duckCpuMs = [...cpuRuns].sort((a, b) => a - b)[1];
  rmSync(dir, { recursive: true, force: true });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rate = (ms: number[]) => N / (median(ms) / 1000);
console.log(`input mapping: ${N} records of ~${Math.round(all.length / N)} bytes, 4 mapped columns, ${ROUNDS} rounds (median), node ${process.version}`);
console.log(`  ${'variant'.padEnd(64)} ${'wall'.padStart(14)} ${'CPU'.padStart(14)}`);
const last = variants.length - 1;
variants.forEach(([name], v) => {
  if (times[v].length === 0) return;
  const ratio = v === last || times[last].length === 0 ? '' : `  (${(rate(cpuTimes[v]) / rate(cpuTimes[last])).toFixed(2)}x peer, CPU)`;
  const fmt = (ms: number[]) => `${(rate(ms) / 1e6).toFixed(2).padStart(6)} M rec/s`;
  console.log(`  ${name.padEnd(64)} ${fmt(times[v])} ${fmt(cpuTimes[v])}${ratio}`);
});
console.log(`  all variants produced the same ${reference!.rows} rows (checksums of PRICE and TICKER_SYMBOL agree)`);
console.log(`  ${'floor: a bare loop over every byte (counting quotes)'.padEnd(64)} ${(rate(floorTimes) / 1e6).toFixed(2).padStart(6)} M rec/s ${(rate(floorCpu) / 1e6).toFixed(2).padStart(6)} M rec/s`);
const sqlFmt = (ms: number[]) => `${(rate(ms) / 1e6).toFixed(2).padStart(6)} M rec/s`;
console.log(`  ${'bench:sql record shape (6 fields, 2 mapped), decode only'.padEnd(64)} ${sqlFmt(sqlTimes)} ${sqlFmt(sqlCpu)}`);
if (duckMs !== null) {
  const duckRate = N / (duckMs / 1000);
  const duckCpuRate = N / (duckCpuMs / 1000);
  const fmt = (r: number) => `${(r / 1e6).toFixed(2).padStart(6)} M rec/s`;
  console.log(`  ${'DuckDB 1 thread: read_json + GROUP BY, same records'.padEnd(64)} ${fmt(duckRate)} ${fmt(duckCpuRate)}`);
  console.log(
    `  decode alone runs at ${(rate(sqlTimes) / duckRate).toFixed(2)}x (wall) / ${(rate(sqlCpu) / duckCpuRate).toFixed(2)}x (CPU) DuckDB's whole query, this run`,
  );
}
