/**
 * Join case of `npm run bench:sql`: a stream joined to a 10,000-row reference table.
 *
 *   N deterministic JSON records (default 500,000; ~60 B; ticker drawn from 12,000 symbols, so ~1/6 miss)
 *   -> input decoder -> engine: `stream LEFT JOIN "Company" ON s.TICKER = c.TICKER` (hash lookup), output
 *   ticker, company name, sector, price. The table is 10,000 CSV rows decoded by the same input decoder.
 *   DuckDB (@duckdb/node-api, SET threads=1): read_json over the same records as NDJSON LEFT JOIN read_csv of
 *   the table; counts, matched rows and a checksum of the prices of matched rows are compared.
 *
 * Options: --records N.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { createInputDecoder } from '../../src/input/index.js';
import { compileApplication } from '../../src/engine/index.js';
import type { Value } from '../../src/types/sql-type.js';

const args = process.argv.slice(2);
const i0 = args.indexOf('--records');
const N = i0 >= 0 ? Number(args[i0 + 1]) : 500_000;
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

async function main(): Promise<void> {
  const tableDecoder = createInputDecoder(TABLE_FORMAT);
  const tableRows: Value[][] = [];
  tableDecoder.decode(tableCsv, (r) => tableRows.push(r), (e) => {
    throw e;
  });
  const decoder = createInputDecoder(INPUT);
  const payloads = Array.from({ length: N }, (_, i) => Buffer.from(record(i)));
  const app = compileApplication({
    sql: SQL,
    inputs: [{ name: 'SOURCE_SQL_STREAM_001', columns: decoder.columns.map((c) => ({ name: c.name, type: c.type })) }],
    references: [{ name: 'Company', columns: tableDecoder.columns.map((c) => ({ name: c.name, type: c.type })), rows: tableRows }],
  });
  const engine = app.start();
  let rows = 0;
  let matched = 0;
  let sum = 0;
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
  const start = performance.now();
  for (let i = 0; i < N; i++) {
    const t = T0 + i;
    decoder.decode(payloads[i], (row) => engine.insert('SOURCE_SQL_STREAM_001', row, t), (e) => {
      throw e;
    });
  }
  engine.finish();
  const ms = performance.now() - start;
  const rate = N / (ms / 1000);
  console.log(`engine, stream LEFT JOIN 10,000-row reference table (decoder + engine): ${ms.toFixed(0)} ms, ${Math.round(rate).toLocaleString('en-US')} records/s, ${rows} rows, ${matched} matched`);

  // The engine alone: the same join on rows decoded beforehand.
  const decoded: Value[][] = [];
  for (const p of payloads) decoder.decode(p, (row) => decoded.push(row), (e) => {
    throw e;
  });
  const engine2 = app.start();
  let rows2 = 0;
  engine2.onRow(() => void rows2++);
  const e0 = performance.now();
  for (let i = 0; i < decoded.length; i++) engine2.insert('SOURCE_SQL_STREAM_001', decoded[i], T0 + i);
  engine2.finish();
  const engineMs = performance.now() - e0;
  console.log(`of which the engine alone on decoded rows: ${engineMs.toFixed(0)} ms, ${Math.round(N / (engineMs / 1000)).toLocaleString('en-US')} records/s, ${rows2} rows`);

  const dir = mkdtempSync(path.join(tmpdir(), 'bench-join-'));
  const file = path.join(dir, 'ticks.ndjson');
  const csv = path.join(dir, 'company.csv');
  writeFileSync(file, payloads.map((p) => p.toString('utf8')).join('\n') + '\n');
  writeFileSync(csv, tableCsv);
  payloads.length = 0;
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  await conn.run('SET threads=1');
  const q = `SELECT COUNT(*) AS N, COUNT(c.NAME) AS M, SUM(CASE WHEN c.NAME IS NOT NULL THEN s.PRICE END) AS P
    FROM read_json('${file}', format = 'newline_delimited', columns = {TICKER: 'VARCHAR', PRICE: 'DOUBLE', SEQ: 'BIGINT'}) AS s
    LEFT JOIN read_csv('${csv}', header = false, columns = {TICKER: 'VARCHAR', NAME: 'VARCHAR', SECTOR: 'VARCHAR'}) AS c ON s.TICKER = c.TICKER`;
  const d0 = performance.now();
  const res = (await conn.runAndReadAll(q)).getRowsJS()[0];
  const duckMs = performance.now() - d0;
  const duckRate = N / (duckMs / 1000);
  console.log(`DuckDB (1 thread) read_json LEFT JOIN read_csv: ${duckMs.toFixed(0)} ms, ${Math.round(duckRate).toLocaleString('en-US')} records/s, ${String(res[0])} rows, ${String(res[1])} matched`);
  const same = Number(res[0]) === rows && Number(res[1]) === matched && Math.abs(Number(res[2]) - sum) <= 1e-9 * Math.abs(sum);
  console.log(`same result as DuckDB (rows, matched rows, sum of matched prices): ${same ? 'yes' : 'NO'}`);
  console.log(`ratio engine/DuckDB (join): ${(rate / duckRate).toFixed(2)}x`);
  rmSync(dir, { recursive: true, force: true });
}

await main();
