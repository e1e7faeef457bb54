import { describe, expect, it } from 'vitest';
import { PlanError } from '../errors.js';
import { parseSqlType, type Value } from '../types/sql-type.js';
import { compileApplication, type ErrorRow } from './application.js';

const T0 = Date.UTC(2026, 0, 1);
const INPUT = 'SOURCE_SQL_STREAM_001';
const COLS = { TICKER: 'VARCHAR(4)', PRICE: 'DOUBLE' };
const COMPANY = {
  name: 'Company',
  columns: [
    { name: 'Ticker', type: parseSqlType('VARCHAR(4)') },
    { name: 'Name', type: parseSqlType('VARCHAR(8)') },
  ],
  rows: [
    ['AMZN', 'Amazon'],
    ['INTC', 'Intel'],
    ['AMZN', 'Amazon2'],
  ] as Value[][],
};

function compile(sql: string, columns: Record<string, string> = COLS, references = [COMPANY]) {
  return compileApplication({
    sql,
    inputs: [{ name: INPUT, columns: Object.entries(columns).map(([name, t]) => ({ name, type: parseSqlType(t) })) }],
    references,
    options: { clock: () => T0 },
  });
}

function start(sql: string, columns: Record<string, string> = COLS, references = [COMPANY]) {
  const engine = compile(sql, columns, references).start();
  const out: [string, number, ...Value[]][] = [];
  const errors: ErrorRow[] = [];
  engine.onRow((s, row, rt) => out.push([s, (rt - T0) / 1000, ...row]));
  engine.onError((e) => errors.push(e));
  const insert = (at: number, ...values: Value[]) => engine.insert(INPUT, values, T0 + at * 1000);
  return { engine, out, errors, insert };
}

/** 1-based [line, column] of the first `token` in `sql` (after `after`, when given). */
function where(sql: string, token: string, after = ''): [number, number] {
  const i = sql.indexOf(token, after ? sql.indexOf(after) : 0);
  const before = sql.slice(0, i).split('\n');
  return [before.length, before[before.length - 1].length + 1];
}

function planError(sql: string, columns: Record<string, string> = COLS): PlanError {
  try {
    compile(sql, columns);
  } catch (e) {
    if (e instanceof PlanError) return e;
    throw e;
  }
  throw new Error('expected a PlanError');
}

const DEST = 'CREATE STREAM D (T VARCHAR(4), N VARCHAR(8), P DOUBLE);\n';

describe('reference-table joins', () => {
  it('INNER JOIN on an equi-key: one output row per matching table row, none for a miss', () => {
    const { out, insert, engine } = start(DEST + 'CREATE PUMP P AS INSERT INTO D SELECT STREAM s.TICKER, c."Name", s.PRICE FROM "SOURCE_SQL_STREAM_001" s JOIN "Company" c ON s.TICKER = c."Ticker";');
    insert(1, 'AMZN', 10);
    insert(2, 'XYZ', 20);
    insert(3, 'INTC', 30);
    engine.finish();
    expect(out).toEqual([
      ['D', 1, 'AMZN', 'Amazon', 10],
      ['D', 1, 'AMZN', 'Amazon2', 10],
      ['D', 3, 'INTC', 'Intel', 30],
    ]);
  });

  it('LEFT JOIN with the table written first as RIGHT JOIN, and a non-equi condition (scan) give the same rows as the hash path', () => {
    const hash = start(DEST + 'CREATE PUMP P AS INSERT INTO D SELECT STREAM s.TICKER, c."Name", s.PRICE FROM "SOURCE_SQL_STREAM_001" s LEFT JOIN "Company" c ON s.TICKER = c."Ticker";');
    const scan = start(DEST + 'CREATE PUMP P AS INSERT INTO D SELECT STREAM s.TICKER, c."Name", s.PRICE FROM "Company" AS c RIGHT JOIN "SOURCE_SQL_STREAM_001" AS s ON s.TICKER LIKE c."Ticker";');
    for (const r of [hash, scan]) {
      r.insert(1, 'INTC', 1);
      r.insert(2, 'NONE', 2);
      r.insert(3, null, 3);
      r.engine.finish();
    }
    expect(hash.out).toEqual([
      ['D', 1, 'INTC', 'Intel', 1],
      ['D', 2, 'NONE', null, 2],
      ['D', 3, null, null, 3],
    ]);
    expect(scan.out).toEqual(hash.out);
  });

  it('the projection folded into a one-key join gives the rows of the unfolded path (residual condition), system columns included', () => {
    const dest = 'CREATE STREAM D (T VARCHAR(4), N VARCHAR(8), P DOUBLE, A TIMESTAMP, T2 VARCHAR(4));\n';
    const select = 'SELECT STREAM s.TICKER, c."Name", s.PRICE, s.APPROXIMATE_ARRIVAL_TIME, c."Ticker" FROM "SOURCE_SQL_STREAM_001" s';
    const folded = start(dest + `CREATE PUMP P AS INSERT INTO D ${select} LEFT JOIN "Company" c ON s.TICKER = c."Ticker";`);
    // The residual (always TRUE for the table's rows) keeps the joined row whole, then projects it.
    const unfolded = start(dest + `CREATE PUMP P AS INSERT INTO D ${select} LEFT JOIN "Company" c ON s.TICKER = c."Ticker" AND c."Ticker" IS NOT NULL;`);
    const tickers = ['AMZN', 'INTC', 'NONE', null];
    for (const r of [folded, unfolded]) {
      for (let i = 0; i < 200; i++) {
        const x = Math.imul(i + 3, 2654435761) >>> 0;
        r.engine.insert(INPUT, [tickers[x % 4], x % 7 === 0 ? null : (x % 1000) / 10], T0 + i * 100, T0 + i * 100 - (x % 50));
      }
      r.engine.finish();
    }
    expect(folded.errors).toEqual([]);
    expect(folded.out.length).toBeGreaterThan(200);
    expect(folded.out).toEqual(unfolded.out);
  });

  it('combines with a streaming GROUP BY', () => {
    const { out, insert, engine } = start(
      'CREATE STREAM D (N VARCHAR(8), C BIGINT);\nCREATE PUMP P AS INSERT INTO D SELECT STREAM c."Name", COUNT(*) FROM "SOURCE_SQL_STREAM_001" s JOIN "Company" c ON s.TICKER = c."Ticker" GROUP BY c."Name", STEP(s.ROWTIME BY INTERVAL \'10\' SECOND);',
    );
    insert(1, 'INTC', 1);
    insert(2, 'INTC', 1);
    insert(3, 'AMZN', 1);
    insert(11, 'INTC', 1);
    engine.finish();
    expect(out.filter((r) => r[1] === 10).map((r) => [r[2], r[3]]).sort()).toEqual([
      ['Amazon', 1],
      ['Amazon2', 1],
      ['Intel', 2],
    ]);
  });

  it('reloadReference replaces the rows seen by later stream rows only', () => {
    const { out, insert, engine } = start(DEST + 'CREATE PUMP P AS INSERT INTO D SELECT STREAM s.TICKER, c."Name", s.PRICE FROM "SOURCE_SQL_STREAM_001" s LEFT JOIN "Company" c ON s.TICKER = c."Ticker";');
    insert(1, 'INTC', 1);
    engine.reloadReference('Company', [['INTC', 'Intel Co']]);
    insert(2, 'INTC', 2);
    insert(3, 'AMZN', 3);
    expect(out.map((r) => r[3])).toEqual(['Intel', 'Intel Co', null]);
    expect(() => engine.reloadReference('Nope', [])).toThrow(/not a reference table/);
  });

  it('rejects what KDA does not allow, with line and column', () => {
    const full = planError(DEST + 'CREATE PUMP P AS INSERT INTO D SELECT STREAM s.TICKER, c."Name", s.PRICE FROM "SOURCE_SQL_STREAM_001" s FULL JOIN "Company" c ON s.TICKER = c."Ticker";');
    expect(full.message).toMatch(/INNER or LEFT OUTER/);
    expect(full.line).toBe(2);
    const aloneSql = DEST + 'CREATE PUMP P AS INSERT INTO D SELECT STREAM "Ticker", "Name", 1.0 FROM "Company";';
    const alone = planError(aloneSql);
    expect(alone.message).toMatch(/reference table: it can only be joined to a stream/);
    expect(planError(DEST + 'CREATE PUMP P AS INSERT INTO D SELECT STREAM s.TICKER, c."Name", s.PRICE FROM "Company" c LEFT JOIN "SOURCE_SQL_STREAM_001" s ON s.TICKER = c."Ticker";').message).toMatch(/write the stream on the left/);
    expect(planError(DEST + 'CREATE PUMP P AS INSERT INTO D SELECT STREAM s.TICKER, c."Name", s.PRICE FROM "SOURCE_SQL_STREAM_001" s JOIN "Company" OVER (ROWS 2 PRECEDING) c ON s.TICKER = c."Ticker";').message).toMatch(/reference table takes no window/);
    expect([alone.line, alone.column]).toEqual(where(aloneSql, '"Company"'));
  });
});

describe('stream-to-stream joins in an application', () => {
  const SQL =
    'CREATE STREAM O (ID INTEGER);\nCREATE STREAM S (ID INTEGER);\n' +
    'CREATE PUMP PO AS INSERT INTO O SELECT STREAM ID FROM "SOURCE_SQL_STREAM_001" WHERE KIND = \'o\';\n' +
    'CREATE PUMP PS AS INSERT INTO S SELECT STREAM ID FROM "SOURCE_SQL_STREAM_001" WHERE KIND = \'s\';\n' +
    'CREATE STREAM J (OID INTEGER, OT TIMESTAMP, SID INTEGER, ST TIMESTAMP);\n';
  const COLS2 = { KIND: 'VARCHAR(1)', ID: 'INTEGER' };

  it('FULL JOIN over ROWS windows on both sides; s.ROWTIME and o.ROWTIME are each side\'s time', () => {
    const { out, insert, engine } = start(SQL + 'CREATE PUMP PJ AS INSERT INTO J SELECT STREAM o.ID, o.ROWTIME, s.ID, s.ROWTIME FROM O OVER (ROWS 1 PRECEDING) AS o FULL JOIN S OVER (ROWS CURRENT ROW) AS s ON o.ID = s.ID;', COLS2);
    insert(1, 'o', 1);
    insert(2, 's', 1);
    insert(3, 's', 2);
    insert(4, 'o', 3);
    insert(5, 'o', 4);
    engine.finish();
    const j = out.filter((r) => r[0] === 'J').map((r) => [r[1], r[2], r[4]]);
    // 1 matches at once; at the end O still holds 3 and 4 (its 2-row window), S holds 2: none matched.
    expect(j).toEqual([
      [2, 1, 1],
      [5, 3, null],
      [5, 4, null],
      [5, null, 2],
    ]);
    const times = out.filter((r) => r[0] === 'J').map((r) => [r[3], r[5]]);
    expect(times[0]).toEqual([T0 + 1000, T0 + 2000]);
  });

  it('a comma join without windows pairs rows of equal ROWTIME (WHERE a.ROWTIME = b.ROWTIME), in arrival order', () => {
    const { out, insert, engine } = start(SQL + 'CREATE PUMP PJ AS INSERT INTO J SELECT STREAM o.ID, o.ROWTIME, s.ID, s.ROWTIME FROM O AS o, S AS s WHERE o.ROWTIME = s.ROWTIME;', COLS2);
    insert(1, 'o', 1);
    insert(1, 's', 2);
    insert(1, 's', 3);
    insert(2, 's', 4);
    insert(3, 'o', 5);
    engine.finish();
    expect(out.filter((r) => r[0] === 'J').map((r) => [r[1], r[2], r[4]])).toEqual([
      [1, 1, 2],
      [1, 1, 3],
    ]);
  });

  it('CROSS JOIN with a ROWS window, filtered by WHERE; an unaliased side is known by its named window', () => {
    const { out, insert, engine } = start(
      SQL + 'CREATE PUMP PJ AS INSERT INTO J SELECT STREAM o.ID, o.ROWTIME, w.ID, w.ROWTIME FROM S OVER w CROSS JOIN O AS o WHERE w.ID < o.ID WINDOW w AS (ROWS 1 PRECEDING);',
      COLS2,
    );
    insert(1, 's', 1);
    insert(2, 's', 5);
    insert(3, 's', 2);
    insert(4, 'o', 3); // S window holds 5 and 2
    engine.finish();
    expect(out.filter((r) => r[0] === 'J').map((r) => [r[1], r[2], r[4]])).toEqual([[4, 3, 2]]);
  });

  it('PARTITION BY in a join window and a join window without bounds are rejected', () => {
    const pSql = SQL + 'CREATE PUMP PJ AS INSERT INTO J SELECT STREAM o.ID, o.ROWTIME, s.ID, s.ROWTIME FROM O OVER (PARTITION BY ID ROWS 2 PRECEDING) AS o JOIN S AS s ON o.ID = s.ID;';
    const p = planError(pSql, COLS2);
    expect(p.message).toMatch(/PARTITION BY/);
    expect([p.line, p.column]).toEqual(where(pSql, 'ID ROWS', 'PARTITION'));
    const u = planError(SQL + 'CREATE PUMP PJ AS INSERT INTO J SELECT STREAM o.ID, o.ROWTIME, s.ID, s.ROWTIME FROM O OVER (ROWS UNBOUNDED PRECEDING) AS o JOIN S AS s ON o.ID = s.ID;', COLS2);
    expect(u.message).toMatch(/UNBOUNDED PRECEDING/);
  });
});

describe('T-sort (ORDER BY ts WITHIN interval)', () => {
  const TS = { TS: 'TIMESTAMP', V: 'INTEGER' };
  const OUT = 'CREATE STREAM D (V INTEGER);\n';
  const at = (s: number) => T0 + s * 1000;

  it('re-times rows to ts and releases them in ts order once the slack has passed; late rows go to error_stream; NULL ts drops', () => {
    const { out, errors, insert, engine } = start(OUT + 'CREATE PUMP P AS INSERT INTO D SELECT STREAM s.TS AS ROWTIME, V FROM "SOURCE_SQL_STREAM_001" s ORDER BY s.TS WITHIN INTERVAL \'10\' SECOND;', TS);
    insert(1, at(5), 1);
    insert(2, at(3), 2);
    insert(3, at(14), 3); // high-water 14: rows up to 4 are released
    insert(4, null, 99);
    insert(5, at(8), 4);
    insert(6, at(2), 5); // 2 < 14 - 10: too late
    expect(out).toEqual([['D', 3, 2]]);
    engine.finish();
    expect(out).toEqual([
      ['D', 3, 2],
      ['D', 5, 1],
      ['D', 8, 4],
      ['D', 14, 3],
    ]);
    expect(errors.map((e) => e.ERROR_NAME)).toEqual(['LATE_ROW']);
  });

  it('rejects DESC, an unqualified ROWTIME and a ts that is not the AS ROWTIME item, with line and column', () => {
    const descSql = OUT + 'CREATE PUMP P AS INSERT INTO D SELECT STREAM s.TS AS ROWTIME, V FROM "SOURCE_SQL_STREAM_001" s ORDER BY s.TS DESC WITHIN INTERVAL \'1\' SECOND;';
    const desc = planError(descSql, TS);
    expect(desc.message).toMatch(/DESC/);
    expect([desc.line, desc.column]).toEqual(where(descSql, 's.TS DESC'));
    const bareSql = OUT + 'CREATE PUMP P AS INSERT INTO D SELECT STREAM FLOOR(ROWTIME TO MINUTE) AS ROWTIME, V FROM "SOURCE_SQL_STREAM_001" s ORDER BY FLOOR(ROWTIME TO MINUTE) WITHIN INTERVAL \'1\' SECOND;';
    const bare = planError(bareSql, TS);
    expect(bare.message).toMatch(/must be qualified/);
    expect([bare.line, bare.column]).toEqual(where(bareSql, 'ROWTIME TO', 'ORDER BY'));
    const missing = planError(OUT + 'CREATE PUMP P AS INSERT INTO D SELECT STREAM V FROM "SOURCE_SQL_STREAM_001" s ORDER BY s.TS WITHIN INTERVAL \'1\' SECOND;', TS);
    expect(missing.message).toMatch(/AS ROWTIME/);
  });
});
