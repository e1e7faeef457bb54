/**
 * Join case of `npm run bench:sql`: a stream joined to a 10,000-row reference table.
 *
 *   N deterministic JSON records (default 500,000; ~60 B; ticker drawn from 12,000 symbols, so ~1/6 miss)
 *   -> input decoder -> engine: `stream LEFT JOIN "Company" ON s.TICKER = c.TICKER` (hash lookup), output
 *   ticker, company name, sector, price. The table is 10,000 CSV rows decoded by the same input decoder.
 *   DuckDB (@duckdb/node-api, SET threads=1): read_json over the same records as NDJSON LEFT JOIN read_csv of
 *   the table; counts, matched rows and a checksum of the prices of matched rows are compared.
 *
 * Every variant runs --rounds times (default 5), ours and DuckDB alternating which goes first; figures are
 * medians, wall and CPU time (process.cpuUsage: every thread of the process, DuckDB's included); the ratio is the
 * median of per-round ratios.
 *
 * Options: --records N, --rounds N.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { createInputDecoder } from '../../src/input/index.js';
import { compileApplication } from '../../src/engine/index.js';
import type { Value } from '../../src/types/sql-type.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const N = opt('--records', 500_000);
const ROUNDS = Math.max(1, opt('--rounds', 5));
const TABLE_ROWS = 10_000;
const SYMBOLS = 12_000;
const T0 = Date.UTC(2026, 0, 1);
const SECTORS = ['TECHNOLOGY', 'RETAIL', 'FINANCIAL', 'HEALTHCARE', 'ENERGY'];
const sym = (k: number) => `S${String(k).padStart(5, '0')}`;

function record(i: number): string {
  const x = (Math.imul(i, 1103515245) + 12345) >>> 0;
  const price = ((x >>> 8) % 100000) / 100 + 1;
  return `{"TICKER":"${sym(x % SYMBOLS)}","PRICE":${price},"SEQ":${i}}`;
}

const tableCsv = Array.from({ length: TABLE_ROWS }, (_, k) => `${sym(k)},Company ${k},${SECTORS[k % 5]}`).join('\n') + '\n';
const TABLE_FORMAT = {
  format: 'CSV' as const,
  rowDelimiter: '\n',
  columnDelimiter: ',',
  columns: [
    { name: 'TICKER', sqlType: 'VARCHAR(8)' },
    { name: 'NAME', sqlType: 'VARCHAR(32)' },
    { name: 'SECTOR', sqlType: 'VARCHAR(16)' },
  ],
};
const INPUT = {
  format: 'JSON' as const,
  recordRowPath: '$',
  columns: [
    { name: 'TICKER', sqlType: 'VARCHAR(8)', mapping: '$.TICKER' },
    { name: 'PRICE', sqlType: 'DOUBLE', mapping: '$.PRICE' },
  ],
};
const SQL = `
CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (TICKER VARCHAR(8), NAME VARCHAR(32), SECTOR VARCHAR(16), PRICE DOUBLE);
CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
SELECT STREAM s.TICKER, c.NAME, c.SECTOR, s.PRICE
FROM "SOURCE_SQL_STREAM_001" AS s LEFT JOIN "Company" AS c ON s.TICKER = c.TICKER;`;

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
const perSecond = (ms: number) => Math.round(N / (ms / 1000)).toLocaleString('en-US');

async function main(): Promise<void> {
  const tableDecoder = createInputDecoder(TABLE_FORMAT);
  const tableRows: Value[][] = [];
  tableDecoder.decode(tableCsv, (r) => tableRows.push(r), (e) => {
    throw e;
  });
  const payloads = Array.from({ length: N }, (_, i) => Buffer.from(record(i)));
  const columns = createInputDecoder(INPUT).columns.map((c) => ({ name: c.name, type: c.type }));
  const app = compileApplication({
    sql: SQL,
    inputs: [{ name: 'SOURCE_SQL_STREAM_001', columns }],
    references: [{ name: 'Company', columns: tableDecoder.columns.map((c) => ({ name: c.name, type: c.type })), rows: tableRows }],
  });

  const dir = mkdtempSync(path.join(tmpdir(), 'bench-join-'));
  const file = path.join(dir, 'ticks.ndjson');
  const csv = path.join(dir, 'company.csv');
  writeFileSync(file, payloads.map((p) => p.toString('utf8')).join('\n') + '\n');
  writeFileSync(csv, tableCsv);
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  await conn.run('SET threads=1');
  const q = `SELECT COUNT(*) AS N, COUNT(c.NAME) AS M, SUM(CASE WHEN c.NAME IS NOT NULL THEN s.PRICE END) AS P
    FROM read_json('${file}', format = 'newline_delimited', columns = {TICKER: 'VARCHAR', PRICE: 'DOUBLE', SEQ: 'BIGINT'}) AS s
    LEFT JOIN read_csv('${csv}', header = false, columns = {TICKER: 'VARCHAR', NAME: 'VARCHAR', SECTOR: 'VARCHAR'}) AS c ON s.TICKER = c.TICKER`;

  const ours: Timing[] = [];
  const engineAlone: Timing[] = [];
  const duck: Timing[] = [];
  let rows = 0;
  let matched = 0;
  let sum = 0;
  let res: unknown[] = [];
  const fail = (e: unknown) => {
    throw e;
  };
  for (let round = 0; round < ROUNDS; round++) {
    // Bytes -> decoder -> engine -> rows, driven as ApplicationRuntime.ingest drives them (callbacks made once).
    const runOurs = async () => {
      const decoder = createInputDecoder(INPUT);
      const engine = app.start();
      rows = matched = sum = 0;
      engine.onRow((_s, row) => {
        rows++;
        if (row[1] !== null) {
          matched++;
          sum += row[3] as number;
        }
      });
      engine.onError((e) => {
          throw new Error(`unexpected error_stream row: ${e.MESSAGE}`);
      });
      let t = 0;
      const insert = (row: Value[]) => engine.insert('SOURCE_SQL_STREAM_001', row, t);
      ours.push(await timed(() => {
        for (let i = 0; i < N; i++) {
          t = T0 + i;
          decoder.decode(payloads[i], insert, fail);
        }
        engine.finish();
      }));
    };
    const runDuck = async () => {
      duck.push(await timed(async () => {
        res = (await conn.runAndReadAll(q)).getRowsJS()[0];
      }));
    };
    if (round % 2 === 0) {
      await runOurs();
      await runDuck();
    } else {
      await runDuck();
      await runOurs();
    }
    // The engine alone: the same join on rows decoded beforehand (outside the timing).
    const decoder = createInputDecoder(INPUT);
    const decoded: Value[][] = [];
    for (const p of payloads) decoder.decode(p, (row) => decoded.push(row), fail);
    const engine2 = app.start();
    engine2.onRow(() => {});
    engineAlone.push(await timed(() => {
      for (let i = 0; i < decoded.length; i++) engine2.insert('SOURCE_SQL_STREAM_001', decoded[i], T0 + i);
      engine2.finish();
    }));
  }
  rmSync(dir, { recursive: true, force: true });

  const line = (label: string, t: Timing[], extra = '') =>
    `  ${label.padEnd(66)} ${perSecond(median(t.map((x) => x.wall))).padStart(11)} ${perSecond(median(t.map((x) => x.cpu))).padStart(11)}${extra}`;
  console.log(`Join benchmark: ${N.toLocaleString('en-US')} records, ${TABLE_ROWS.toLocaleString('en-US')}-row table, ${ROUNDS} rounds (medians), node ${process.version}`);
  console.log(`  ${'records/s'.padEnd(66)} ${'wall'.padStart(11)} ${'CPU'.padStart(11)}`);
  console.log(line('ours, stream LEFT JOIN 10,000-row reference table (decoder + engine)', ours, `   ${rows} rows, ${matched} matched`));
  console.log(line('  of ours: the engine alone on decoded rows', engineAlone));
  console.log(line('DuckDB 1 thread, read_json LEFT JOIN read_csv', duck, `   ${String(res[0])} rows, ${String(res[1])} matched`));
  const same = Number(res[0]) === rows && Number(res[1]) === matched && Math.abs(Number(res[2]) - sum) <= 1e-9 * Math.abs(sum);
  console.log(`same result as DuckDB (rows, matched rows, sum of matched prices): ${same ? 'yes' : 'NO'}`);
  const ratio = (key: keyof Timing) => median(ours.map((o, i) => duck[i][key] / o[key]));
  console.log(`ratio ours/DuckDB (join): ${ratio('cpu').toFixed(2)}x CPU, ${ratio('wall').toFixed(2)}x wall (target >= 1.0x); per round (CPU): ${ours.map((o, i) => (duck[i].cpu / o.cpu).toFixed(2)).join(', ')}`);
  if (!same) process.exitCode = 1;
}

await main();
