/**
 * `npm run bench:rss`: resident memory while 10M records stream through, each variant in a fresh process
 * (`--expose-gc`), with records generated as they are fed, so that nothing but the code under test holds memory:
 *
 *   engine:   bench:sql's tumbling workload (its records, input mapping and SQL), payload bytes -> input decoder ->
 *             engine, driven as bench:sql's RSS check drives them;
 *   pipeline: the same records KPL-aggregated as the KPL does (Aggregator, 50 KB aggregates), each aggregate
 *             de-aggregated with the corrupt-aggregate policy (what the run pipeline's KPL stage does) and its user
 *             records taken in by ApplicationRuntime.ingest (JSON output rows, as every host gets them).
 *
 * Memory is sampled after a forced GC at 1M records and every --every records after (default 1M): RSS, V8 heap used,
 * external memory. A variant meets the target when every sample after the first is at most --limit MB (default 256)
 * and within ±10% of the samples' mean (flat). Exit code 1 when a variant misses it.
 *
 * Options: --records N (default 10000000), --every N, --limit MB, --only engine|pipeline.
 */
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createInputDecoder } from '../../src/input/index.js';
import { compileApplication } from '../../src/engine/index.js';
import { Aggregator } from '../../src/kpl/index.js';
import { ApplicationRuntime } from '../../src/runtime/application-runtime.js';
import { kplUserRecords } from '../../src/runtime/preprocess/kpl-user-records.js';
import type { Value } from '../../src/types/sql-type.js';
import { INPUT, INPUT_STREAM, T0, TUMBLING_SQL, record } from '../sql/ticker-workload.js';

const SELF = fileURLToPath(import.meta.url);
const args = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const N = Number(opt('--records') ?? 10_000_000);
const EVERY = Number(opt('--every') ?? 1_000_000);
const LIMIT_MB = Number(opt('--limit') ?? 256);

interface Sample {
  records: number;
  rss: number;
  heapUsed: number;
  external: number;
}

interface VariantResult {
  samples: Sample[];
  rows: number;
  cpuMs: number;
  ms: number;
}

function sampler(): { samples: Sample[]; take: (records: number) => void } {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc (npm run bench:rss does)');
  const samples: Sample[] = [];
  return {
    samples,
    take(records) {
      gc();
      const m = process.memoryUsage();
      samples.push({ records, rss: m.rss, heapUsed: m.heapUsed, external: m.external });
    },
  };
}

const due = (done: number) => done === N || (done >= 1_000_000 && (done - 1_000_000) % EVERY === 0);

function engineVariant(): VariantResult {
  const { samples, take } = sampler();
  const decoder = createInputDecoder(INPUT);
  const app = compileApplication({ sql: TUMBLING_SQL, inputs: [{ name: INPUT_STREAM, columns: decoder.columns.map((c) => ({ name: c.name, type: c.type })) }] });
  const engine = app.start();
  let rows = 0;
  engine.onRow(() => {
    rows++;
  });
  engine.onError((e) => {
    throw new Error(`unexpected error_stream row: ${e.MESSAGE}`);
  });
  const enc = new TextEncoder();
  let t = 0;
  const insert = (row: Value[]) => engine.insert(INPUT_STREAM, row, t);
  const fail = (e: Error) => {
    throw e;
  };
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    t = T0 + i;
    decoder.decode(enc.encode(record(i)), insert, fail);
    if (due(i + 1)) take(i + 1);
  }
  engine.finish();
  const c = process.cpuUsage(c0);
  return { samples, rows, cpuMs: (c.user + c.system) / 1000, ms: performance.now() - t0 };
}

function pipelineVariant(): VariantResult {
  const { samples, take } = sampler();
  const runtime = ApplicationRuntime.compile({ sql: TUMBLING_SQL, input: { ...INPUT, namePrefix: 'SOURCE_SQL_STREAM' } });
  let rows = 0;
  runtime.onOutput((stream) => {
    if (stream === 'error_stream') throw new Error('unexpected error_stream row');
    rows++;
  });
  const aggregator = new Aggregator();
  const enc = new TextEncoder();
  let sequence = 0;
  let users = 0;
  const deliver = (aggregates: readonly { data: Uint8Array; partitionKey: string }[], at: number) => {
    for (const a of aggregates) {
      const r = kplUserRecords({ data: a.data, partitionKey: a.partitionKey, sequenceNumber: String(++sequence), approximateArrivalTimestamp: at }, 'fail');
      if (!r.ok) throw new Error(r.detail);
      for (const u of r.records) {
        runtime.ingest(u.data, at);
        users++;
        if (due(users)) take(users);
      }
    }
  };
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    deliver(aggregator.add({ partitionKey: `k${i % 50}`, data: enc.encode(record(i)) }), T0 + i);
  }
  deliver(aggregator.flush(), T0 + N);
  runtime.finish();
  const c = process.cpuUsage(c0);
  if (users !== N) throw new Error(`${users} user records de-aggregated, expected ${N}`);
  return { samples, rows, cpuMs: (c.user + c.system) / 1000, ms: performance.now() - t0 };
}

const mb = (b: number) => b / 1024 / 1024;

function report(name: string, r: VariantResult): boolean {
  const later = r.samples.slice(1);
  const mean = later.reduce((s, x) => s + x.rss, 0) / Math.max(1, later.length);
  const deviation = Math.max(0, ...later.map((x) => Math.abs(x.rss - mean) / mean));
  const peak = Math.max(...r.samples.map((x) => x.rss));
  const met = later.every((x) => mb(x.rss) <= LIMIT_MB) && deviation <= 0.1;
  console.log(`\n${name}: ${N.toLocaleString('en-US')} records, ${r.rows} rows, ${Math.round(N / (r.cpuMs / 1000)).toLocaleString('en-US')} records per CPU-second (generation included), ${(r.ms / 1000).toFixed(1)} s wall`);
  console.log(`| records | ${r.samples.map((s) => `${s.records / 1e6}M`).join(' | ')} |`);
  console.log(`|---|${r.samples.map(() => '---:').join('|')}|`);
  console.log(`| RSS | ${r.samples.map((s) => `${mb(s.rss).toFixed(0)} MB`).join(' | ')} |`);
  console.log(`| V8 heap used | ${r.samples.map((s) => `${mb(s.heapUsed).toFixed(0)} MB`).join(' | ')} |`);
  console.log(`| external | ${r.samples.map((s) => `${mb(s.external).toFixed(1)} MB`).join(' | ')} |`);
  console.log(`peak sampled RSS ${mb(peak).toFixed(0)} MB; after 1M: mean ${mb(mean).toFixed(0)} MB, largest deviation ${(deviation * 100).toFixed(1)}%; target (<= ${LIMIT_MB} MB and within 10%): ${met ? 'met' : 'NOT met'}`);
  return met;
}

const mode = opt('--mode');
if (mode !== undefined) {
  const result = mode === 'engine' ? engineVariant() : mode === 'pipeline' ? pipelineVariant() : undefined;
  if (!result) throw new Error(`unknown --mode ${mode}`);
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  console.log(`bench:rss: ${N.toLocaleString('en-US')} records per variant, each in a fresh process; ${new Date().toISOString()}; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  let ok = true;
  for (const name of (opt('--only') ?? 'engine,pipeline').split(',')) {
    const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', SELF, '--mode', name, '--records', String(N), '--every', String(EVERY)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    ok = report(name === 'engine' ? 'engine (decoder + engine, bench:sql\'s RSS workload)' : 'pipeline (KPL aggregates -> de-aggregation -> ApplicationRuntime.ingest)', JSON.parse(out.trim().split('\n').pop() as string) as VariantResult) && ok;
  }
  console.log(`\nload average at the end: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  if (!ok) process.exitCode = 1;
}
