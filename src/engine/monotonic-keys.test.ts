import { describe, expect, it } from 'vitest';
import { PlanError } from '../errors.js';
import { parseSqlType, type Value } from '../types/sql-type.js';
import { compileApplication, type ErrorRow } from './application.js';

/**
 * Monotonic keys (SQLREF "Monotonic Expressions and Operators", MONOTONIC): a streaming GROUP BY or ORDER BY
 * needs a monotonic key; STEP/FLOOR of ROWTIME is one, MONOTONIC(x) declares one, and both stay monotonic
 * through a projection, a subquery, an in-application stream (a view) and the side of a join that keeps its
 * rows' time.
 */

const T0 = Date.UTC(2026, 0, 1);
const INPUT = 'SOURCE_SQL_STREAM_001';
const COLUMNS = { K: 'VARCHAR(4)', ORDER_ID: 'INTEGER', X: 'INTEGER' };

function compile(sql: string) {
  return compileApplication({
    sql,
    inputs: [
      { name: INPUT, columns: Object.entries(COLUMNS).map(([name, t]) => ({ name, type: parseSqlType(t) })) },
      { name: 'SOURCE_SQL_STREAM_002', columns: Object.entries(COLUMNS).map(([name, t]) => ({ name, type: parseSqlType(t) })) },
    ],
    options: { clock: () => T0 },
  });
}

/** Inserts [second, K, ORDER_ID, X] rows, then advances to `endAt` seconds (a rowtime bound, no finish). */
function run(sql: string, rows: [number, string, number, number][], endAt: number, alsoInto?: string) {
  const e = compile(sql).start();
  const out: unknown[][] = [];
  const errors: ErrorRow[] = [];
  e.onRow((s, row, rt) => {
    if (s === 'OUT') out.push([(rt - T0) / 1000, ...row.map((v) => (typeof v === 'number' && v > T0 / 2 ? (v - T0) / 1000 : typeof v === 'bigint' ? Number(v) : v))]);
  });
  e.onError((x) => errors.push(x));
  for (const [at, ...values] of rows) {
    if (alsoInto !== undefined) e.insert(alsoInto, [...values] as Value[], T0 + at * 1000);
    e.insert(INPUT, values as Value[], T0 + at * 1000);
  }
  e.advanceTo(T0 + endAt * 1000);
  return { out, errors };
}

const ROWS: [number, string, number, number][] = [
  [1, 'a', 1, 10],
  [20, 'b', 1, 20],
  [59, 'a', 2, 30],
  [61, 'b', 2, 40],
  [100, 'a', 3, 50],
  [130, 'b', 4, 60],
];
const OUT = 'CREATE STREAM "OUT" (W TIMESTAMP, N BIGINT);\n';

describe('a time key through a subquery', () => {
  for (const [name, key] of [
    ['MONOTONIC(STEP(...)) (the issue example)', "MONOTONIC(STEP(s.ROWTIME BY INTERVAL '60' SECOND))"],
    ['STEP(...)', "STEP(s.ROWTIME BY INTERVAL '60' SECOND)"],
    ['FLOOR(... TO MINUTE)', 'FLOOR(s.ROWTIME TO MINUTE)'],
  ]) {
    it(`${name} AS wt, GROUP BY w.wt: one row per minute, closed by the rowtime bound`, () => {
      const sql = `${OUT}CREATE PUMP p AS INSERT INTO "OUT"
SELECT STREAM w.wt, COUNT(*) FROM (SELECT STREAM ${key} AS wt, s.X FROM "${INPUT}" AS s) AS w GROUP BY w.wt;`;
      const { out, errors } = run(sql, ROWS, 180);
      expect(errors).toEqual([]);
      // ROWTIME of a group = the end of its minute; the 120 s minute closes on the bound at 180 s.
      expect(out).toEqual([
        [60, 0, 3],
        [120, 60, 2],
        [180, 120, 1],
      ]);
    });
  }

  it('a renamed subquery column (AS w(wt, x)) and a second subquery level', () => {
    const sql = `${OUT}CREATE PUMP p AS INSERT INTO "OUT"
SELECT STREAM v.m, COUNT(*) FROM (SELECT STREAM w.wt AS m FROM (SELECT STREAM FLOOR(s.ROWTIME TO MINUTE), s.X FROM "${INPUT}" AS s) AS w(wt, x)) AS v GROUP BY v.m;`;
    expect(run(sql, ROWS, 180).out).toEqual([
      [60, 0, 3],
      [120, 60, 2],
      [180, 120, 1],
    ]);
  });

  it('a declared MONOTONIC column through a subquery: groups close when the key changes', () => {
    const sql = `CREATE STREAM "OUT" (OID INTEGER, N BIGINT);
CREATE PUMP p AS INSERT INTO "OUT"
SELECT STREAM w.oid, COUNT(*) FROM (SELECT STREAM MONOTONIC(ORDER_ID) AS oid FROM "${INPUT}") AS w GROUP BY w.oid;`;
    expect(run(sql, ROWS, 180).out).toEqual([
      [59, 1, 2],
      [100, 2, 2],
      [130, 3, 1],
    ]);
  });

  it('a streaming ORDER BY on a time key read through a subquery', () => {
    const sql = `CREATE STREAM "OUT" (W TIMESTAMP, X INTEGER);
CREATE PUMP p AS INSERT INTO "OUT"
SELECT STREAM w.wt, w.x FROM (SELECT STREAM STEP(s.ROWTIME BY INTERVAL '60' SECOND) AS wt, s.X AS x FROM "${INPUT}" AS s) AS w ORDER BY w.wt, w.x DESC;`;
    expect(run(sql, ROWS, 180).out).toEqual([
      [59, 0, 30],
      [59, 0, 20],
      [59, 0, 10],
      [100, 60, 50],
      [100, 60, 40],
      [130, 120, 60],
    ]);
  });

  it('still refused: a key that is not monotonic, read through a subquery', () => {
    const sql = `${OUT}CREATE PUMP p AS INSERT INTO "OUT"
SELECT STREAM CAST(NULL AS TIMESTAMP), COUNT(*) FROM (SELECT STREAM X AS x FROM "${INPUT}") AS w GROUP BY w.x;`;
    expect(() => compile(sql)).toThrow(/needs a monotonic key/);
  });
});

describe('a time key through an in-application stream (a view)', () => {
  it('STEP(ROWTIME) written by a pump, GROUP BY that column downstream', () => {
    const sql = `CREATE STREAM "MINUTES" (WT TIMESTAMP, X INTEGER);
CREATE PUMP p1 AS INSERT INTO "MINUTES" SELECT STREAM STEP(s.ROWTIME BY INTERVAL '60' SECOND), s.X FROM "${INPUT}" AS s;
${OUT}CREATE PUMP p2 AS INSERT INTO "OUT" SELECT STREAM m.WT, COUNT(*) FROM "MINUTES" AS m GROUP BY m.WT;`;
    expect(run(sql, ROWS, 180).out).toEqual([
      [60, 0, 3],
      [120, 60, 2],
      [180, 120, 1],
    ]);
  });

  it('the key of an upstream GROUP BY stays monotonic in its output stream', () => {
    const sql = `CREATE STREAM "PER_KEY" (WT TIMESTAMP, K VARCHAR(4), N BIGINT);
CREATE PUMP p1 AS INSERT INTO "PER_KEY" SELECT STREAM STEP(s.ROWTIME BY INTERVAL '60' SECOND), K, COUNT(*) FROM "${INPUT}" AS s GROUP BY STEP(s.ROWTIME BY INTERVAL '60' SECOND), K;
${OUT}CREATE PUMP p2 AS INSERT INTO "OUT" SELECT STREAM t.WT, SUM(t.N) FROM "PER_KEY" AS t GROUP BY t.WT;`;
    // The second stage closes a group when the next key value arrives (a monotonic, not a time, trigger).
    expect(run(sql, ROWS, 240).out).toEqual([
      [120, 0, 3],
      [180, 60, 2],
    ]);
  });

  it('a stream written by two pumps does not pass on what one of them wrote', () => {
    const sql = `CREATE STREAM "MINUTES" (WT TIMESTAMP, X INTEGER);
CREATE PUMP p1 AS INSERT INTO "MINUTES" SELECT STREAM STEP(s.ROWTIME BY INTERVAL '60' SECOND), s.X FROM "${INPUT}" AS s;
CREATE PUMP p3 AS INSERT INTO "MINUTES" SELECT STREAM CAST(NULL AS TIMESTAMP), s.X FROM "${INPUT}" AS s;
${OUT}CREATE PUMP p2 AS INSERT INTO "OUT" SELECT STREAM m.WT, COUNT(*) FROM "MINUTES" AS m GROUP BY m.WT;`;
    expect(() => compile(sql)).toThrow(/needs a monotonic key/);
  });
});

describe('GROUP BY on one join side\'s ROWTIME', () => {
  const JOIN_OUT = 'CREATE STREAM "OUT" (W TIMESTAMP, N BIGINT);\n';
  it('STEP(o.ROWTIME ...) of the side without a window is a time key', () => {
    const sql = `${JOIN_OUT}CREATE PUMP p AS INSERT INTO "OUT"
SELECT STREAM STEP(o.ROWTIME BY INTERVAL '60' SECOND), COUNT(*)
FROM "${INPUT}" AS o JOIN "SOURCE_SQL_STREAM_002" OVER (RANGE INTERVAL '30' SECOND PRECEDING) AS t ON o.K = t.K
GROUP BY STEP(o.ROWTIME BY INTERVAL '60' SECOND);`;
    const { out, errors } = run(sql, ROWS, 180, 'SOURCE_SQL_STREAM_002');
    expect(errors).toEqual([]);
    // Each row of o meets its copy in t (and no other row of its key within 30 s): one join row per row.
    expect(out).toEqual([
      [60, 0, 3],
      [120, 60, 2],
      [180, 120, 1],
    ]);
  });

  it('a windowed side\'s ROWTIME is older than the output row\'s: refused, with the position', () => {
    const sql = `${JOIN_OUT}CREATE PUMP p AS INSERT INTO "OUT"
SELECT STREAM STEP(t.ROWTIME BY INTERVAL '60' SECOND), COUNT(*)
FROM "${INPUT}" AS o JOIN "${INPUT}" OVER (RANGE INTERVAL '30' SECOND PRECEDING) AS t ON o.K = t.K
GROUP BY STEP(t.ROWTIME BY INTERVAL '60' SECOND);`;
    let err: unknown;
    try {
      compile(sql);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PlanError);
    expect([(err as PlanError).line, (err as PlanError).column]).toEqual([5, 10]);
    expect((err as PlanError).message).toMatch(/monotonic/);
  });
});
