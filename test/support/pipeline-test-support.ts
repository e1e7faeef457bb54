/**
 * Shared by the pipeline integration tests: deterministic KPL-aggregated ticker input, the command run as a child
 * process, result objects read back, and the ticker application's windows computed independently of the engine
 * (de-aggregated with the aws-kinesis-agg module, aggregated here in plain TypeScript).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileTarget } from '../../src/app/producer/producer-targets.js';
import { TickerProducer, type ProducerTarget } from '../../src/app/producer/ticker-producer.js';
import { mulberry32 } from '../../src/util/mulberry32.js';

export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI_MAIN = fileURLToPath(new URL('./cli-main.ts', import.meta.url));

/** The ticker SQL of examples/ticker, for definitions the tests write. */
export const TICKER_SQL_FILE = join(PROJECT_ROOT, 'examples', 'ticker', 'ticker.sql');

/**
 * Writes `records` generated ticker records, KPL-aggregated, as a file-replay NDJSON whose arrival times advance
 * at `rate` records per second from `startAt` (a virtual clock: the file is written as fast as the disk allows).
 */
export async function writeTickerReplayFile(path: string, o: { records: number; rate: number; seed: number; startAt: number; tickers?: number }): Promise<void> {
  let now = o.startAt;
  const clock = () => now;
  const target = new FileTarget(path, clock);
  const producer = new TickerProducer(target, {
    recordsPerSecond: o.rate,
    seed: o.seed,
    tickers: o.tickers,
    clock,
    sleep: async (ms) => {
      now += ms;
    },
  });
  await producer.run({ maxRecords: o.records });
  await target.close();
}

/** Sends the producer's Kinesis records to `inner` and keeps a copy (with the virtual arrival time for files). */
export class RecordingTarget implements ProducerTarget {
  readonly records: { partitionKey: string; data: Uint8Array }[] = [];
  constructor(private readonly inner: ProducerTarget) {}
  get shardOf() {
    return this.inner.shardOf?.bind(this.inner);
  }
  async put(records: readonly { partitionKey: string; data: Uint8Array; userRecordCount?: number }[]): Promise<void> {
    for (const r of records) this.records.push({ partitionKey: r.partitionKey, data: r.data });
    await this.inner.put(records as never);
  }
}

export interface ReplayLine {
  readonly at: number;
  readonly partitionKey: string;
  readonly data: Buffer;
}

/** The lines of a file-replay NDJSON written by FileTarget. */
export function readReplayFile(path: string): ReplayLine[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const v = JSON.parse(l) as { at: string; partitionKey: string; dataBase64: string };
      return { at: Date.parse(v.at), partitionKey: v.partitionKey, data: Buffer.from(v.dataBase64, 'base64') };
    });
}

interface PeerUserRecord {
  data: string;
}
interface PeerModule {
  deaggregateSync(record: { data: string; partitionKey: string; sequenceNumber: string }, computeChecksums: boolean, callback: (err: Error | null | undefined, records?: PeerUserRecord[]) => void): void;
}
const peer = createRequire(import.meta.url)('aws-kinesis-agg') as PeerModule;

/** De-aggregates one Kinesis record with the aws-kinesis-agg module (not the project's own de-aggregation). */
export function peerDeaggregate(data: Uint8Array, partitionKey: string): Buffer[] {
  let result: PeerUserRecord[] | undefined;
  let failure: Error | undefined;
  peer.deaggregateSync({ data: Buffer.from(data).toString('base64'), partitionKey, sequenceNumber: '1' }, true, (err, records) => {
    if (err) failure ??= err;
    else result ??= records;
  });
  if (failure) throw failure;
  return result!.map((r) => Buffer.from(r.data, 'base64'));
}

export interface TickerWindowRow {
  ROWTIME: string;
  TICKER_SYMBOL: string;
  TRADE_COUNT: number;
  MIN_PRICE: number;
  MAX_PRICE: number;
  AVG_PRICE: number;
}

/** `YYYY-MM-DD HH:MM:SS.SSS` in UTC, as output rows carry ROWTIME. */
export function rowtimeText(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

/**
 * The ticker application's result, computed directly: ROWTIME of each user record is its Kinesis record's arrival
 * time (never decreasing), each 10-second tumbling window of ROWTIME gives one row per ticker with the count, the
 * minimum, maximum and average price, and the row's ROWTIME is the window's end. `closedBefore` keeps only windows
 * that ended at or before that instant.
 */
export function expectedTickerWindows(records: readonly { at: number; partitionKey: string; data: Uint8Array }[], closedBefore = Infinity): TickerWindowRow[] {
  const groups = new Map<string, { end: number; ticker: string; n: number; min: number; max: number; sum: number }>();
  let rowtime = -Infinity;
  for (const r of records) {
    rowtime = Math.max(rowtime, r.at);
    const end = Math.floor(rowtime / 10_000) * 10_000 + 10_000;
    for (const user of peerDeaggregate(r.data, r.partitionKey)) {
      const v = JSON.parse(user.toString('utf8')) as { TICKER_SYMBOL: string; PRICE: number };
      const key = `${end}|${v.TICKER_SYMBOL}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { end, ticker: v.TICKER_SYMBOL, n: 0, min: Infinity, max: -Infinity, sum: 0 }));
      g.n++;
      g.min = Math.min(g.min, v.PRICE);
      g.max = Math.max(g.max, v.PRICE);
      g.sum += v.PRICE;
    }
  }
  return [...groups.values()]
    .filter((g) => g.end <= closedBefore)
    .map((g) => ({ ROWTIME: rowtimeText(g.end), TICKER_SYMBOL: g.ticker, TRADE_COUNT: g.n, MIN_PRICE: g.min, MAX_PRICE: g.max, AVG_PRICE: g.sum / g.n }));
}

/**
 * Compares window rows as multisets: every expected row is matched by exactly one actual row with the same
 * ROWTIME, ticker and count, prices equal within a relative 1e-6 (REAL is single precision; the sum order of an
 * average may differ). Returns the differences in words, empty when the rows agree.
 */
export function diffWindowRows(actual: readonly TickerWindowRow[], expected: readonly TickerWindowRow[]): string[] {
  const close = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a), Math.abs(b));
  const byKey = new Map<string, TickerWindowRow[]>();
  for (const r of actual) {
    const k = `${r.ROWTIME}|${r.TICKER_SYMBOL}`;
    byKey.set(k, [...(byKey.get(k) ?? []), r]);
  }
  const problems: string[] = [];
  for (const e of expected) {
    const k = `${e.ROWTIME}|${e.TICKER_SYMBOL}`;
    const got = byKey.get(k) ?? [];
    if (got.length === 0) problems.push(`missing window ${k}`);
    else if (got.length > 1) problems.push(`window ${k} delivered ${got.length} times`);
    else {
      const g = got[0];
      if (g.TRADE_COUNT !== e.TRADE_COUNT || !close(g.MIN_PRICE, e.MIN_PRICE) || !close(g.MAX_PRICE, e.MAX_PRICE) || !close(g.AVG_PRICE, e.AVG_PRICE)) {
        problems.push(`window ${k}: got ${JSON.stringify(g)}, expected ${JSON.stringify(e)}`);
      }
    }
    byKey.delete(k);
  }
  for (const [k, rows] of byKey) problems.push(`unexpected window ${k} (${rows.length} row(s))`);
  return problems;
}

/** Every object (file) under a local bucket folder, dot-files (a writer's temporary files) excluded, by key. */
export function listBucketObjects(folder: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw e;
    }
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(relative(folder, p).split('\\').join('/'));
    }
  };
  walk(folder);
  return out.sort();
}

/** The NDJSON rows of objects whose keys `keep` accepts. */
export function readBucketRows<T = Record<string, unknown>>(folder: string, keep: (key: string) => boolean = () => true): T[] {
  return listBucketObjects(folder)
    .filter(keep)
    .flatMap((key) => parseNdjson<T>(readFileSync(join(folder, key), 'utf8')));
}

export function parseNdjson<T>(text: string): T[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);
}

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Starts `streaming-analytics <args>` from the sources as a child process. */
export function spawnCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI_MAIN, ...args], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliResult>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

/** Runs the command to its end. */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return spawnCli(args, env).done;
}

/** The metrics of the run's closing `stopped (...)` log line (`--json` output). */
export function stoppedMetrics(stderr: string): { reason: string; metrics: Record<string, number> } {
  for (const line of stderr.split('\n').reverse()) {
    if (!line.startsWith('{')) continue;
    const m = /^stopped \(([^)]*)\): (\{.*\})$/s.exec((JSON.parse(line) as { message: string }).message);
    if (m) return { reason: m[1], metrics: JSON.parse(m[2]) as Record<string, number> };
  }
  throw new Error(`the run logged no 'stopped' line; its stderr:\n${stderr.slice(-3000)}`);
}

/** A seeded pseudo-random generator, so that a failing kill schedule can be replayed. */
export const seededRandom = mulberry32;

/** The ticker definition (project form) the tests run, with a local bucket output and short buffer intervals. */
export function tickerDefinitionYaml(o: { outputFolder: string; bufferIntervalMs?: number; errorOutput?: boolean }): string {
  const interval = o.bufferIntervalMs ?? 300;
  return `name: ticker
sqlFile: ${JSON.stringify(TICKER_SQL_FILE)}
input:
  source: embedded
  startingPosition: TRIM_HORIZON
  preprocessor: kpl
  format: JSON
  recordRowPath: $
  columns:
    - { name: TICKER_SYMBOL, sqlType: VARCHAR(4), mapping: $.TICKER_SYMBOL }
    - { name: SECTOR, sqlType: VARCHAR(16), mapping: $.SECTOR }
    - { name: CHANGE, sqlType: REAL, mapping: $.CHANGE }
    - { name: PRICE, sqlType: REAL, mapping: $.PRICE }
    - { name: EVENT_TIME, sqlType: TIMESTAMP, mapping: $.EVENT_TIME }
outputs:
  - { stream: DESTINATION_SQL_STREAM, destination: ${JSON.stringify(o.outputFolder)}, bufferIntervalMs: ${interval}, includeRowtime: true }
${o.errorOutput === false ? '' : `  - { stream: error_stream, destination: ${JSON.stringify(o.outputFolder)}, bufferIntervalMs: ${interval} }\n`}`;
}
