/**
 * The three SQL benchmark cases (tumbling and sliding over the ticker records, the stream LEFT JOIN to a
 * 10,000-row table) run on the decoder and engine of a given source tree, so that two versions of the code can be
 * measured alternately in one time window on a shared machine:
 *
 *   node --import tsx bench/sql/source-tree-cases.ts [--root DIR] [--passes N] [--records N]
 *
 * DIR is a checkout of this project (default: this one), e.g. `git archive main src | tar -x -C /tmp/main`
 * with node_modules linked. Per case it prints the median CPU time per record (process.cpuUsage) over the passes,
 * bytes -> decoder -> engine -> rows, callbacks made once (as ApplicationRuntime.ingest drives them).
 */
import path from 'node:path';
import type { Value } from '../../src/types/sql-type.js';
import type * as InputModule from '../../src/input/index.js';
import type * as EngineModule from '../../src/engine/index.js';
import { INPUT, INPUT_STREAM, T0, TUMBLING_SQL, record } from './ticker-workload.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const ROOT = path.resolve(opt('--root', path.join(import.meta.dirname, '..', '..')));
const PASSES = Number(opt('--passes', '5'));
const N = Number(opt('--records', '500000'));
const { createInputDecoder } = (await import(path.join(ROOT, 'src/input/index.ts'))) as typeof InputModule;
const { compileApplication } = (await import(path.join(ROOT, 'src/engine/index.ts'))) as typeof EngineModule;

const SLIDING_SQL = `
CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (TICKER VARCHAR(4), AVG_PRICE DOUBLE);
CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
SELECT STREAM TICKER, AVG(PRICE) OVER (PARTITION BY TICKER RANGE INTERVAL '1' MINUTE PRECEDING)
FROM "SOURCE_SQL_STREAM_001";`;
const JOIN_SQL = `
CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (TICKER VARCHAR(8), NAME VARCHAR(32), SECTOR VARCHAR(16), PRICE DOUBLE);
CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
SELECT STREAM s.TICKER, c.NAME, c.SECTOR, s.PRICE FROM "SOURCE_SQL_STREAM_001" AS s LEFT JOIN "Company" AS c ON s.TICKER = c.TICKER;`;

// The join's records and table, as in bench-join.ts.
const SYMBOLS = 12_000;
const SECTORS = ['TECHNOLOGY', 'RETAIL', 'FINANCIAL', 'HEALTHCARE', 'ENERGY'];
const sym = (k: number) => `S${String(k).padStart(5, '0')}`;
const joinRecord = (i: number) => {
  const x = (Math.imul(i, 1103515245) + 12345) >>> 0;
  return `{"TICKER":"${sym(x % SYMBOLS)}","PRICE":${((x >>> 8) % 100000) / 100 + 1},"SEQ":${i}}`;
};
const tableDecoder = createInputDecoder({
  format: 'CSV',
  rowDelimiter: '\n',
  columnDelimiter: ',',
  columns: [
    { name: 'TICKER', sqlType: 'VARCHAR(8)' },
    { name: 'NAME', sqlType: 'VARCHAR(32)' },
    { name: 'SECTOR', sqlType: 'VARCHAR(16)' },
  ],
});
const tableRows: Value[][] = [];
const fail = (e: unknown) => {
  throw e;
};
tableDecoder.decode(Array.from({ length: 10_000 }, (_, k) => `${sym(k)},Company ${k},${SECTORS[k % 5]}\n`).join(''), (r) => tableRows.push(r), fail);
const JOIN_INPUT = {
  format: 'JSON' as const,
  recordRowPath: '$',
  columns: [
    { name: 'TICKER', sqlType: 'VARCHAR(8)', mapping: '$.TICKER' },
    { name: 'PRICE', sqlType: 'DOUBLE', mapping: '$.PRICE' },
  ],
};

const enc = new TextEncoder();
const ticker = Array.from({ length: N }, (_, i) => enc.encode(record(i)));
const joins = Array.from({ length: N }, (_, i) => enc.encode(joinRecord(i)));

const cases = [
  { name: 'tumbling', sql: TUMBLING_SQL, input: INPUT, payloads: ticker },
  { name: 'sliding', sql: SLIDING_SQL, input: INPUT, payloads: ticker },
  { name: 'join', sql: JOIN_SQL, input: JOIN_INPUT, payloads: joins },
];
const cpu = new Map<string, number[]>(cases.map((c) => [c.name, []]));
const outRows = new Map<string, number>();
for (let pass = 0; pass < PASSES; pass++) {
  for (const c of cases) {
    const decoder = createInputDecoder(c.input);
    const app = compileApplication({
      sql: c.sql,
      inputs: [{ name: INPUT_STREAM, columns: decoder.columns.map((x) => ({ name: x.name, type: x.type })) }],
      references: c.name === 'join' ? [{ name: 'Company', columns: tableDecoder.columns.map((x) => ({ name: x.name, type: x.type })), rows: tableRows }] : [],
    });
    const engine = app.start();
    let rows = 0;
    engine.onRow(() => void rows++);
    let t = 0;
    const insert = (row: Value[]) => engine.insert(INPUT_STREAM, row, t);
    const c0 = process.cpuUsage();
    for (let i = 0; i < N; i++) {
      t = T0 + i;
      decoder.decode(c.payloads[i], insert, fail);
    }
    engine.finish();
    const u = process.cpuUsage(c0);
    cpu.get(c.name)!.push((u.user + u.system) / 1000);
    outRows.set(c.name, rows);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const ns = (name: string) => (median(cpu.get(name)!) * 1e6) / N;
const ratios = cpu.get('tumbling')!.map((t, i) => t / cpu.get('sliding')![i]);
console.log(
  `${ROOT}: ns of CPU per record (median of ${PASSES}): tumbling ${ns('tumbling').toFixed(0)}, sliding ${ns('sliding').toFixed(0)}, join ${ns('join').toFixed(0)}; ` +
    `sliding/tumbling speed ${median(ratios).toFixed(2)}x (per pass ${ratios.map((r) => r.toFixed(2)).join(' ')}); rows ${[...outRows.values()].join('/')}`,
);
