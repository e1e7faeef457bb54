import { describe, expect, it } from 'vitest';
import { compileApplication, compileExpression } from '../../src/engine/index.js';
import type { BoundExpr, RelNode } from '../../src/plan/index.js';
import { SqlTypes } from '../../src/types/sql-type.js';
import { tumblingWindowOf } from '../../src/translate/tumbling-key.js';

/** The ROWTIME key of the application's only GROUP BY, as the planner bound it. */
function timeKey(groupBy: string): BoundExpr {
  const app = compileApplication({
    sql: `CREATE OR REPLACE STREAM "OUT" (N BIGINT);
CREATE OR REPLACE PUMP "P" AS INSERT INTO "OUT"
SELECT STREAM COUNT(*) AS N FROM "SOURCE_SQL_STREAM_001" AS s GROUP BY ${groupBy};`,
    inputs: [{ name: 'SOURCE_SQL_STREAM_001', columns: [{ name: 'ID', type: SqlTypes.INTEGER }] }],
    references: [],
  });
  const find = (r: RelNode): RelNode => (r.kind === 'Aggregate' ? r : 'input' in r ? find(r.input) : r);
  const agg = find(app.plan.pumps[0].query);
  if (agg.kind !== 'Aggregate' || agg.trigger.kind !== 'rowtime') throw new Error('no ROWTIME GROUP BY');
  return agg.keys[agg.trigger.keyIndex];
}

/** Deterministic pseudo-random numbers (a linear congruential generator), so a failure reproduces. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * The engine's own value of the key must change exactly at the window boundaries the analysis claims: equal for
 * two times of one window, different for times of two windows. Checked at and around many boundaries.
 */
function checkAgainstEngine(key: BoundExpr, sizeMs: number, offsetMs: number): void {
  const f = compileExpression(key, { rowClock: () => 0, queryStart: 0 });
  const at = (t: number) => f([], t);
  const rnd = random(sizeMs + offsetMs);
  const base = Date.UTC(2026, 0, 1);
  for (let i = 0; i < 300; i++) {
    const k = Math.floor(base / sizeMs) + Math.floor(rnd() * 1_000_000);
    const start = k * sizeMs + offsetMs;
    const inside = start + Math.floor(rnd() * sizeMs);
    expect(at(start), `window at ${new Date(start).toISOString()}`).toBe(at(inside));
    expect(at(start + sizeMs - 1)).toBe(at(start));
    expect(at(start - 1)).not.toBe(at(start));
    expect(at(start + sizeMs)).not.toBe(at(start));
  }
}

describe('tumblingWindowOf', () => {
  const cases: [string, number, number][] = [
    ["STEP(s.ROWTIME BY INTERVAL '10' SECOND)", 10_000, 0],
    ['FLOOR(s.ROWTIME TO MINUTE)', 60_000, 0],
    ["FLOOR((s.ROWTIME - TIMESTAMP '1970-01-01 00:00:00') SECOND / 10 TO SECOND)", 10_000, 0],
    ["FLOOR((s.ROWTIME - TIMESTAMP '1970-01-01 00:00:03') SECOND / 10 TO SECOND)", 10_000, 3_000],
    ["FLOOR((s.ROWTIME - TIMESTAMP '1970-01-01 00:00:00') MINUTE / 5 TO MINUTE)", 300_000, 0],
    ["FLOOR((s.ROWTIME - TIMESTAMP '1970-01-01 00:00:00') SECOND / 4 TO MINUTE)", 240_000, 0],
    ["FLOOR((s.ROWTIME + INTERVAL '20' SECOND) TO MINUTE)", 60_000, 40_000],
    ["FLOOR((s.ROWTIME - TIMESTAMP '1970-01-01 00:00:00') HOUR / 2 TO MINUTE)", 3_600_000, 0],
    ["FLOOR((s.ROWTIME - TIMESTAMP '1970-01-01 00:00:00') MINUTE / 15 TO HOUR)", 60_000 * 15 * 60, 0],
    ["FLOOR((s.ROWTIME - TIMESTAMP '1970-01-01 00:00:00') MINUTE / 7 TO SECOND)", 60_000, 0],
    ["FLOOR((s.ROWTIME - TIMESTAMP '1970-01-01 00:00:00') MINUTE / 7 TO HOUR)", 60_000 * 420, 0],
    ["STEP(s.ROWTIME - INTERVAL '2' SECOND BY INTERVAL '5' SECOND)", 5_000, 2_000],
    ["(s.ROWTIME - TIMESTAMP '1970-01-01 00:00:00') HOUR", 3_600_000, 0],
  ];
  for (const [expr, size, offset] of cases) {
    it(`${expr}: TUMBLE of ${size} ms, offset ${offset} ms, as the engine groups`, () => {
      const key = timeKey(expr);
      expect(tumblingWindowOf(key)).toEqual({ sizeMs: size, offsetMs: offset });
      checkAgainstEngine(key, size, offset);
    });
  }

  const refused: [string, RegExp][] = [
    ['CEIL(s.ROWTIME TO MINUTE)', /not a fixed-size tumbling/],
    ['FLOOR(s.ROWTIME TO MONTH)', /no fixed window length/],
    ["STEP(s.ROWTIME BY INTERVAL '1' MONTH)", /calendar/],
    ["FLOOR((s.ROWTIME - TIMESTAMP '1970-01-01 00:00:00') SECOND / 3 TO MILLISECOND)", /.+/],
    ["FLOOR((s.ROWTIME - TIMESTAMP '1970-01-01 00:00:00') SECOND * 3 TO SECOND)", /whole number of milliseconds/],
    ["FLOOR((s.ROWTIME - TIMESTAMP '1970-01-01 00:00:00') MINUTE * 2 / 5 TO MINUTE)", /not a whole multiple/],
    ["FLOOR(FLOOR((s.ROWTIME - TIMESTAMP '1970-01-01 00:00:00') MINUTE / 7 TO SECOND) TO MINUTE)", /not proven/],
    ["(s.ROWTIME - TIMESTAMP '2020-01-01 00:00:00') MINUTE", /truncates toward zero/],
  ];
  for (const [expr, why] of refused) {
    it(`refuses ${expr}`, () => {
      let key: BoundExpr;
      try {
        key = timeKey(expr);
      } catch {
        // Not even a valid ROWTIME GROUP BY for the planner: nothing to translate.
        return;
      }
      const w = tumblingWindowOf(key);
      expect(typeof w).toBe('string');
      expect(w as string).toMatch(why);
    });
  }
});
