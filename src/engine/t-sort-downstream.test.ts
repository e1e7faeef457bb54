import { describe, expect, it } from 'vitest';
import { parseSqlType, type Value } from '../types/sql-type.js';
import { mulberry32 } from '../util/mulberry32.js';
import { compileApplication, type ErrorRow } from './application.js';

/**
 * A time window downstream of a T-sort (SQLREF sqlrf_T-sorting_Stream_Input) groups by the sorted ROWTIME, so
 * it must close on that ROWTIME: a window ends when the sorted stream has moved past it, not when arrival time
 * has. Each event-time minute then gives exactly one row with every event of that minute.
 */

const T0 = Date.UTC(2026, 0, 1);
const INPUT = 'SOURCE_SQL_STREAM_001';
const columns = [
  { name: 'EVENT_TIME', type: parseSqlType('TIMESTAMP') },
  { name: 'V', type: parseSqlType('INTEGER') },
];

const SORT = `CREATE STREAM "SORTED" (EVENT_TIME TIMESTAMP, V INTEGER);
CREATE PUMP "P_SORT" AS INSERT INTO "SORTED"
  SELECT STREAM EVENT_TIME AS ROWTIME, EVENT_TIME, V FROM "${INPUT}" ORDER BY EVENT_TIME WITHIN INTERVAL '20' SECOND;
CREATE STREAM "PER_MINUTE" (M TIMESTAMP, N BIGINT, S INTEGER);
`;

const DOWNSTREAM: Record<string, string> = {
  'GROUP BY STEP': `CREATE PUMP "P_AGG" AS INSERT INTO "PER_MINUTE"
  SELECT STREAM STEP(s.ROWTIME BY INTERVAL '1' MINUTE), COUNT(*), SUM(V) FROM "SORTED" s GROUP BY STEP(s.ROWTIME BY INTERVAL '1' MINUTE);`,
  'GROUP BY FLOOR, then a second tumbling stage': `CREATE STREAM "STAGE" (M TIMESTAMP, N BIGINT, S INTEGER);
CREATE PUMP "P_STAGE" AS INSERT INTO "STAGE"
  SELECT STREAM FLOOR(s.ROWTIME TO MINUTE), COUNT(*), SUM(V) FROM "SORTED" s GROUP BY FLOOR(s.ROWTIME TO MINUTE);
CREATE PUMP "P_AGG" AS INSERT INTO "PER_MINUTE"
  SELECT STREAM M, SUM(N), SUM(S) FROM "STAGE" t GROUP BY M, STEP(t.ROWTIME BY INTERVAL '1' MINUTE);`,
};

describe('a time window downstream of a T-sort', () => {
  for (const [name, sql] of Object.entries(DOWNSTREAM)) {
    it(`${name}: closes on the sorted ROWTIME, one complete row per event-time minute`, () => {
      const random = mulberry32(5);
      const app = compileApplication({ sql: SORT + sql, inputs: [{ name: INPUT, columns }], options: { clock: () => T0 } });
      const e = app.start();
      const out: [number, number, number][] = [];
      const errors: ErrorRow[] = [];
      e.onRow((s, row, rt) => {
        if (s === 'PER_MINUTE') out.push([((row[0] as number) - T0) / 60_000, Number(row[1]), row[2] as number]);
        if (s === 'PER_MINUTE') expect(rt).toBeGreaterThanOrEqual(row[0] as number);
      });
      e.onError((x) => errors.push(x));
      // Events arrive up to 15 s late (within the 20 s slack), out of order, over 10 minutes.
      const expected = new Map<number, [number, number]>();
      for (let t = 0; t < 600_000; t += 250 + Math.floor(random() * 500)) {
        const event = Math.max(0, t - Math.floor(random() * 15_000));
        const v = Math.floor(random() * 10);
        e.insert(INPUT, [T0 + event, v] as Value[], T0 + t);
        const m = Math.floor(event / 60_000);
        const [n, s] = expected.get(m) ?? [0, 0];
        expected.set(m, [n + 1, s + v]);
      }
      e.finish();
      expect(errors).toEqual([]);
      expect(out).toEqual([...expected.entries()].sort((a, b) => a[0] - b[0]).map(([m, [n, s]]) => [m, n, s]));
    });
  }
});
