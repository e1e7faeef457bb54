/** The log-parsing functions through SQL: ROW types from constant arguments, field access, typed fields, errors. */
import { describe, expect, it } from 'vitest';
import { PlanError } from '../errors.js';
import { parseSqlType, type Value } from '../types/sql-type.js';
import { compileApplication, type ErrorRow } from './application.js';

const T0 = Date.UTC(2026, 0, 1);
const INPUT = 'SOURCE_SQL_STREAM_001';

function compile(sql: string) {
  return compileApplication({ sql, inputs: [{ name: INPUT, columns: [{ name: 'S', type: parseSqlType('VARCHAR(256)') }] }], options: { clock: () => T0 } });
}

function run(sql: string, lines: (string | null)[]) {
  const engine = compile(sql).start();
  const out: Value[][] = [];
  const errors: ErrorRow[] = [];
  engine.onRow((_s, row) => out.push([...row]));
  engine.onError((e) => errors.push(e));
  lines.forEach((l, i) => engine.insert(INPUT, [l], T0 + i * 1000));
  engine.finish();
  return { out, errors };
}

function planError(sql: string): PlanError {
  try {
    compile(sql);
  } catch (e) {
    if (e instanceof PlanError) return e;
    throw e;
  }
  throw new Error('expected a PlanError');
}

const PUMP = 'CREATE OR REPLACE PUMP "P" AS INSERT INTO "D"\n';

describe('log-parsing functions in SQL', () => {
  it('(REGEX_LOG_PARSE(...)).COLUMNn reads groups; no match and NULL input give NULL fields', () => {
    const sql = `CREATE OR REPLACE STREAM "D" (A VARCHAR(16), B VARCHAR(16));
${PUMP}SELECT STREAM (REGEX_LOG_PARSE(S, '(\\d+)-(\\w+)')).COLUMN1, (REGEX_LOG_PARSE(S, '(\\d+)-(\\w+)')).COLUMN2 FROM "SOURCE_SQL_STREAM_001";`;
    expect(run(sql, ['x 12-ab y', 'nothing', null]).out).toEqual([
      ['12', 'ab'],
      [null, null],
      [null, null],
    ]);
  });

  it('types VARIABLE_COLUMN_LOG_PARSE fields from the column list; a value that does not convert goes to error_stream', () => {
    const sql = `CREATE OR REPLACE STREAM "D" (TICKER VARCHAR(4), QTY INTEGER, TOTAL INTEGER);
${PUMP}SELECT STREAM t.r.TICKER, t.r.QTY, t.r.QTY * 2 FROM (SELECT STREAM VARIABLE_COLUMN_LOG_PARSE(S, 'TICKER TYPE VARCHAR(4), QTY TYPE INTEGER', ',') AS r FROM "SOURCE_SQL_STREAM_001") AS t;`;
    const { out, errors } = run(sql, ['AMZN,7', 'MSFT,seven', 'INTC,3']);
    expect(out).toEqual([
      ['AMZN', 7, 14],
      ['INTC', 3, 6],
    ]);
    expect(errors).toHaveLength(1);
    expect(errors[0].ERROR_NAME).toBe('LogParseConversionError');
    expect(errors[0].MESSAGE).toMatch(/QTY.*seven/);
  });

  it('renames the ROW column with AS l(r) and reads W3C, FIXED_COLUMN and SYS_LOG_PARSE fields', () => {
    const w3c = `CREATE OR REPLACE STREAM "D" (H VARCHAR(64), ST VARCHAR(8));
${PUMP}SELECT STREAM l.r.COLUMN1, l.r.COLUMN6 FROM (SELECT STREAM W3C_LOG_PARSE(S, 'COMMON') FROM "SOURCE_SQL_STREAM_001") AS l(r);`;
    expect(run(w3c, ['10.0.0.1 - bob [24/May/2004:22:01:02 -0700] "GET / HTTP/1.1" 200 512']).out).toEqual([['10.0.0.1', '200']]);
    const fixed = `CREATE OR REPLACE STREAM "D" (N INTEGER, W VARCHAR(8));
${PUMP}SELECT STREAM (FIXED_COLUMN_LOG_PARSE(S, 'N TYPE INTEGER START 0 FOR 3, W TYPE VARCHAR(8) START 3 FOR 4')).N,
  (FIXED_COLUMN_LOG_PARSE(S, 'N TYPE INTEGER START 0 FOR 3, W TYPE VARCHAR(8) START 3 FOR 4')).W FROM "SOURCE_SQL_STREAM_001";`;
    expect(run(fixed, ['042abcdxyz']).out).toEqual([[42, 'abcd']]);
    const sys = `CREATE OR REPLACE STREAM "D" (T TIMESTAMP, M VARCHAR(64));
${PUMP}SELECT STREAM (SYS_LOG_PARSE(S)).COLUMN1, (SYS_LOG_PARSE(S)).COLUMN2 FROM "SOURCE_SQL_STREAM_001";`;
    const [row] = run(sys, ['Mar  5 14:02:11 host sshd[1]: accepted']).out;
    expect(new Date(row[0] as number).toISOString().slice(5, 19)).toBe('03-05T14:02:11');
    expect(row[1]).toMatch(/accepted/);
  });

  it('rejects a bad pattern, a non-constant pattern, an unknown field and field access on a string, with positions', () => {
    const base = 'CREATE OR REPLACE STREAM "D" (A VARCHAR(16));\n' + PUMP;
    const bad = planError(base + "SELECT STREAM (REGEX_LOG_PARSE(S, '(unclosed')).COLUMN1 FROM \"SOURCE_SQL_STREAM_001\";");
    expect([bad.line, bad.column]).toEqual([3, 35]);
    expect(bad.message).toMatch(/REGEX_LOG_PARSE/);
    const nonConstant = planError(base + 'SELECT STREAM (REGEX_LOG_PARSE(S, S)).COLUMN1 FROM "SOURCE_SQL_STREAM_001";');
    expect(nonConstant.message).toMatch(/must be a constant/);
    expect([nonConstant.line, nonConstant.column]).toEqual([3, 35]);
    const field = planError(base + "SELECT STREAM (REGEX_LOG_PARSE(S, '(a)')).COLUMN2 FROM \"SOURCE_SQL_STREAM_001\";");
    expect(field.message).toMatch(/no field COLUMN2 \(its fields: COLUMN1\)/);
    expect(() => compile(base + 'SELECT STREAM S.COLUMN1 FROM "SOURCE_SQL_STREAM_001";')).toThrow(/needs a ROW value/);
  });
});
