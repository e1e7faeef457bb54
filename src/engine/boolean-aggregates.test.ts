/** ANY and EVERY (SQLREF boolean functions) as tumbling aggregates and with OVER. */
import { describe, expect, it } from 'vitest';
import { PlanError } from '../errors.js';
import { parseSqlType, type Value } from '../types/sql-type.js';
import { compileApplication } from './application.js';

const T0 = Date.UTC(2026, 0, 1);
const INPUT = 'SOURCE_SQL_STREAM_001';

function run(sql: string, rows: [number, string, number | null][]) {
  const engine = compileApplication({
    sql,
    inputs: [{ name: INPUT, columns: [{ name: 'TICKER', type: parseSqlType('VARCHAR(4)') }, { name: 'PRICE', type: parseSqlType('DOUBLE') }] }],
    options: { clock: () => T0 },
  }).start();
  const out: Value[][] = [];
  engine.onRow((_s, row, rt) => out.push([(rt - T0) / 60_000, ...row]));
  for (const [minute, t, p] of rows) engine.insert(INPUT, [t, p], T0 + minute * 60_000);
  engine.finish();
  return out;
}

const ROWS: [number, string, number | null][] = [
  [0, 'A', 0.5],
  [0, 'A', 3],
  [0, 'B', 2],
  [0, 'B', null],
  [1, 'A', 0.2],
  [1, 'A', 0.7],
];

describe('ANY and EVERY', () => {
  it('are OR and AND over the rows of a tumbling group, skipping NULLs (SQLREF example shape)', () => {
    const sql = `CREATE OR REPLACE STREAM "D" (TICKER VARCHAR(4), ANY_CHEAP BOOLEAN, ALL_CHEAP BOOLEAN);
CREATE OR REPLACE PUMP "P" AS INSERT INTO "D"
SELECT STREAM TICKER, ANY (PRICE < 1), EVERY (PRICE < 1) FROM "SOURCE_SQL_STREAM_001" AS trades
GROUP BY TICKER, FLOOR(trades.ROWTIME TO MINUTE);`;
    expect(run(sql, ROWS)).toEqual([
      [1, 'A', true, false],
      [1, 'B', false, false],
      [2, 'A', true, true],
    ]);
  });

  it('work as analytic functions with OVER', () => {
    const sql = `CREATE OR REPLACE STREAM "D" (TICKER VARCHAR(4), ALL_CHEAP BOOLEAN);
CREATE OR REPLACE PUMP "P" AS INSERT INTO "D"
SELECT STREAM TICKER, EVERY (PRICE < 1) OVER (PARTITION BY TICKER ROWS 1 PRECEDING) FROM "SOURCE_SQL_STREAM_001";`;
    expect(run(sql, ROWS).map((r) => r[2])).toEqual([true, false, false, false, false, true]);
  });

  it('need a BOOLEAN argument', () => {
    const sql = `CREATE OR REPLACE STREAM "D" (B BOOLEAN);
CREATE OR REPLACE PUMP "P" AS INSERT INTO "D"
SELECT STREAM ANY (PRICE) FROM "SOURCE_SQL_STREAM_001" AS s GROUP BY FLOOR(s.ROWTIME TO MINUTE);`;
    expect(() => run(sql, [])).toThrow(PlanError);
    expect(() => run(sql, [])).toThrow(/line 3, column 20: ANY needs a BOOLEAN argument, not DOUBLE/);
  });
});
