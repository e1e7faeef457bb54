/**
 * The RANDOM_CUT_FOREST case of `npm run bench:sql`: the DG anomaly-detection application (RCF with KDA's
 * defaults: 100 trees, sample 256, timeDecay 100000, shingle 1) over generated numeric JSON records, through the
 * real input decoder and the engine. Prints records/s (wall and per CPU second, the steadier figure on a shared
 * machine) and checks that the planted outliers are among the top scores.
 */
import { createInputDecoder } from '../../src/input/index.js';
import { compileApplication } from '../../src/engine/index.js';

const T0 = Date.UTC(2026, 0, 1);

const RCF_SQL = `
CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" ("x" DOUBLE, "y" DOUBLE, "z" DOUBLE, "tag" VARCHAR(8), ANOMALY_SCORE DOUBLE);
CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
SELECT STREAM "x", "y", "z", "tag", ANOMALY_SCORE
FROM TABLE(RANDOM_CUT_FOREST(CURSOR(SELECT STREAM * FROM "SOURCE_SQL_STREAM_001")));`;

const INPUT = {
  format: 'JSON' as const,
  recordRowPath: '$',
  columns: [
    { name: 'x', sqlType: 'DOUBLE', mapping: '$.x' },
    { name: 'y', sqlType: 'DOUBLE', mapping: '$.y' },
    { name: 'z', sqlType: 'DOUBLE', mapping: '$.z' },
    { name: 'tag', sqlType: 'VARCHAR(8)', mapping: '$.tag' },
  ],
};

/** Record i: three deterministic, roughly Gaussian values (sum of uniforms from an LCG); every 997th is an outlier. */
function record(i: number): string {
  let s = (Math.imul(i + 1, 2654435761) >>> 0) || 1;
  const next = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 4294967296;
  };
  const g = () => next() + next() + next() + next() - 2;
  const out = i % 997 === 500;
  const v = (base: number) => (base + g() + (out ? 12 : 0)).toFixed(4);
  return `{"x":${v(10)},"y":${v(20)},"z":${v(-5)},"tag":"${out ? 'OUT' : 'IN'}"}`;
}

export interface RcfCaseResult {
  readonly records: number;
  readonly ms: number;
  readonly cpuMs: number;
  readonly plantedInTop: number;
  readonly planted: number;
}

/** Runs the RCF application over `n` records (arrival 10 ms apart) and returns its timing. */
export function runRcfCase(n: number): RcfCaseResult {
  const decoder = createInputDecoder(INPUT);
  const app = compileApplication({ sql: RCF_SQL, inputs: [{ name: 'SOURCE_SQL_STREAM_001', columns: decoder.columns.map((c) => ({ name: c.name, type: c.type })) }] });
  const engine = app.start();
  const scores = new Float64Array(n);
  const planted: number[] = [];
  let k = 0;
  engine.onRow((_s, row) => {
    scores[k++] = row[4] as number;
  });
  engine.onError((e) => {
    throw new Error(`unexpected error_stream row: ${e.MESSAGE}`);
  });
  const enc = new TextEncoder();
  const payloads = Array.from({ length: n }, (_, i) => enc.encode(record(i)));
  for (let i = 0; i < n; i++) if (i % 997 === 500) planted.push(i);
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    decoder.decode(
      payloads[i],
      (row) => engine.insert('SOURCE_SQL_STREAM_001', row, T0 + i * 10),
      (e) => {
        throw e;
      },
    );
  }
  engine.finish();
  const ms = performance.now() - start;
  const cpu = process.cpuUsage(cpu0);
  // Planted outliers after the forest's warm-up (64 rows) must rank among the top scores.
  const scored = planted.filter((i) => i >= 256);
  const threshold = [...scores].sort((a, b) => b - a)[scored.length - 1];
  const plantedInTop = scored.filter((i) => scores[i] >= threshold).length;
  return { records: n, ms, cpuMs: (cpu.user + cpu.system) / 1000, plantedInTop, planted: scored.length };
}

export function printRcfCase(r: RcfCaseResult): void {
  console.log(
    `engine RANDOM_CUT_FOREST (defaults, 3 DOUBLE columns + 1 VARCHAR, decoder + engine): ${r.ms.toFixed(0)} ms, ` +
      `${Math.round(r.records / (r.ms / 1000)).toLocaleString('en-US')} records/s wall, ${Math.round(r.records / (r.cpuMs / 1000)).toLocaleString('en-US')} records/CPU-s; ` +
      `${r.plantedInTop} of ${r.planted} planted outliers in the top ${r.planted} scores`,
  );
}
