/**
 * `npm run bench:pipeline`: the whole pipeline, KPL bytes in -> result objects out, for the ticker application,
 * beside DuckDB over the same records de-aggregated to NDJSON, in the same run.
 *
 *   generate (not timed): N ticker records from the `produce` command's TickerProducer, KPL-aggregated per shard,
 *     arrival times from a virtual clock at --rate records/s, written as a file-replay NDJSON (the `produce --to
 *     file://` format), the same Kinesis records as a binary recording (`produce --to file://x.krec`); and the same
 *     user records, de-aggregated, as NDJSON with their arrival time (`ARRIVAL_MS`).
 *   pipeline: runApplication (what `run` does): FileReplaySource (unpaced) -> KPL de-aggregation -> input mapping
 *     -> engine (examples/ticker's SQL) -> local bucket folder, with checkpoints; user records/s, MB/s of KPL
 *     input, peak RSS; once over the NDJSON recording, once over the binary one.
 *   duckdb: @duckdb/node-api, SET threads=1: read_json over the de-aggregated NDJSON, GROUP BY ticker and 10-second
 *     window of ARRIVAL_MS; records/s, peak RSS.
 *   Each pipeline's result is compared with DuckDB's (count exact; min, max, avg within a relative 1e-6: REAL is single precision).
 *
 * Each phase runs in its own process, so each peak RSS is that phase's alone.
 * Options: --records N (default 1000000), --rate N (arrivals per second, default 10000), --keep (keep the files).
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { loadApplicationDefinition } from '../../src/app/definition/index.js';
import { FileTarget } from '../../src/app/producer/producer-targets.js';
import { TickerProducer } from '../../src/app/producer/ticker-producer.js';
import { runApplication } from '../../src/app/run/run-application.js';
import { encodeRecordingFrame, encodeRecordingHeader } from '../../src/kinesis/index.js';
import { deaggregate } from '../../src/kpl/index.js';

const SELF = fileURLToPath(import.meta.url);
const ROOT = path.resolve(path.dirname(SELF), '..', '..');
const args = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const N = Number(opt('--records') ?? 1_000_000);
const RATE = Number(opt('--rate') ?? 10_000);
const START = Date.UTC(2026, 0, 5, 12, 0, 0);

interface PhaseResult {
  ms: number;
  /** CPU time of the phase's process over the timed part (every thread: DuckDB's worker included). */
  cpuMs: number;
  maxRssKb: number;
  [k: string]: unknown;
}

interface WindowRow {
  end: string;
  ticker: string;
  n: number;
  min: number;
  max: number;
  avg: number;
}

async function generate(dir: string): Promise<PhaseResult> {
  const t0 = performance.now();
  let now = START;
  const clock = () => now;
  const kplFile = path.join(dir, 'kpl.ndjson');
  const target = new FileTarget(kplFile, clock);
  const producer = new TickerProducer(target, { recordsPerSecond: RATE, seed: 42, tickers: 50, clock, sleep: async (ms) => void (now += ms) });
  await producer.run({ maxRecords: N });
  await target.close();
  // The same user records, de-aggregated, each with its Kinesis record's arrival time.
  const out = createWriteStream(path.join(dir, 'records.ndjson'));
  // The same Kinesis records as a binary recording (what FileTarget writes for a .krec path).
  const binary = createWriteStream(path.join(dir, 'kpl.krec'));
  binary.write(encodeRecordingHeader());
  let kplBytes = 0;
  let users = 0;
  for (const line of readFileSync(kplFile, 'utf8').split('\n')) {
    if (line === '') continue;
    const r = JSON.parse(line) as { at: string; partitionKey: string; dataBase64: string };
    const data = Buffer.from(r.dataBase64, 'base64');
    kplBytes += data.length;
    const at = Date.parse(r.at);
    if (!binary.write(encodeRecordingFrame({ at, partitionKey: r.partitionKey, data }))) await new Promise<void>((resolve) => binary.once('drain', () => resolve()));
    const lines: string[] = [];
    for (const u of deaggregate({ data, partitionKey: r.partitionKey, sequenceNumber: '1' })) {
      users++;
      lines.push(`{"ARRIVAL_MS":${at},${Buffer.from(u.data).toString('utf8').slice(1)}`);
    }
    if (!out.write(lines.join('\n') + '\n')) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  await new Promise<void>((resolve, reject) => binary.end((e?: Error | null) => (e ? reject(e) : resolve())));
  if (users !== N) throw new Error(`generated ${users} user records, expected ${N}`);
  return {
    ms: performance.now() - t0,
    cpuMs: 0,
    maxRssKb: process.resourceUsage().maxRSS,
    kinesisRecords: producer.kinesisRecords,
    kplBytes,
    kplFileBytes: statSync(kplFile).size,
    krecFileBytes: statSync(path.join(dir, 'kpl.krec')).size,
    ndjsonBytes: statSync(path.join(dir, 'records.ndjson')).size,
  };
}

function pipeline(recording: string): (dir: string) => Promise<PhaseResult> {
  return (dir) => runPipeline(dir, recording);
}

async function runPipeline(dir: string, recording: string): Promise<PhaseResult> {
  const bucket = path.join(dir, `bucket-${recording}`);
  const base = loadApplicationDefinition(path.join(ROOT, 'examples', 'ticker'), {
    source: { type: 'file', path: path.join(dir, recording) },
    destinations: { DESTINATION_SQL_STREAM: { type: 'local', path: bucket }, error_stream: { type: 'local', path: bucket } },
  });
  // Firehose-like buffering (commits every 5 s of wall time or 64 MiB held, whichever first); ROWTIME (the window's
  // end) delivered as the rows' first field, so that they can be matched with DuckDB's windows.
  const def = { ...base, outputs: base.outputs.map((o) => ({ ...o, bufferIntervalMs: 5000, bufferSizeBytes: 64 * 1024 * 1024, includeRowtime: true })) };
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const summary = await runApplication(def, { checkpointDir: path.join(dir, `checkpoints-${recording}`) });
  const ms = performance.now() - t0;
  const cpuMs = cpuSince(c0);
  if (summary.reason !== 'end-of-input') throw new Error(`pipeline stopped: ${summary.reason}`);
  const rows = readBucket(bucket);
  writeFileSync(path.join(dir, `pipeline-rows-${recording}.json`), JSON.stringify(rows));
  return { ms, cpuMs, maxRssKb: process.resourceUsage().maxRSS, metrics: summary.metrics, rows: rows.length };
}

function cpuSince(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
}

function readBucket(folder: string): WindowRow[] {
  const files = execFileSync('find', [folder, '-type', 'f', '!', '-name', '.*'], { encoding: 'utf8' }).split('\n').filter((f) => f !== '');
  const rows: WindowRow[] = [];
  for (const f of files) {
    if (path.relative(folder, f).startsWith('errors/')) throw new Error(`unexpected error_stream object ${f}`);
    for (const line of readFileSync(f, 'utf8').split('\n')) {
      if (line === '') continue;
      const r = JSON.parse(line) as { ROWTIME: string; TICKER_SYMBOL: string; TRADE_COUNT: number; MIN_PRICE: number; MAX_PRICE: number; AVG_PRICE: number };
      rows.push({ end: r.ROWTIME, ticker: r.TICKER_SYMBOL, n: r.TRADE_COUNT, min: r.MIN_PRICE, max: r.MAX_PRICE, avg: r.AVG_PRICE });
    }
  }
  return rows;
}

async function duckdb(dir: string): Promise<PhaseResult> {
  const file = path.join(dir, 'records.ndjson');
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  await conn.run('SET threads=1');
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  // ROWTIME is the arrival time (never decreasing; the file is in arrival order); a row's ROWTIME is its window's end.
  const reader = await conn.runAndReadAll(`
    SELECT strftime(make_timestamp((ARRIVAL_MS - ARRIVAL_MS % 10000 + 10000) * 1000), '%Y-%m-%d %H:%M:%S.%g') AS "end",
           TICKER_SYMBOL AS ticker, count(*)::INTEGER AS n, min(PRICE) AS min, max(PRICE) AS max, avg(PRICE::DOUBLE) AS avg
    FROM read_json('${file}', format = 'newline_delimited',
                   columns = {ARRIVAL_MS: 'BIGINT', TICKER_SYMBOL: 'VARCHAR', SECTOR: 'VARCHAR', CHANGE: 'FLOAT', PRICE: 'FLOAT', EVENT_TIME: 'VARCHAR'})
    GROUP BY ALL`);
  const rows = reader.getRowObjectsJS() as unknown as WindowRow[];
  const ms = performance.now() - t0;
  const cpuMs = cpuSince(c0);
  writeFileSync(path.join(dir, 'duckdb-rows.json'), JSON.stringify(rows));
  conn.closeSync();
  return { ms, cpuMs, maxRssKb: process.resourceUsage().maxRSS, rows: rows.length };
}

function compare(ours: WindowRow[], theirs: WindowRow[]): string[] {
  const close = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a), Math.abs(b));
  const byKey = new Map(theirs.map((r) => [`${r.end}|${r.ticker}`, r]));
  const problems: string[] = [];
  for (const r of ours) {
    const k = `${r.end}|${r.ticker}`;
    const d = byKey.get(k);
    if (!d) problems.push(`only in the pipeline: ${k}`);
    else if (r.n !== d.n || !close(r.min, d.min) || !close(r.max, d.max) || !close(r.avg, d.avg)) problems.push(`${k}: ${JSON.stringify(r)} vs ${JSON.stringify(d)}`);
    byKey.delete(k);
  }
  for (const k of byKey.keys()) problems.push(`only in DuckDB: ${k}`);
  return problems;
}

function runPhase(phase: string, dir: string): PhaseResult {
  const out = execFileSync(process.execPath, ['--import', 'tsx', SELF, '--phase', phase, '--dir', dir, '--records', String(N), '--rate', String(RATE)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(out.trim().split('\n').pop() as string) as PhaseResult;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const mb = (kb: number) => `${Math.round(kb / 1024)} MB`;

async function main(): Promise<void> {
  const phase = opt('--phase');
  const dirOpt = opt('--dir');
  if (phase !== undefined && dirOpt !== undefined) {
    const fn = { generate, pipeline: pipeline('kpl.ndjson'), 'pipeline-binary': pipeline('kpl.krec'), duckdb }[phase];
    if (!fn) throw new Error(`unknown phase ${phase}`);
    process.stdout.write(`${JSON.stringify(await fn(dirOpt))}\n`);
    return;
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-pipeline-'));
  try {
    const load = loadavg().map((l) => l.toFixed(1)).join(' ');
    console.log(`bench:pipeline: ${fmt(N)} ticker records, KPL-aggregated, arrivals at ${fmt(RATE)}/s; ${new Date().toISOString()}`);
    console.log(`machine: ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), Node ${process.version}, load average ${load}`);
    const g = runPhase('generate', dir);
    const kplMb = (g.kplBytes as number) / 1e6;
    console.log(`generated (not timed): ${fmt(g.kinesisRecords as number)} Kinesis records, ${kplMb.toFixed(1)} MB of KPL data (${((g.kplFileBytes as number) / 1e6).toFixed(1)} MB as replay NDJSON, ${((g.krecFileBytes as number) / 1e6).toFixed(1)} MB as a binary recording); ${((g.ndjsonBytes as number) / 1e6).toFixed(1)} MB de-aggregated NDJSON for DuckDB`);
    const p = runPhase('pipeline', dir);
    const b = runPhase('pipeline-binary', dir);
    const d = runPhase('duckdb', dir);
    const theirs = JSON.parse(readFileSync(path.join(dir, 'duckdb-rows.json'), 'utf8')) as WindowRow[];
    const dRate = N / (d.ms / 1000);
    const line = (what: string, r: PhaseResult) =>
      `| ${what} | ${fmt(r.ms)} ms | ${fmt(r.cpuMs)} ms | ${fmt(N / (r.ms / 1000))} | ${fmt(N / (r.cpuMs / 1000))} | ${(kplMb / (r.ms / 1000)).toFixed(1)} (KPL) | ${mb(r.maxRssKb)} | ${fmt(r.rows as number)} |`;
    console.log('');
    console.log('| | wall | CPU | user records/s (wall) | user records/CPU-s | input MB/s (wall) | peak RSS | rows |');
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
    console.log(line('pipeline, NDJSON recording: file replay -> KPL de-aggregation -> mapping -> engine -> local bucket (checkpoints on)', p));
    console.log(line('pipeline, binary recording (.krec): the same', b));
    console.log(`| DuckDB 1 thread: read_json (de-aggregated NDJSON) + GROUP BY | ${fmt(d.ms)} ms | ${fmt(d.cpuMs)} ms | ${fmt(dRate)} | ${fmt(N / (d.cpuMs / 1000))} | ${(((g.ndjsonBytes as number) / 1e6) / (d.ms / 1000)).toFixed(1)} (NDJSON) | ${mb(d.maxRssKb)} | ${fmt(d.rows as number)} |`);
    console.log('');
    for (const [name, r, recording] of [['NDJSON', p, 'kpl.ndjson'], ['binary', b, 'kpl.krec']] as const) {
      const ours = JSON.parse(readFileSync(path.join(dir, `pipeline-rows-${recording}.json`), 'utf8')) as WindowRow[];
      const problems = compare(ours, theirs);
      console.log(`pipeline (${name}) metrics: ${JSON.stringify(r.metrics)}`);
      console.log(`ratio pipeline (${name}) / DuckDB: ${(d.cpuMs / r.cpuMs).toFixed(2)}x in records per CPU-second, ${(d.ms / r.ms).toFixed(2)}x in records/s (wall)`);
      console.log(`same rows as DuckDB (${name}): ${problems.length === 0 ? `yes (${ours.length} rows)` : `NO: ${problems.length} differences, e.g.\n  ${problems.slice(0, 5).join('\n  ')}`}`);
      if (problems.length > 0) process.exitCode = 1;
    }
    console.log(`load average (1/5/15 min) at the end: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  } finally {
    if (!args.includes('--keep')) rmSync(dir, { recursive: true, force: true });
    else console.log(`files kept in ${dir}`);
  }
}

await main();
