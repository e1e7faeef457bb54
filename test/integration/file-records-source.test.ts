// A plain file of records (NDJSON, CSV, one record per line) as a source: records arrive when read or at a given
// rate, and run through an application unchanged.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadApplicationDefinition } from '../../src/app/definition/index.js';
import { runApplication } from '../../src/app/run/run-application.js';
import { withFileFormat } from '../../src/cli/commands/run/run-command.js';
import { PROJECT_ROOT, listBucketObjects, readBucketRows, seededRandom } from '../support/pipeline-test-support.js';

const work = mkdtempSync(join(tmpdir(), 'file-records-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('a file of plain records as a source', () => {
  it('an NDJSON file of ticker records runs through examples/ticker and gives its windows', async () => {
    const random = seededRandom(7);
    const tickers = ['AMZN', 'MSFT', 'INTC', 'TBV'];
    const lines = Array.from({ length: 400 }, () => JSON.stringify({ TICKER_SYMBOL: tickers[Math.floor(random() * 4)], SECTOR: 'TECHNOLOGY', CHANGE: 0.5, PRICE: Math.round(random() * 10_000) / 100 }));
    const input = join(work, 'trades.ndjson');
    writeFileSync(input, `${lines.join('\n')}\n`);
    const out = join(work, 'ticker-out');
    // No format named: the first line is NDJSON that is not a replay line. 20 per second: 20 s of arrivals.
    const def = loadApplicationDefinition(join(PROJECT_ROOT, 'examples', 'ticker'), {
      source: { type: 'file', path: input, rate: 20 },
      destinations: { DESTINATION_SQL_STREAM: { type: 'local', path: out }, error_stream: { type: 'local', path: join(work, 'ticker-errors') } },
    });
    const summary = await runApplication(def, { log: () => undefined });
    expect(summary.reason).toBe('end-of-input');
    const rows = readBucketRows<{ TICKER_SYMBOL: string; TRADE_COUNT: number; MAX_PRICE: number }>(out);
    expect(rows.length).toBeGreaterThanOrEqual(2 * tickers.length);
    expect(rows.reduce((n, r) => n + Number(r.TRADE_COUNT), 0)).toBe(400);
    expect(new Set(rows.map((r) => r.TICKER_SYMBOL))).toEqual(new Set(tickers));
    // Each ticker's top price over all windows is the input's.
    for (const t of tickers) {
      const max = Math.max(...lines.map((l) => JSON.parse(l) as { TICKER_SYMBOL: string; PRICE: number }).filter((r) => r.TICKER_SYMBOL === t).map((r) => r.PRICE));
      expect(Math.max(...rows.filter((r) => r.TICKER_SYMBOL === t).map((r) => r.MAX_PRICE))).toBeCloseTo(max, 4);
    }
    expect(listBucketObjects(join(work, 'ticker-errors'))).toEqual([]);
  });

  it('a CSV file of records runs through a CSV application', async () => {
    const dir = mkdtempSync(join(work, 'csv-'));
    const input = join(dir, 'orders.csv');
    writeFileSync(input, 'A,3,1.5\nB,2,4\nA,1,0.25\n');
    const out = join(dir, 'out');
    writeFileSync(join(dir, 'application.yaml'), `name: orders
sql: |
  CREATE OR REPLACE STREAM "TOTALS" (ITEM VARCHAR(4), QTY INTEGER, AMOUNT DOUBLE);
  CREATE OR REPLACE PUMP "P" AS INSERT INTO "TOTALS"
    SELECT STREAM ITEM, QTY, QTY * PRICE FROM "SOURCE_SQL_STREAM_001";
input:
  source: { type: file, path: ${JSON.stringify(input)} }
  startingPosition: TRIM_HORIZON
  preprocessor: none
  format: CSV
  rowDelimiter: "\\n"
  columnDelimiter: ","
  columns:
    - { name: ITEM, sqlType: VARCHAR(4) }
    - { name: QTY, sqlType: INTEGER }
    - { name: PRICE, sqlType: DOUBLE }
outputs:
  - { stream: TOTALS, destination: ${JSON.stringify(out)}, format: CSV, bufferIntervalMs: 100 }
`);
    const summary = await runApplication(loadApplicationDefinition(join(dir, 'application.yaml')), { log: () => undefined });
    expect(summary.reason).toBe('end-of-input');
    const got = listBucketObjects(out).flatMap((k) => readFileSync(join(out, k), 'utf8').split('\n').filter((l) => l !== ''));
    expect(got).toEqual(['A,3,4.5', 'B,2,8', 'A,1,0.25']);
  });
});

describe('--source-format and --source-rate', () => {
  const ticker = () => loadApplicationDefinition(join(PROJECT_ROOT, 'examples', 'ticker'), { source: { type: 'file', path: 'x.ndjson' } });
  it('set the file source\'s format and rate', () => {
    expect(withFileFormat(ticker(), 'csv', 5).input.source).toEqual({ type: 'file', path: 'x.ndjson', format: 'csv', rate: 5 });
    expect(withFileFormat(ticker(), undefined, undefined).input.source).toEqual({ type: 'file', path: 'x.ndjson' });
  });
  it('refuse an unknown format, a rate for a recording, and a source that is not a file', () => {
    expect(() => withFileFormat(ticker(), 'xml', undefined)).toThrow(/--source-format xml: one of replay, ndjson, csv, lines/);
    expect(() => withFileFormat(ticker(), 'replay', 3)).toThrow(/--source-rate applies to plain records/);
    const embedded = loadApplicationDefinition(join(PROJECT_ROOT, 'examples', 'ticker'));
    expect(() => withFileFormat(embedded, 'ndjson', undefined)).toThrow(/apply to file sources; this run reads embedded/);
  });
});
