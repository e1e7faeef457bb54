/**
 * End-to-end tests of FROM TABLE(F(CURSOR(...), ...)) through compileApplication: the analytics table functions
 * wired into the engine (plan-time argument checks with positions, rows, rowtime bounds, seed, snapshots).
 */
import { describe, expect, it } from 'vitest';
import { PlanError } from '../errors.js';
import { parseSqlType, type Value } from '../types/sql-type.js';
import { gaussianSource } from '../../test/support/analytics-test-data.js';
import { compileApplication, type Engine, type ErrorRow } from './application.js';

const T0 = Date.UTC(2026, 0, 1);
const INPUT = 'SOURCE_SQL_STREAM_001';

function compile(sql: string, columns: Record<string, string>, seed?: number) {
  return compileApplication({
    sql,
    inputs: [{ name: INPUT, columns: Object.entries(columns).map(([name, t]) => ({ name, type: parseSqlType(t) })) }],
    options: { clock: () => T0, ...(seed === undefined ? {} : { seed }) },
  });
}

interface Out {
  stream: string;
  t: number;
  row: Value[];
}

function collect(engine: Engine): { out: Out[]; errors: ErrorRow[] } {
  const out: Out[] = [];
  const errors: ErrorRow[] = [];
  engine.onRow((stream, row, rt) => out.push({ stream, t: rt - T0, row: [...row] }));
  engine.onError((e) => errors.push(e));
  return { out, errors };
}

function planError(sql: string, columns: Record<string, string>): PlanError {
  try {
    compile(sql, columns);
  } catch (e) {
    if (e instanceof PlanError) return e;
    throw e;
  }
  throw new Error('expected a PlanError');
}

const RCF_SQL = `CREATE OR REPLACE STREAM "SCORES" ("x" DOUBLE, "y" DOUBLE, "tag" VARCHAR(8), ANOMALY_SCORE DOUBLE);
CREATE OR REPLACE PUMP "P" AS INSERT INTO "SCORES"
  SELECT STREAM "x", "y", "tag", ANOMALY_SCORE
  FROM TABLE(RANDOM_CUT_FOREST(CURSOR(SELECT STREAM * FROM "SOURCE_SQL_STREAM_001"), 50, 128, 10000, 1));`;
const XY = { x: 'DOUBLE', y: 'DOUBLE', tag: 'VARCHAR(8)' };

/** 1,500 Gaussian points around (10, 10) with six far outliers planted after the forest has warmed up. */
function plantedRows(): { rows: Value[][]; planted: Set<number> } {
  const g = gaussianSource(11);
  const planted = new Set([400, 610, 777, 950, 1201, 1444]);
  const rows: Value[][] = [];
  for (let i = 0; i < 1500; i++) {
    if (planted.has(i)) rows.push([10 + (i % 2 ? 9 : -9), 10 + (i % 3 ? 8 : -8), 'OUT']);
    else rows.push([10 + g(), 10 + g(), 'IN']);
  }
  return { rows, planted };
}

function runRcf(seed: number | undefined, rows: Value[][], stopAt = rows.length, engine?: Engine): { out: Out[]; engine: Engine } {
  const e = engine ?? compile(RCF_SQL, XY, seed).start();
  const { out } = collect(e);
  for (let i = engine ? stopAt : 0; i < (engine ? rows.length : stopAt); i++) e.insert(INPUT, [...rows[i]], T0 + i * 100);
  return { out, engine: e };
}

describe('RANDOM_CUT_FOREST through SQL', () => {
  it('ranks planted outliers in the top scores, one output row per input row with the input columns unchanged', () => {
    const { rows, planted } = plantedRows();
    const { out } = runRcf(undefined, rows);
    expect(out).toHaveLength(rows.length);
    out.forEach((o, i) => {
      expect(o.t).toBe(i * 100);
      expect(o.row.slice(0, 3)).toEqual(rows[i]);
    });
    const ranked = out.map((o, i) => ({ i, score: o.row[3] as number })).sort((a, b) => b.score - a.score);
    const top = new Set(ranked.slice(0, planted.size).map((r) => r.i));
    expect([...planted].filter((i) => top.has(i))).toEqual([...planted]);
    // Clearly higher: the weakest outlier scores well above the typical normal point.
    const normal = out.filter((_, i) => !planted.has(i) && i > 400).map((o) => o.row[3] as number).sort((a, b) => a - b);
    const median = normal[normal.length >> 1];
    const weakest = Math.min(...[...planted].map((i) => out[i].row[3] as number));
    expect(weakest).toBeGreaterThan(2 * median);
  });

  it('is deterministic for a seed (options.seed) and changes with it', () => {
    const { rows } = plantedRows();
    const part = rows.slice(0, 300);
    const a = runRcf(7, part).out.map((o) => o.row[3]);
    const b = runRcf(7, part).out.map((o) => o.row[3]);
    const c = runRcf(8, part).out.map((o) => o.row[3]);
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
  });

  it('continues identically after a JSON snapshot and restore into a new engine', () => {
    const { rows } = plantedRows();
    const part = rows.slice(0, 600);
    const whole = runRcf(3, part).out;
    const first = runRcf(3, part, 350);
    const state = JSON.parse(JSON.stringify(first.engine.snapshot())) as unknown;
    const restored = compile(RCF_SQL, XY, 3).start();
    restored.restore(state);
    const second = runRcf(3, part, 350, restored);
    expect([...first.out, ...second.out]).toEqual(whole);
  });

  it('feeds the DG sort pump: ORDER BY FLOOR(ROWTIME TO SECOND), ANOMALY_SCORE DESC over the function output', () => {
    const sql = `CREATE OR REPLACE STREAM "D" ("x" DOUBLE, ANOMALY_SCORE DOUBLE);
CREATE OR REPLACE PUMP "P" AS INSERT INTO "D"
  SELECT STREAM "x", ANOMALY_SCORE FROM TABLE(RANDOM_CUT_FOREST(CURSOR(SELECT STREAM "x" FROM "SOURCE_SQL_STREAM_001"), 20, 64))
  ORDER BY FLOOR(ROWTIME TO SECOND), ANOMALY_SCORE DESC;`;
    const engine = compile(sql, { x: 'DOUBLE' }).start();
    const { out } = collect(engine);
    const g = gaussianSource(5);
    // Five rows at the start of each second for 40 seconds (rows of one second share their ROWTIME: the sort
    // operator keeps each row's ROWTIME); second 30 holds an outlier.
    for (let i = 0; i < 200; i++) engine.insert(INPUT, [i === 152 ? 40 : g()], T0 + Math.floor(i / 5) * 1000);
    engine.finish();
    expect(out).toHaveLength(200);
    for (let s = 0; s < 40; s++) {
      const second = out.filter((o) => Math.floor(o.t / 1000) === s).map((o) => o.row[1] as number);
      expect(second).toHaveLength(5);
      expect(second).toEqual([...second].sort((a, b) => b - a));
    }
    expect(out.find((o) => Math.floor(o.t / 1000) === 30)?.row[0]).toBe(40);
  });

  it('gives ANOMALY_EXPLANATION as JSON per numeric column with RANDOM_CUT_FOREST_WITH_EXPLANATION', () => {
    const sql = `CREATE OR REPLACE STREAM "D" ("x" DOUBLE, "y" DOUBLE, S DOUBLE, E VARCHAR(512));
CREATE OR REPLACE PUMP "P" AS INSERT INTO "D"
  SELECT STREAM "x", "y", ANOMALY_SCORE, ANOMALY_EXPLANATION
  FROM TABLE(RANDOM_CUT_FOREST_WITH_EXPLANATION(CURSOR(SELECT STREAM "x", "y" FROM "SOURCE_SQL_STREAM_001"), 30, 64, 1000, 1, TRUE));`;
    const engine = compile(sql, { x: 'DOUBLE', y: 'DOUBLE' }).start();
    const { out } = collect(engine);
    const g = gaussianSource(2);
    for (let i = 0; i < 120; i++) engine.insert(INPUT, i === 110 ? [0, 30] : [g(), g()], T0 + i * 10);
    const spike = out[110];
    const explanation = JSON.parse(spike.row[3] as string) as Record<string, { DIRECTION: string; ATTRIBUTION_SCORE: string }>;
    expect(Object.keys(explanation)).toEqual(['x', 'y']);
    expect(explanation.y.DIRECTION).toBe('HIGH');
    expect(Number(explanation.y.ATTRIBUTION_SCORE)).toBeGreaterThan(Number(explanation.x.ATTRIBUTION_SCORE));
  });

  it('rejects out-of-range constants at plan time with the call position', () => {
    const e = planError(RCF_SQL.replace('50, 128, 10000, 1', '0'), XY);
    expect(e.message).toMatch(/numberOfTrees .*Received 0/);
    expect([e.line, e.column]).toEqual([4, 14]);
    const tooMany = planError(RCF_SQL.replace('50, 128, 10000, 1', '50, 128, 10000, 1, 2'), XY);
    expect(tooMany.message).toMatch(/at most 4/);
    const nonConstant = planError(RCF_SQL.replace('50, 128, 10000, 1', '50, "x"'), XY);
    expect(nonConstant.message).toMatch(/unknown column "x"/);
  });
});

describe('tumbling table functions through SQL', () => {
  const TOPK = `CREATE OR REPLACE STREAM "D" ("k" VARCHAR(4), "MOST_FREQUENT_VALUES" BIGINT);
CREATE OR REPLACE PUMP "P" AS INSERT INTO "D"
  SELECT STREAM * FROM TABLE(TOP_K_ITEMS_TUMBLING(CURSOR(SELECT STREAM * FROM "SOURCE_SQL_STREAM_001"), 'k', 2, 10));`;

  it('TOP_K_ITEMS_TUMBLING emits a window when a rowtime bound passes its end, with ROWTIME = window end', () => {
    const engine = compile(TOPK, { k: 'VARCHAR(4)' }).start();
    const { out } = collect(engine);
    const keys = ['a', 'b', 'a', 'c', 'a', 'b', 'c', 'c', 'c'];
    keys.forEach((k, i) => engine.insert(INPUT, [k], T0 + i * 1000));
    expect(out).toEqual([]);
    engine.advanceTo(T0 + 10_000);
    expect(out.map((o) => [o.t, ...o.row]).sort()).toEqual([
      [10_000, 'a', 3],
      [10_000, 'c', 4],
    ]);
    engine.insert(INPUT, ['z'], T0 + 15_000);
    engine.finish();
    expect(out.slice(2).map((o) => [o.t, ...o.row])).toEqual([[20_000, 'z', 1]]);
  });

  it('TOP_K_ITEMS_TUMBLING checks its column name and K at plan time', () => {
    expect(planError(TOPK.replace("'k', 2, 10", "'nope', 2, 10"), { k: 'VARCHAR(4)' }).message).toMatch(/nope/);
    const e = planError(TOPK.replace("'k', 2, 10", "'k', 0, 10"), { k: 'VARCHAR(4)' });
    expect(e.message).toMatch(/K/);
    expect(e.line).toBe(3);
  });

  it('COUNT_DISTINCT_ITEMS_TUMBLING counts distinct values per window', () => {
    const sql = `CREATE OR REPLACE STREAM "D" (N BIGINT);
CREATE OR REPLACE PUMP "P" AS INSERT INTO "D"
  SELECT STREAM * FROM TABLE(COUNT_DISTINCT_ITEMS_TUMBLING(CURSOR(SELECT STREAM "k" FROM "SOURCE_SQL_STREAM_001"), 'k', 60));`;
    const engine = compile(sql, { k: 'INTEGER' }).start();
    const { out } = collect(engine);
    for (let i = 0; i < 500; i++) engine.insert(INPUT, [i % 37], T0 + i * 100);
    for (let i = 0; i < 100; i++) engine.insert(INPUT, [i % 5], T0 + 60_000 + i * 100);
    engine.finish();
    expect(out.map((o) => [o.t, ...o.row])).toEqual([
      [60_000, 37],
      [120_000, 5],
    ]);
  });

  it('HOTSPOTS adds HOTSPOTS_RESULT JSON that finds a planted dense region', () => {
    const sql = `CREATE OR REPLACE STREAM "D" ("x" DOUBLE, "y" DOUBLE, HOTSPOTS_RESULT VARCHAR(10000));
CREATE OR REPLACE PUMP "P" AS INSERT INTO "D"
  SELECT "x", "y", "HOTSPOTS_RESULT" FROM TABLE(HOTSPOTS(CURSOR(SELECT STREAM "x", "y" FROM "SOURCE_SQL_STREAM_001"), 200, 0.5, 10));`;
    const engine = compile(sql, { x: 'DOUBLE', y: 'DOUBLE' }).start();
    const { out } = collect(engine);
    const g = gaussianSource(9);
    let state = 1;
    const uniform = () => {
      state = (state * 48271) % 2147483647;
      return (state / 2147483647) * 100;
    };
    for (let i = 0; i < 200; i++) engine.insert(INPUT, i % 4 === 0 ? [50 + g() * 0.2, 50 + g() * 0.2] : [uniform(), uniform()], T0 + i);
    expect(out).toHaveLength(200);
    const last = JSON.parse(out[199].row[2] as string) as { hotspots: { minValues: number[]; maxValues: number[] }[] };
    expect(last.hotspots.length).toBeGreaterThan(0);
    const h = last.hotspots[0];
    expect(h.minValues[0]).toBeLessThan(50);
    expect(h.maxValues[0]).toBeGreaterThan(50);
    expect(h.maxValues[0] - h.minValues[0]).toBeLessThan(5);
  });
});
