/**
 * `npm run bench:soak`: a long run of the ticker application on the embedded stream with its in-process KPL
 * producer, as `streaming-analytics run examples/ticker --rate R` runs it (the built CLI, bin/ + dist/), sampling
 * every interval:
 *   - RSS and heap of the running process (a probe loaded with `node --import` prints process.memoryUsage()),
 *   - the rate de-aggregated (user records/s, from the run's progress lines) and the reader's lag behind the stream,
 *   - the delivery lag: when a delivery is logged, wall-clock time minus the ROWTIME of the newest row delivered
 *     (it includes the 10 s window and the 5 s commit interval of examples/ticker, so about 15 s is the floor).
 * Target: RSS flat after warm-up (the second half of the run within +-10% of its mean), delivery lag bounded, no
 * error, exit 0.
 *
 * Options: --duration <10m|90s|ms> (default 10m), --rate <user records/s> (default 50000), --interval <10s>
 * (default 10s), --json <file> (write the samples and the summary there).
 * Exit code 0 when the targets hold, 1 otherwise.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PROBE = fileURLToPath(new URL('./memory-probe.mjs', import.meta.url));

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function durationMs(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text);
  if (!m) throw new RangeError(`not a duration: ${text} (e.g. 10m, 90s, 5000ms)`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] ?? 'ms'] as number;
  return Number(m[1]) * unit;
}

interface Sample {
  /** Seconds since start. */
  t: number;
  rssMB: number;
  heapUsedMB: number;
  externalMB: number;
  userRecordsPerSecond?: number;
  readerLagMs?: number;
  deliveryLagMs?: number;
  errors?: number;
}

const duration = durationMs(option('duration') ?? '10m');
const rate = Number(option('rate') ?? 50_000);
const interval = durationMs(option('interval') ?? '10s');
const jsonOut = option('json');
if (!(rate > 0)) throw new RangeError(`--rate must be positive; received ${option('rate')}`);

const work = mkdtempSync(path.join(tmpdir(), 'soak-'));
const started = Date.now();
const samples: Sample[] = [];
let latest: Partial<Sample> = {};
let deliveryLagMax = 0;
let lastStopped = '';
const stderrTail: string[] = [];

const child = spawn(
  process.execPath,
  ['--import', PROBE, path.join(ROOT, 'bin', 'streaming-analytics.js'), 'run', path.join(ROOT, 'examples', 'ticker'), '--rate', String(rate), '--duration', `${duration}ms`, '--json'],
  // The example writes under ./output: a temporary folder, removed afterwards.
  { cwd: work, env: { ...process.env, SOAK_PROBE_MS: String(interval) }, stdio: ['ignore', 'ignore', 'pipe'] },
);

let pending = '';
child.stderr.on('data', (chunk: Buffer) => {
  pending += chunk.toString('utf8');
  const lines = pending.split('\n');
  pending = lines.pop() as string;
  for (const line of lines) handle(line);
});

function handle(line: string): void {
  if (!line.startsWith('{')) {
    stderrTail.push(line);
    if (stderrTail.length > 20) stderrTail.shift();
    return;
  }
  const entry = JSON.parse(line) as Record<string, unknown>;
  if (entry.soakProbe) {
    const p = entry.soakProbe as { time: number; rss: number; heapUsed: number; external: number };
    const sample: Sample = { t: Math.round((p.time - started) / 1000), rssMB: round(p.rss / 2 ** 20), heapUsedMB: round(p.heapUsed / 2 ** 20), externalMB: round(p.external / 2 ** 20), ...latest };
    samples.push(sample);
    latest = {};
    console.log(JSON.stringify(sample));
    return;
  }
  const message = String(entry.message ?? '');
  if (message === 'progress') {
    latest.userRecordsPerSecond = entry.userRecordsPerSecond as number;
    latest.readerLagMs = entry.lagMs as number;
    latest.errors = entry.errors as number;
    return;
  }
  if (message.startsWith('stopped (')) lastStopped = message;
  // "<n> DESTINATION_SQL_STREAM row(s) delivered to ...\n  {"ROWTIME":"2026-01-05 10:00:00.000",...}"
  const rowtimes = [...message.matchAll(/"ROWTIME":"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3})"/g)].map((m) => Date.parse(`${m[1].replace(' ', 'T')}Z`));
  if (message.includes(' delivered to ') && rowtimes.length > 0) {
    const lag = Date.parse(String(entry.time)) - Math.max(...rowtimes);
    latest.deliveryLagMs = Math.max(latest.deliveryLagMs ?? 0, lag);
    deliveryLagMax = Math.max(deliveryLagMax, lag);
  }
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

const code: number = await new Promise((resolve) => child.once('close', (c) => resolve(c ?? 1)));
if (pending) handle(pending);
rmSync(work, { recursive: true, force: true });

// The second half of the run: after warm-up, RSS should stay within +-10% of its mean.
const late = samples.filter((s) => s.t * 1000 >= duration / 2);
const mean = late.reduce((n, s) => n + s.rssMB, 0) / Math.max(1, late.length);
const spread = late.length ? Math.max(...late.map((s) => Math.abs(s.rssMB - mean) / mean)) : NaN;
const rates = samples.map((s) => s.userRecordsPerSecond).filter((r): r is number => r !== undefined && r > 0);
const errors = Math.max(0, ...samples.map((s) => s.errors ?? 0));
const summary = {
  requestedRate: rate,
  durationS: duration / 1000,
  machine: `${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), load average at the end ${loadavg().map((l) => l.toFixed(2)).join(' ')}`,
  exitCode: code,
  stopped: lastStopped.slice(0, 400),
  sustainedUserRecordsPerSecond: rates.length ? Math.round(rates.slice(Math.floor(rates.length / 2)).reduce((a, b) => a + b, 0) / Math.max(1, rates.length - Math.floor(rates.length / 2))) : 0,
  rssSecondHalfMeanMB: round(mean),
  rssSecondHalfMaxDeviation: Number.isFinite(spread) ? `${(spread * 100).toFixed(1)}%` : 'no samples',
  rssPeakMB: Math.max(0, ...samples.map((s) => s.rssMB)),
  heapPeakMB: Math.max(0, ...samples.map((s) => s.heapUsedMB)),
  deliveryLagMaxMs: deliveryLagMax,
  errorRows: errors,
};
const ok = code === 0 && late.length >= 2 && spread <= 0.1 && errors === 0 && deliveryLagMax > 0;
console.log(JSON.stringify({ summary, targetsMet: ok }, null, 2));
if (code !== 0) console.log(stderrTail.join('\n'));
if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ summary, targetsMet: ok, samples }, null, 2));
process.exitCode = ok ? 0 : 1;
