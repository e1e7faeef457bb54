import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ApplicationRuntime } from '../../runtime/application-runtime.js';
import type { ReferenceDefinition } from '../definition/index.js';
import { loadReferenceData } from '../reference/load-reference-data.js';
import { reloadReferences } from './run-application.js';

const dir = mkdtempSync(path.join(tmpdir(), 'reload-ref-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const REF: ReferenceDefinition = {
  tableName: 'Company',
  location: path.join(dir, 'company.csv'),
  format: 'CSV',
  rowDelimiter: '\n',
  columnDelimiter: ',',
  columns: [
    { name: 'Ticker', sqlType: 'VARCHAR(4)' },
    { name: 'Company', sqlType: 'VARCHAR(16)' },
  ],
};

const SQL =
  'CREATE STREAM D (T VARCHAR(4), C VARCHAR(16));\n' +
  'CREATE PUMP P AS INSERT INTO D SELECT STREAM s.T, c."Company" FROM "SOURCE_SQL_STREAM_001" s LEFT JOIN "Company" c ON s.T = c."Ticker";';

describe('reference data reload in a running application', () => {
  it('reloads the table from its location on request; a table that fails to load keeps its rows', async () => {
    writeFileSync(REF.location, 'AMZN,Amazon\n');
    const rows = (await loadReferenceData(REF)).rows;
    const runtime = ApplicationRuntime.compile({
      sql: SQL,
      input: {
        namePrefix: 'SOURCE_SQL_STREAM',
        source: { type: 'embedded' },
        startingPosition: 'NOW',
        preprocessor: { type: 'none' },
        format: 'JSON',
        recordRowPath: '$',
        columns: [{ name: 'T', sqlType: 'VARCHAR(4)', mapping: '$.T' }],
      },
      origin: { file: 'test.yaml', form: 'definition' },
      references: [{ ...REF, rows }],
    });
    const got: unknown[] = [];
    runtime.onOutput((stream, row) => got.push([stream, row.C]));
    runtime.ingest('{"T":"AMZN"}', 1000);
    writeFileSync(REF.location, 'AMZN,Amazon.com\n');
    const log: string[] = [];
    expect(await reloadReferences({ references: [REF] }, runtime, (l) => log.push(l))).toEqual([{ table: 'Company', rows: 1 }]);
    runtime.ingest('{"T":"AMZN"}', 2000);
    rmSync(REF.location);
    const failed = await reloadReferences({ references: [REF] }, runtime, (l) => log.push(l));
    expect(failed[0].error).toMatch(/cannot read reference data/);
    runtime.ingest('{"T":"AMZN"}', 3000);
    expect(got).toEqual([
      ['D', 'Amazon'],
      ['D', 'Amazon.com'],
      ['D', 'Amazon.com'],
    ]);
    expect(log[1]).toMatch(/not reloaded \(kept its rows\)/);
  });
});
