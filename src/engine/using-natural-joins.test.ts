import { describe, expect, it } from 'vitest';
import { PlanError, SqlSyntaxError } from '../errors.js';
import { parseSqlType, type Value } from '../types/sql-type.js';
import { compileApplication } from './application.js';

/**
 * JOIN ... USING (c, ...) and NATURAL JOIN (SQLREF sql-reference-join-clause, standard SQL): equality on the
 * named (USING) or all shared (NATURAL) column names; an unqualified shared column and `*` show it once.
 */

const T0 = Date.UTC(2026, 0, 1);
const INPUT = 'SOURCE_SQL_STREAM_001';
const COMPANY = {
  name: 'Company',
  columns: [
    { name: 'TICKER', type: parseSqlType('VARCHAR(4)') },
    { name: 'NAME', type: parseSqlType('VARCHAR(8)') },
  ],
  rows: [
    ['AMZN', 'Amazon'],
    ['INTC', 'Intel'],
  ] as Value[][],
};

function run(sql: string, rows: [number, string, number, string][]) {
  const engine = compileApplication({
    sql,
    inputs: [{ name: INPUT, columns: ['TICKER VARCHAR(4)', 'PRICE DOUBLE', 'SIDE VARCHAR(4)'].map((c) => ({ name: c.split(' ')[0], type: parseSqlType(c.split(' ')[1]) })) }],
    references: [COMPANY],
    options: { clock: () => T0 },
  }).start();
  const out: Value[][] = [];
  engine.onRow((s, row) => {
    if (s === 'OUT') out.push(row);
  });
  for (const [at, ...values] of rows) engine.insert(INPUT, values, T0 + at * 1000);
  engine.finish();
  return out;
}

const ROWS: [number, string, number, string][] = [
  [1, 'AMZN', 10, 'B'],
  [2, 'IBM', 20, 'S'],
  [3, 'INTC', 30, 'B'],
];

describe('reference joins with USING and NATURAL', () => {
  for (const [name, join] of [
    ['USING (TICKER)', 'JOIN "Company" AS c USING (TICKER)'],
    ['NATURAL JOIN', 'NATURAL JOIN "Company" AS c'],
  ]) {
    it(`${name}: equality on TICKER; the unqualified TICKER and * show it once`, () => {
      const out = run(
        `CREATE STREAM "OUT" (TICKER VARCHAR(4), PRICE DOUBLE, SIDE VARCHAR(4), NAME VARCHAR(8), T2 VARCHAR(4));
CREATE PUMP p AS INSERT INTO "OUT" SELECT STREAM *, TICKER FROM "${INPUT}" AS s ${join};`,
        ROWS,
      );
      expect(out).toEqual([
        ['AMZN', 10, 'B', 'Amazon', 'AMZN'],
        ['INTC', 30, 'B', 'Intel', 'INTC'],
      ]);
    });
  }
  it('LEFT JOIN ... USING keeps unmatched stream rows, the shared column from the stream', () => {
    const out = run(
      `CREATE STREAM "OUT" (TICKER VARCHAR(4), NAME VARCHAR(8), CT VARCHAR(4));
CREATE PUMP p AS INSERT INTO "OUT" SELECT STREAM TICKER, NAME, c.TICKER FROM "${INPUT}" AS s LEFT JOIN "Company" AS c USING (TICKER);`,
      ROWS,
    );
    expect(out).toEqual([
      ['AMZN', 'Amazon', 'AMZN'],
      ['IBM', null, null],
      ['INTC', 'Intel', 'INTC'],
    ]);
  });
});

describe('stream joins with USING and NATURAL', () => {
  const STREAMS = `CREATE STREAM "BUYS" (TICKER VARCHAR(4), BP DOUBLE);
CREATE STREAM "SELLS" (TICKER VARCHAR(4), SP DOUBLE);
CREATE PUMP pb AS INSERT INTO "BUYS" SELECT STREAM TICKER, PRICE FROM "${INPUT}" WHERE SIDE = 'B';
CREATE PUMP ps AS INSERT INTO "SELLS" SELECT STREAM TICKER, PRICE FROM "${INPUT}" WHERE SIDE = 'S';
CREATE STREAM "OUT" (TICKER VARCHAR(4), BP DOUBLE, SP DOUBLE);
`;
  const rows: [number, string, number, string][] = [
    [1, 'AMZN', 10, 'B'],
    [2, 'IBM', 20, 'B'],
    [3, 'AMZN', 11, 'S'],
    [4, 'IBM', 21, 'S'],
    [40, 'IBM', 22, 'S'],
  ];
  for (const [name, join] of [
    ['USING (TICKER)', 'JOIN "SELLS" AS s USING (TICKER)'],
    ['NATURAL JOIN', 'NATURAL JOIN "SELLS" AS s'],
  ]) {
    it(`${name}: a windowed join on the shared column, read unqualified`, () => {
      const out = run(`${STREAMS}CREATE PUMP p AS INSERT INTO "OUT" SELECT STREAM TICKER, BP, SP FROM "BUYS" OVER (RANGE INTERVAL '10' SECOND PRECEDING) AS b ${join};`, rows);
      expect(out).toEqual([
        ['AMZN', 10, 11],
        ['IBM', 20, 21],
      ]);
    });
  }
  it('RIGHT JOIN ... USING: the shared column comes from the preserved (right) side', () => {
    const out = run(
      `${STREAMS}CREATE PUMP p AS INSERT INTO "OUT" SELECT STREAM TICKER, BP, SP FROM "BUYS" OVER (RANGE INTERVAL '10' SECOND PRECEDING) AS b RIGHT JOIN "SELLS" AS s USING (TICKER);`,
      rows,
    );
    expect(out).toEqual([
      ['AMZN', 10, 11],
      ['IBM', 20, 21],
      ['IBM', null, 22],
    ]);
  });
  it('FULL JOIN ... USING: the shared column must be qualified (neither side is always there)', () => {
    expect(() =>
      run(`${STREAMS}CREATE PUMP p AS INSERT INTO "OUT" SELECT STREAM TICKER, BP, SP FROM "BUYS" OVER (RANGE INTERVAL '10' SECOND PRECEDING) AS b FULL JOIN "SELLS" AS s USING (TICKER);`, rows),
    ).toThrow(/ambiguous/);
  });
});

describe('errors', () => {
  const sql = (join: string) => `CREATE STREAM "OUT" (TICKER VARCHAR(4));\nCREATE PUMP p AS INSERT INTO "OUT" SELECT STREAM s.TICKER FROM "${INPUT}" AS s ${join};`;
  it('a USING column missing on one side, with its position', () => {
    let err: unknown;
    try {
      run(sql('JOIN "Company" AS c USING (PRICE)'), []);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PlanError);
    expect((err as PlanError).message).toMatch(/USING column "PRICE" is not a column of the right side/);
    const line2 = sql('JOIN "Company" AS c USING (PRICE)').split('\n')[1];
    expect([(err as PlanError).line, (err as PlanError).column]).toEqual([2, line2.indexOf('PRICE') + 1]);
  });
  it('NATURAL without JOIN, and USING without its list, are syntax errors', () => {
    expect(() => run(sql('NATURAL "Company" AS c'), [])).toThrow(SqlSyntaxError);
    expect(() => run(sql('JOIN "Company" AS c USING TICKER'), [])).toThrow(SqlSyntaxError);
  });
});
