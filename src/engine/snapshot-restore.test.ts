import { describe, expect, it } from 'vitest';
import { parseSqlType, type Value } from '../types/sql-type.js';
import { compileApplication, type Engine } from './application.js';

const T0 = Date.UTC(2026, 0, 1);
const INPUT = 'SOURCE_SQL_STREAM_001';
const columns = [
  { name: 'K', type: parseSqlType('VARCHAR(4)') },
  { name: 'V', type: parseSqlType('INTEGER') },
];

/** Deterministic rows: key, value, arrival offset in ms (non-decreasing, with ties). */
const rows: [string, number | null, number][] = Array.from({ length: 400 }, (_, i) => {
  const x = (Math.imul(i + 1, 2654435761) >>> 0) % 1000;
  return [`k${x % 5}`, x % 7 === 0 ? null : x, Math.floor(i / 2) * 737];
});

const APPS: Record<string, string> = {
  tumbling: `CREATE STREAM "D" (K VARCHAR(4), N BIGINT, S INTEGER, LO INTEGER, A INTEGER);
CREATE PUMP p AS INSERT INTO "D" SELECT STREAM K, COUNT(*), SUM(V), MIN(V), AVG(V) FROM "${INPUT}" AS s GROUP BY K, STEP(s.ROWTIME BY INTERVAL '20' SECOND);`,
  sliding: `CREATE STREAM "D" (K VARCHAR(4), N BIGINT, S INTEGER, HI INTEGER, L INTEGER, F INTEGER);
CREATE PUMP p AS INSERT INTO "D" SELECT STREAM K, COUNT(V) OVER w, SUM(V) OVER w, MAX(V) OVER w, LAG(V, 2) OVER w, FIRST_VALUE(V) IGNORE NULLS OVER r FROM "${INPUT}"
WINDOW w AS (PARTITION BY K RANGE INTERVAL '9' SECOND PRECEDING), r AS (ROWS 5 PRECEDING);`,
  stagger: `CREATE STREAM "D" (K VARCHAR(4), N BIGINT, L INTEGER);
CREATE PUMP p AS INSERT INTO "D" SELECT STREAM K, COUNT(*), LAST_VALUE(V) FROM "${INPUT}" WINDOWED BY STAGGER (PARTITION BY K RANGE INTERVAL '15' SECOND);`,
  'distinct and order by': `CREATE STREAM "D" (T TIMESTAMP, K VARCHAR(4));
CREATE PUMP p AS INSERT INTO "D" SELECT STREAM DISTINCT FLOOR(s.ROWTIME TO SECOND), K FROM "${INPUT}" AS s ORDER BY FLOOR(s.ROWTIME TO SECOND), K DESC;`,
  'stream join (FULL, RANGE and ROWS windows)': `CREATE STREAM "A" (K VARCHAR(4), V INTEGER);
CREATE STREAM "B" (K VARCHAR(4), V INTEGER);
CREATE PUMP pa AS INSERT INTO "A" SELECT STREAM K, V FROM "${INPUT}" WHERE MOD(V, 2) = 0;
CREATE PUMP pb AS INSERT INTO "B" SELECT STREAM K, V FROM "${INPUT}" WHERE MOD(V, 2) = 1;
CREATE STREAM "D" (AV INTEGER, ATIME TIMESTAMP, BV INTEGER, BTIME TIMESTAMP);
CREATE PUMP p AS INSERT INTO "D" SELECT STREAM a.V, a.ROWTIME, b.V, b.ROWTIME FROM "A" OVER (RANGE INTERVAL '4' SECOND PRECEDING) AS a
  FULL JOIN "B" OVER (ROWS 3 PRECEDING) AS b ON a.K = b.K AND a.V < b.V + 500;`,
  't-sort': `CREATE STREAM "D" (K VARCHAR(4), V INTEGER);
CREATE PUMP p AS INSERT INTO "D" SELECT STREAM s.ROWTIME - (V * INTERVAL '0.01' SECOND) AS ROWTIME, K, V FROM "${INPUT}" AS s ORDER BY s.ROWTIME - (V * INTERVAL '0.01' SECOND) WITHIN INTERVAL '8' SECOND;`,
};

function start(sql: string, out: string[]): Engine {
  const e = compileApplication({ sql, inputs: [{ name: INPUT, columns }], options: { clock: () => T0 } }).start();
  e.onRow((s, row, rt) => out.push(JSON.stringify([s, rt - T0, row])));
  return e;
}

function feed(e: Engine, from: number, to: number): void {
  for (let i = from; i < to; i++) e.insert(INPUT, [rows[i][0], rows[i][1]] as Value[], T0 + rows[i][2]);
}

describe('snapshot and restore', () => {
  for (const [name, sql] of Object.entries(APPS)) {
    it(`${name}: a run split by snapshot/restore (through JSON) gives the same rows as one run`, () => {
      const whole: string[] = [];
      const e1 = start(sql, whole);
      feed(e1, 0, rows.length);
      e1.finish();

      const split: string[] = [];
      const a = start(sql, split);
      feed(a, 0, 157);
      const state = JSON.parse(JSON.stringify(a.snapshot()));
      const b = start(sql, split);
      b.restore(state);
      feed(b, 157, rows.length);
      b.finish();

      expect(whole.length).toBeGreaterThan(10);
      expect(split).toEqual(whole);
    });
  }
});
