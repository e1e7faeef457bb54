import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { translateCommand } from '../../src/cli/commands/translate/translate-command.js';
import { compileApplication } from '../../src/engine/index.js';
import { UnsupportedTranslationError } from '../../src/errors.js';
import { createInputDecoder, type InputFormatConfig } from '../../src/input/index.js';
import { parseSqlType } from '../../src/types/sql-type.js';
import { translateApplication } from '../../src/translate/translate-application.js';

const input = {
  format: 'JSON' as const,
  columns: [
    { name: 'TICKER', sqlType: 'VARCHAR(4)', mapping: '$.TICKER' },
    { name: 'ID', sqlType: 'BIGINT', mapping: '$.ID' },
    { name: 'PRICE', sqlType: 'DOUBLE', mapping: '$.PRICE' },
  ],
};

const company: InputFormatConfig = {
  format: 'CSV',
  rowDelimiter: '\n',
  columnDelimiter: '|',
  columns: [
    { name: 'Ticker', sqlType: 'VARCHAR(4)' },
    { name: 'K', sqlType: 'INTEGER' },
    { name: 'Company', sqlType: 'VARCHAR(20)' },
  ],
};

function translate(sql: string, format: InputFormatConfig = company): string {
  const app = compileApplication({
    sql,
    inputs: [{ name: 'SOURCE_SQL_STREAM_001', columns: input.columns.map((c) => ({ name: c.name, type: parseSqlType(c.sqlType) })) }],
    references: [{ name: 'CompanyName', columns: createInputDecoder(format).columns.map((c) => ({ name: c.name, type: c.type })), rows: [] }],
  });
  return translateApplication({
    plan: app.plan,
    input,
    source: { kind: 'kinesis', streamName: 'trades', region: 'eu-west-1' },
    sinks: [{ stream: 'DEST', format: 'JSON', target: { kind: 'kinesis', streamName: 'out' } }],
    references: [{ tableName: 'CompanyName', format, location: 's3://ref-bucket/company.csv' }],
  }).script;
}

const dest = 'CREATE OR REPLACE STREAM "DEST" (TICKER VARCHAR(4), COMPANY VARCHAR(20));\n';
const pump = (from: string) => `${dest}CREATE OR REPLACE PUMP "P1" AS INSERT INTO "DEST" SELECT STREAM s.TICKER, c."Company" FROM ${from};`;

describe('reference-data joins as Flink lookup joins', () => {
  it('declares the reference table on the sa-reference connector with its format, and joins it as of PROCTIME()', () => {
    const s = translate(pump('"SOURCE_SQL_STREAM_001" AS s JOIN "CompanyName" AS c ON s.TICKER = c."Ticker"'));
    expect(s).toContain(
      "CREATE TEMPORARY TABLE `__reference_CompanyName` (`Ticker` VARCHAR(4), `K` INT, `Company` VARCHAR(20), `__all` INT NOT NULL)\n" +
        "WITH ('connector' = 'sa-reference', 'path' = 's3://ref-bucket/company.csv', 'format' = 'CSV', 'csv.row-delimiter' = '\n', 'csv.column-delimiter' = '|')",
    );
    expect(s).toMatch(/PROCTIME\(\) AS `__proctime`/);
    expect(s).toMatch(/FROM `__P1_\d+` AS `s` JOIN `__reference_CompanyName` FOR SYSTEM_TIME AS OF `s`\.`__proctime` AS `r` ON `s`\.`c\d+` = `r`\.`Ticker`/);
    // The table is declared before the view that reads it.
    expect(s.indexOf('CREATE TEMPORARY TABLE `__reference_CompanyName`')).toBeLessThan(s.indexOf('FOR SYSTEM_TIME AS OF'));
  });

  it('keeps unmatched stream rows of a LEFT join (a lookup LEFT JOIN, append-only)', () => {
    const s = translate(pump('"SOURCE_SQL_STREAM_001" AS s LEFT JOIN "CompanyName" AS c ON s.TICKER = c."Ticker"'));
    expect(s).toMatch(/AS `s` LEFT JOIN `__reference_CompanyName` FOR SYSTEM_TIME AS OF/);
  });

  it('looks a key of another type up by its cast and keeps the exact comparison in the condition', () => {
    const s = translate(pump('"SOURCE_SQL_STREAM_001" AS s JOIN "CompanyName" AS c ON s.ID = c.K'));
    expect(s).toMatch(/TRY_CAST\(`ID` AS INT\) AS `c\d+`/);
    expect(s).toMatch(/ON `s`\.`c4` = `r`\.`K` AND \(`s`\.`c1`\) = \(`r`\.`K`\)/);
  });

  it('looks every row up when ON has no equality with a table column, and filters with the condition', () => {
    const s = translate(pump('"SOURCE_SQL_STREAM_001" AS s JOIN "CompanyName" AS c ON s.PRICE > c.K'));
    expect(s).toContain('FOR SYSTEM_TIME AS OF `s`.`__proctime` AS `r` ON `r`.`__all` = 1 AND (`s`.`c2` > `r`.`K`);');
  });

  it('passes JSON mappings relative to the row path', () => {
    const json: InputFormatConfig = {
      format: 'JSON',
      recordRowPath: '$.items[0:]',
      columns: [
        { name: 'Ticker', sqlType: 'VARCHAR(4)', mapping: '$.items[0:].t' },
        { name: 'K', sqlType: 'INTEGER', mapping: "$.ids[1]" },
        { name: 'Company', sqlType: 'VARCHAR(20)', mapping: "$.info['full name']" },
      ],
    };
    const s = translate(pump('"SOURCE_SQL_STREAM_001" AS s JOIN "CompanyName" AS c ON s.TICKER = c."Ticker"'), json);
    expect(s).toContain(`'json.row-path' = '["items",null]', 'json.mappings' = '[["t"],["ids",1],["info","full name"]]'`);
  });

  it('refuses a reference mapping that flattens an array, and a table with no data location', () => {
    const json: InputFormatConfig = { format: 'JSON', columns: [{ name: 'Ticker', sqlType: 'VARCHAR(4)', mapping: '$.a[0:].t' }, { name: 'K', sqlType: 'INTEGER', mapping: '$.k' }, { name: 'Company', sqlType: 'VARCHAR(20)', mapping: '$.c' }] };
    const sql = pump('"SOURCE_SQL_STREAM_001" AS s JOIN "CompanyName" AS c ON s.TICKER = c."Ticker"');
    expect(() => translate(sql, json)).toThrow(UnsupportedTranslationError);
    expect(() => translate(sql, json)).toThrow(/\[0:\]/);
    const app = compileApplication({
      sql,
      inputs: [{ name: 'SOURCE_SQL_STREAM_001', columns: input.columns.map((c) => ({ name: c.name, type: parseSqlType(c.sqlType) })) }],
      references: [{ name: 'CompanyName', columns: createInputDecoder(company).columns.map((c) => ({ name: c.name, type: c.type })), rows: [] }],
    });
    expect(() => translateApplication({ plan: app.plan, input, source: { kind: 'file', path: '/tmp/x' }, sinks: [] })).toThrow(/reference table CompanyName has no data location/);
  });
});

describe('translate <app> --to flink with reference data', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sa-translate-ref-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function app(name: string, location: string): string {
    const appDir = path.join(dir, name);
    mkdirSync(appDir);
    writeFileSync(path.join(appDir, 'companies.csv'), 'AMZN,Amazon\n');
    writeFileSync(
      path.join(appDir, 'application.yaml'),
      [
        `name: ${name}`,
        'sql: |',
        '  CREATE OR REPLACE STREAM "DEST" (TICKER VARCHAR(4), COMPANY VARCHAR(20));',
        '  CREATE OR REPLACE PUMP "P" AS INSERT INTO "DEST" SELECT STREAM s.TICKER, c.COMPANY',
        '    FROM "SOURCE_SQL_STREAM_001" AS s LEFT JOIN "COMPANY" AS c ON s.TICKER = c.TICKER;',
        'input:',
        '  source: embedded',
        '  format: JSON',
        '  columns:',
        '    - { name: TICKER, sqlType: VARCHAR(4), mapping: $.TICKER }',
        'reference:',
        `  - { tableName: COMPANY, location: ${JSON.stringify(location)}, format: CSV, columns: [{ name: TICKER, sqlType: VARCHAR(4) }, { name: COMPANY, sqlType: VARCHAR(20) }] }`,
        'outputs:',
        '  - { stream: DEST, destination: out }',
        '',
      ].join('\n'),
    );
    let script = '';
    expect(translateCommand(appDir, { to: 'flink' }, (x) => (script += x))).toBe(0);
    return script;
  }

  it("reads the application's S3 reference object by its s3:// path", () => {
    const script = app('s3ref', 's3://company-data/tables/companies.csv');
    expect(script).toContain("'connector' = 'sa-reference', 'path' = 's3://company-data/tables/companies.csv', 'format' = 'CSV'");
    expect(script).toMatch(/LEFT JOIN `__reference_COMPANY` FOR SYSTEM_TIME AS OF/);
  });

  it('reads a local reference file by a file:// URI', () => {
    const script = app('fileref', 'companies.csv');
    expect(script).toContain(`'path' = 'file://${path.join(dir, 'fileref', 'companies.csv')}'`);
  });
});
