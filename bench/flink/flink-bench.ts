/**
 * `npm run bench:flink`: the ticker tumbling query and the sliding query on this project's engine and on Apache
 * Flink (the job of flink/, local MiniCluster, parallelism 1 and 2), over the same NDJSON file.
 *
 *   generate (not timed): N deterministic JSON ticker records (~100 B, 50 tickers, arrival 1 ms apart), written
 *     once as the file source's arrival-stamped lines (`{"at": ..., "arrival": ..., "data": "<payload>"}`,
 *     flink/README.md): both engines read this one file.
 *   ours: read the file, parse each line, decode the payload with the input decoder, run the engine (ROWTIME =
 *     `at`), count the output rows; CPU time of this process (process.cpuUsage) and wall time.
 *   flink: the same SQL translated by src/translate (file source, JSON-lines sink), run by SqlJob in one JVM
 *     (`--server`): "cold" is from spawning the JVM to the end of the first job (JVM start, class loading, job
 *     planning and code generation, the run); "warm" is the same script again in that JVM (job start-up, the
 *     run); "net" is warm less a run of the same script over a 10-record file (what is left once the JVM and
 *     job start-up are paid). CPU time is the JVM's, all threads, from /proc/<pid>/stat.
 *   Both engines' outputs are compared: row counts, and for the tumbling query every (ticker, window) row's
 *   COUNT/MIN/MAX exactly and AVG within 1e-9 relative.
 *
 * Options: --records 1000000,10000000 (comma-separated sizes, one file each), --parallelism 1,2,
 *   --flink-sliding-up-to N (Flink runs the sliding query only on sizes up to N; ours runs it on every size: at
 *   10M records one Flink sliding run takes tens of minutes on 2 cores), --flink-parallelism-up-to N (parallelism
 *   above 1 only on sizes up to N), --no-docs (do not write docs/benchmarks.md), --flink-dir <the job's Maven
 *   module, default flink/>.
 *   Needs java and mvn (the jar is built when out of date).
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ensureFlinkJar, FLINK_MAIN_CLASS, type FlinkJar } from '../../src/cli/commands/translate/flink-job.js';
import { compileApplication } from '../../src/engine/index.js';
import { createInputDecoder } from '../../src/input/index.js';
import { translateApplication } from '../../src/translate/index.js';
import type { Value } from '../../src/types/sql-type.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const SIZES = (opt('--records') ?? '1000000,10000000').split(',').map(Number);
const PARALLELISM = (opt('--parallelism') ?? '1,2').split(',').map(Number);
const WRITE_DOCS = !args.includes('--no-docs');
const FLINK_SLIDING_UP_TO = Number(opt('--flink-sliding-up-to') ?? Infinity);
const FLINK_PARALLEL_UP_TO = Number(opt('--flink-parallelism-up-to') ?? Infinity);
/** The Maven module of the job (built when out of date). */
const FLINK_DIR = path.resolve(opt('--flink-dir') ?? path.join(ROOT, 'flink'));
const T0 = Date.UTC(2026, 0, 1);
const TICKERS = Array.from({ length: 50 }, (_, i) => `T${String(i).padStart(3, '0')}`);
const SECTORS = ['TECHNOLOGY', 'RETAIL', 'FINANCIAL', 'HEALTHCARE', 'ENERGY'];
const INPUT_STREAM = 'SOURCE_SQL_STREAM_001';
const INPUT = {
  format: 'JSON' as const,
  recordRowPath: '$',
  columns: [
    { name: 'TICKER', sqlType: 'VARCHAR(4)', mapping: '$.TICKER' },
    { name: 'PRICE', sqlType: 'DOUBLE', mapping: '$.PRICE' },
  ],
};

const QUERIES = {
  tumbling: `
CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (TICKER VARCHAR(4), N BIGINT, MIN_PRICE DOUBLE, MAX_PRICE DOUBLE, AVG_PRICE DOUBLE);
CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
SELECT STREAM TICKER, COUNT(*), MIN(PRICE), MAX(PRICE), AVG(PRICE)
FROM "SOURCE_SQL_STREAM_001"
GROUP BY TICKER, STEP("SOURCE_SQL_STREAM_001".ROWTIME BY INTERVAL '60' SECOND);`,
  sliding: `
CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (TICKER VARCHAR(4), AVG_PRICE DOUBLE);
CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
SELECT STREAM TICKER, AVG(PRICE) OVER (PARTITION BY TICKER RANGE INTERVAL '1' MINUTE PRECEDING)
FROM "SOURCE_SQL_STREAM_001";`,
} as const;
type QueryName = keyof typeof QUERIES;

/** Record i: deterministic (a small LCG), ~100 bytes. */
function record(i: number): string {
  const x = (Math.imul(i, 1103515245) + 12345) >>> 0;
  const price = ((x >>> 8) % 100000) / 100 + 1;
  const change = (((x >>> 4) % 2001) - 1000) / 100;
  return `{"TICKER":"${TICKERS[x % 50]}","SECTOR":"${SECTORS[x % 5]}","PRICE":${price},"CHANGE":${change},"TS":${T0 + i},"SEQ":${i}}`;
}

const sqlTime = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');

async function writeRecords(file: string, n: number): Promise<void> {
  const out = createWriteStream(file);
  let buf = '';
  for (let i = 0; i < n; i++) {
    const at = sqlTime(T0 + i);
    buf += `{"at":"${at}","arrival":"${at}","data":${JSON.stringify(record(i))}}\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise<void>((r) => out.once('drain', () => r()));
      buf = '';
    }
  }
  out.end(buf);
  await new Promise<void>((r) => out.on('finish', () => r()));
}

interface Timing { wall: number; cpu: number }

/** Rows of one run, as comparable keys: tumbling `ticker|windowEnd` -> [n, min, max, avg]; sliding only counted. */
interface Rows { count: number; windows: Map<string, number[]> }

async function runOurs(query: QueryName, file: string): Promise<Timing & { rows: Rows }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const decoder = createInputDecoder(INPUT);
  const app = compileApplication({ sql: QUERIES[query], inputs: [{ name: INPUT_STREAM, columns: decoder.columns.map((c) => ({ name: c.name, type: c.type })) }] });
  const engine = app.start();
  const rows: Rows = { count: 0, windows: new Map() };
  engine.onRow((_s, row: Value[], rowtime: number) => {
    rows.count++;
    if (query === 'tumbling') rows.windows.set(`${String(row[0])}|${rowtime}`, [Number(row[1]), Number(row[2]), Number(row[3]), Number(row[4])]);
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
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    if (line === '') continue;
    const r = JSON.parse(line) as { at: string; data: string };
    t = Date.parse(`${r.at.replace(' ', 'T')}Z`);
    decoder.decode(enc.encode(r.data), insert, fail);
  }
  engine.finish();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000, rows };
}

/** The JVM's CPU time so far (user + system, all threads), in ms. */
function jvmCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of stat (utime, stime) are the 12th and 13th after the command name.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** One `SqlJob --server` JVM (flink/README.md), with its pid for CPU accounting. */
class JobServer {
  readonly child: ChildProcessWithoutNullStreams;
  readonly spawnedAt = performance.now();
  private readonly lines: string[] = [];
  private waiter?: (line: string) => void;
  private stderr = '';

  constructor(jar: FlinkJar, parallelism: number) {
    // The opens Flink's own start scripts pass on Java 17.
    const opens = ['java.util', 'java.lang', 'java.lang.reflect', 'java.net', 'java.io', 'java.nio', 'sun.nio.ch', 'java.time', 'java.text', 'java.util.concurrent', 'java.util.concurrent.atomic', 'java.util.concurrent.locks']
      .flatMap((m) => ['--add-opens', `java.base/${m}=ALL-UNNAMED`]);
    this.child = spawn('java', ['-XX:+UseSerialGC', '-Xss2m', '-Dlog4j2.level=WARN', ...opens, '-cp', jar.classpath, FLINK_MAIN_CLASS, '--server', '--parallelism', String(parallelism)], { stdio: ['pipe', 'pipe', 'pipe'] });
    createInterface({ input: this.child.stdout }).on('line', (l) => {
      const w = this.waiter;
      this.waiter = undefined;
      if (w) w(l);
      else this.lines.push(l);
    });
    this.child.stderr.setEncoding('utf8').on('data', (d: string) => (this.stderr = (this.stderr + d).slice(-4000)));
    this.child.on('close', () => this.waiter?.(`EXITED ${this.stderr}`));
  }

  private next(): Promise<string> {
    const l = this.lines.shift();
    return l !== undefined ? Promise.resolve(l) : new Promise((r) => (this.waiter = r));
  }

  async ready(): Promise<void> {
    const l = await this.next();
    if (l !== 'READY') throw new Error(`the Flink job server did not start: ${l}`);
  }

  async run(script: string): Promise<Timing> {
    const cpu0 = jvmCpuMs(this.child.pid!);
    const t0 = performance.now();
    this.child.stdin.write(`${script}\n`);
    const l = await this.next();
    if (l !== `DONE ${script}`) throw new Error(`Flink job ${script} failed: ${l}`);
    return { wall: performance.now() - t0, cpu: jvmCpuMs(this.child.pid!) - cpu0 };
  }

  cpuSinceStart(): number {
    return jvmCpuMs(this.child.pid!);
  }

  close(): Promise<void> {
    return new Promise((r) => {
      this.child.on('close', () => r());
      this.child.stdin.end();
    });
  }
}

function translateTo(query: QueryName, input: string, output: string, dir: string, name: string): string {
  const decoder = createInputDecoder(INPUT);
  const app = compileApplication({ sql: QUERIES[query], inputs: [{ name: INPUT_STREAM, columns: decoder.columns.map((c) => ({ name: c.name, type: c.type })) }] });
  const t = translateApplication({
    plan: app.plan,
    input: INPUT,
    source: { kind: 'file', path: input },
    sinks: [{ stream: 'DESTINATION_SQL_STREAM', format: 'JSON', includeRowtime: true, target: { kind: 'jsonl', path: output, tagStream: false } }],
  });
  const script = path.join(dir, `${name}.sql`);
  writeFileSync(script, t.script);
  return script;
}

function readFlinkRows(query: QueryName, output: string): Rows {
  const rows: Rows = { count: 0, windows: new Map() };
  for (const line of readFileSync(output, 'utf8').split('\n')) {
    if (line === '') continue;
    rows.count++;
    if (query !== 'tumbling') continue;
    const r = JSON.parse(line) as Record<string, unknown>;
    const rowtime = Date.parse(`${String(r.ROWTIME).replace(' ', 'T')}Z`);
    rows.windows.set(`${String(r.TICKER)}|${rowtime}`, [Number(r.N), Number(r.MIN_PRICE), Number(r.MAX_PRICE), Number(r.AVG_PRICE)]);
  }
  return rows;
}

/** Differences between the two engines' rows (empty when they agree). */
function compare(query: QueryName, ours: Rows, flink: Rows): string[] {
  const out: string[] = [];
  if (ours.count !== flink.count) out.push(`${query}: ${ours.count} rows ours, ${flink.count} Flink`);
  for (const [k, a] of ours.windows) {
    const b = flink.windows.get(k);
    if (!b) {
      out.push(`${query}: window ${k} missing in Flink`);
    } else if (a[0] !== b[0] || a[1] !== b[1] || a[2] !== b[2] || Math.abs(a[3] - b[3]) > 1e-9 * Math.abs(a[3])) {
      out.push(`${query}: window ${k}: ours ${a.join(',')} Flink ${b.join(',')}`);
    }
    if (out.length > 5) break;
  }
  return out;
}

interface Result { size: number; query: QueryName; engine: string; cold?: Timing; warm: Timing; net?: Timing }

const perCpuSecond = (n: number, t: Timing) => Math.round(n / (t.cpu / 1000));
const fmt = (x: number) => x.toLocaleString('en-US');

async function main(): Promise<void> {
  const loadBefore = loadavg();
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-flink-'));
  const jar = ensureFlinkJar(FLINK_DIR, (s) => console.log(s));
  const javaVersion = await new Promise<string>((r) => {
    const p = spawn('java', ['-version']);
    let s = '';
    p.stderr.on('data', (d) => (s += d));
    p.on('close', () => r(s.split('\n')[0]));
  });
  const tiny = path.join(dir, 'tiny.ndjson');
  await writeRecords(tiny, 10);
  const results: Result[] = [];
  const mismatches: string[] = [];
  const notRun: string[] = [];
  for (const size of SIZES) {
    const file = path.join(dir, `ticks-${size}.ndjson`);
    await writeRecords(file, size);
    console.log(`${fmt(size)} records, ${(statSync(file).size / 1e6).toFixed(0)} MB NDJSON`);
    for (const query of Object.keys(QUERIES) as QueryName[]) {
      const ours = await runOurs(query, file);
      results.push({ size, query, engine: 'ours (Node, 1 thread)', warm: ours });
      console.log(`  ${query} ours: ${fmt(Math.round(ours.wall))} ms wall, ${fmt(Math.round(ours.cpu))} ms CPU, ${fmt(ours.rows.count)} rows`);
      const skipped: string[] = [];
      for (const p of PARALLELISM) {
        if ((query === 'sliding' && size > FLINK_SLIDING_UP_TO) || (p > 1 && size > FLINK_PARALLEL_UP_TO)) {
          skipped.push(`p=${p}`);
          continue;
        }
        const output = path.join(dir, `out-${query}-${size}-p${p}.jsonl`);
        const script = translateTo(query, file, output, dir, `${query}-${size}-p${p}`);
        const tinyScript = translateTo(query, tiny, path.join(dir, `tiny-${query}-p${p}.jsonl`), dir, `tiny-${query}-p${p}`);
        const server = new JobServer(jar, p);
        await server.ready();
        writeFileSync(output, '');
        await server.run(script);
        const cold = { wall: performance.now() - server.spawnedAt, cpu: server.cpuSinceStart() };
        const rows = readFlinkRows(query, output);
        writeFileSync(output, '');
        const warm = await server.run(script);
        const empty = await server.run(tinyScript);
        await server.close();
        const net = { wall: warm.wall - empty.wall, cpu: warm.cpu - empty.cpu };
        results.push({ size, query, engine: `Flink p=${p}`, cold, warm, net });
        mismatches.push(...compare(query, ours.rows, rows).map((m) => `${fmt(size)} p=${p} ${m}`));
        console.log(`  ${query} Flink p=${p}: cold ${fmt(Math.round(cold.wall))} ms wall / ${fmt(Math.round(cold.cpu))} ms CPU; warm ${fmt(Math.round(warm.wall))} / ${fmt(Math.round(warm.cpu))}; net ${fmt(Math.round(net.wall))} / ${fmt(Math.round(net.cpu))}; ${fmt(rows.count)} rows`);
      }
      if (skipped.length > 0) notRun.push(`${fmt(size)} records, ${query}: Flink ${skipped.join(', ')} not run`);
    }
    rmSync(file);
  }
  const loadAfter = loadavg();
  rmSync(dir, { recursive: true, force: true });

  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; node ${process.version}; ${javaVersion}`;
  const load = `load average (1/5/15 min) ${loadBefore.map((x) => x.toFixed(1)).join('/')} before, ${loadAfter.map((x) => x.toFixed(1)).join('/')} after`;
  const table = [
    '| records | query | engine | records per CPU-second (cold / warm / net) | wall ms (cold / warm / net) |',
    '|---:|---|---|---:|---:|',
    ...results.map((r) => {
      const cpuCell = r.cold ? `${fmt(perCpuSecond(r.size, r.cold))} / ${fmt(perCpuSecond(r.size, r.warm))} / ${fmt(perCpuSecond(r.size, r.net!))}` : fmt(perCpuSecond(r.size, r.warm));
      const wallCell = r.cold ? `${fmt(Math.round(r.cold.wall))} / ${fmt(Math.round(r.warm.wall))} / ${fmt(Math.round(r.net!.wall))}` : fmt(Math.round(r.warm.wall));
      return `| ${fmt(r.size)} | ${r.query} | ${r.engine} | ${cpuCell} | ${wallCell} |`;
    }),
  ];
  const ratios = SIZES.flatMap((size) => (Object.keys(QUERIES) as QueryName[]).map((query) => {
    const ours = results.find((r) => r.size === size && r.query === query && !r.cold)!;
    const f1 = results.find((r) => r.size === size && r.query === query && r.engine === 'Flink p=1');
    if (!f1) return '';
    const x = (t: Timing) => (t.cpu / ours.warm.cpu).toFixed(1);
    return `- ${fmt(size)} records, ${query}: ours does ${x(f1.cold!)}x (cold), ${x(f1.warm)}x (warm), ${x(f1.net!)}x (net) Flink p=1's records per CPU-second`;
  })).filter(Boolean);
  const report = [
    `Command: \`npm run bench:flink -- --records ${SIZES.join(',')} --parallelism ${PARALLELISM.join(',')}${Number.isFinite(FLINK_SLIDING_UP_TO) ? ` --flink-sliding-up-to ${FLINK_SLIDING_UP_TO}` : ''}${Number.isFinite(FLINK_PARALLEL_UP_TO) ? ` --flink-parallelism-up-to ${FLINK_PARALLEL_UP_TO}` : ''}\``,
    '',
    `Machine: ${machine}. ${load}.`,
    '',
    ...table,
    '',
    ...ratios,
    ...(notRun.length > 0 ? ['', `Not run (options above): ${notRun.join('; ')}.`] : []),
    '',
    mismatches.length === 0 ? 'Outputs: the same rows on both engines (row counts; tumbling windows COUNT/MIN/MAX exact, AVG within 1e-9 relative).' : `Outputs differ: ${mismatches.join('; ')}`,
  ].join('\n');
  console.log(`\n${report}`);
  if (WRITE_DOCS) writeDocs(report);
  if (mismatches.length > 0) process.exitCode = 1;
}

/** Replaces the measured block of the Flink section of docs/benchmarks.md (between its markers). */
function writeDocs(report: string): void {
  const file = path.join(ROOT, 'docs', 'benchmarks.md');
  const begin = '<!-- bench:flink begin -->';
  const end = '<!-- bench:flink end -->';
  const doc = readFileSync(file, 'utf8');
  const block = `${begin}\n${report}\n${end}`;
  const i = doc.indexOf(begin);
  const j = doc.indexOf(end);
  writeFileSync(file, i >= 0 && j > i ? doc.slice(0, i) + block + doc.slice(j + end.length) : `${doc.trimEnd()}\n\n## Apache Flink beside our engine (\`npm run bench:flink\`)\n\n${block}\n`);
  console.log(`written to ${path.relative(ROOT, file)}`);
}

await main();
