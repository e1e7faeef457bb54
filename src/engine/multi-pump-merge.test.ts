import { describe, expect, it } from 'vitest';
import { parseSqlType, type Value } from '../types/sql-type.js';
import { mulberry32 } from '../util/mulberry32.js';
import { compileApplication, type Engine, type ErrorRow } from './application.js';

/**
 * Several pumps inserting into one stream (SQLREF "Monotonic Expressions and Operators"): a stream refuses a
 * row older than the previous row of the same inserter, and the rows of several inserters are merged so that
 * ROWTIME ascends. So no row of any pump is lost, whatever the order of the CREATE PUMP statements, and a run
 * split by a snapshot gives the same rows.
 */

const T0 = Date.UTC(2026, 0, 1);
const INPUT = 'SOURCE_SQL_STREAM_001';
const columns = [
  { name: 'K', type: parseSqlType('VARCHAR(4)') },
  { name: 'X', type: parseSqlType('DOUBLE') },
];

const PUMPS: Record<string, string> = {
  count: `CREATE OR REPLACE PUMP "P_COUNT" AS INSERT INTO "OUT"
  SELECT STREAM 'count', CAST(COUNT(*) AS DOUBLE) FROM "${INPUT}" s GROUP BY STEP(s.ROWTIME BY INTERVAL '1' MINUTE);`,
  sorted: `CREATE OR REPLACE PUMP "P_SORTED" AS INSERT INTO "OUT"
  SELECT STREAM 'sorted', s.X FROM "${INPUT}" s ORDER BY STEP(s.ROWTIME BY INTERVAL '1' MINUTE), s.X DESC;`,
  rows: `CREATE OR REPLACE PUMP "P_ROWS" AS INSERT INTO "OUT"
  SELECT STREAM s.K, s.X FROM "${INPUT}" s WHERE s.X > 50;`,
  stagger: `CREATE OR REPLACE PUMP "P_STAGGER" AS INSERT INTO "OUT"
  SELECT STREAM s.K, SUM(s.X) FROM "${INPUT}" s WINDOWED BY STAGGER (PARTITION BY s.K RANGE INTERVAL '45' SECOND);`,
  sliding: `CREATE OR REPLACE PUMP "P_SLIDING" AS INSERT INTO "OUT"
  SELECT STREAM 'max', MAX(s.X) OVER (RANGE INTERVAL '30' SECOND PRECEDING) FROM "${INPUT}" s;`,
};
const STREAM = 'CREATE OR REPLACE STREAM "OUT" (K VARCHAR(8), V DOUBLE);\n';

/** Rows over ~6 minutes with bursts of equal arrival times and gaps across window ends. */
function makeRows(seed: number, n: number): [string, number, number][] {
  const random = mulberry32(seed);
  let t = 0;
  return Array.from({ length: n }, () => {
    const r = random();
    t += r < 0.3 ? 0 : r < 0.9 ? Math.floor(random() * 4000) : Math.floor(random() * 70_000);
    return [`k${Math.floor(random() * 3)}`, Math.floor(random() * 100), t];
  });
}

interface Run {
  rows: [number, string][];
  errors: ErrorRow[];
}

function start(sql: string, run: Run): Engine {
  const e = compileApplication({ sql, inputs: [{ name: INPUT, columns }], options: { clock: () => T0 } }).start();
  e.onRow((s, row, rt) => {
    if (s === 'OUT') run.rows.push([rt, JSON.stringify(row)]);
  });
  e.onError((err) => run.errors.push(err));
  return e;
}

function feed(e: Engine, rows: readonly [string, number, number][], from: number, to: number): void {
  for (let i = from; i < to; i++) e.insert(INPUT, [rows[i][0], rows[i][1]] as Value[], T0 + rows[i][2]);
}

function runWhole(sql: string, rows: readonly [string, number, number][]): Run {
  const run: Run = { rows: [], errors: [] };
  const e = start(sql, run);
  feed(e, rows, 0, rows.length);
  e.finish();
  return run;
}

/** Rows in ROWTIME order, rows of one ROWTIME in a canonical order (their order among themselves is not specified). */
function canonical(rows: readonly [number, string][]): [number, string][] {
  return [...rows].sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
}

function permutations<T>(xs: readonly T[]): T[][] {
  if (xs.length <= 1) return [[...xs]];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
}

function expectAscending(rows: readonly [number, string][]): void {
  for (let i = 1; i < rows.length; i++) if (rows[i][0] < rows[i - 1][0]) expect.fail(`row ${i} (${rows[i][0]}) is older than row ${i - 1} (${rows[i - 1][0]})`);
}

describe('several pumps into one stream', () => {
  it('the issue example: a GROUP BY pump declared before an ORDER BY pump loses no row', () => {
    const rows = makeRows(7, 300);
    const merged = runWhole(STREAM + PUMPS.count + '\n' + PUMPS.sorted, rows);
    expect(merged.errors).toEqual([]);
    const sorted = merged.rows.filter((r) => r[1].startsWith('["sorted"'));
    expect(sorted.length).toBe(rows.length);
    expectAscending(merged.rows);
  });

  it('every pump order gives the union of what each pump writes alone, in ascending ROWTIME', () => {
    const names = ['count', 'sorted', 'rows', 'stagger'];
    for (const seed of [1, 2, 3]) {
      const rows = makeRows(seed, 250);
      const alone = names.flatMap((n) => runWhole(STREAM + PUMPS[n], rows).rows);
      for (const order of permutations(names)) {
        const merged = runWhole(STREAM + order.map((n) => PUMPS[n]).join('\n'), rows);
        expect(merged.errors, order.join(',')).toEqual([]);
        expectAscending(merged.rows);
        expect(canonical(merged.rows), order.join(',')).toEqual(canonical(alone));
      }
    }
  });

  it('restored from a snapshot at any point, a run gives the same rows as a run without one', () => {
    const names = ['sliding', 'sorted', 'count', 'rows', 'stagger'];
    const rows = makeRows(11, 200);
    for (const order of [names, [...names].reverse()]) {
      const sql = STREAM + order.map((n) => PUMPS[n]).join('\n');
      const whole = runWhole(sql, rows);
      for (const cut of [1, 37, 100, 163, 199]) {
        const split: Run = { rows: [], errors: [] };
        const a = start(sql, split);
        feed(a, rows, 0, cut);
        const state = JSON.parse(JSON.stringify(a.snapshot())) as unknown;
        const b = start(sql, split);
        b.restore(state);
        feed(b, rows, cut, rows.length);
        b.finish();
        expect(split.errors).toEqual([]);
        expect(split.rows, `cut at ${cut}`).toEqual(whole.rows);
      }
    }
  });

  it('a row older than the previous row of the same pump is still refused (ROWTIME_OUT_OF_ORDER, with the pump)', () => {
    const sql = `${STREAM}CREATE PUMP "P_RETIME" AS INSERT INTO "OUT" SELECT STREAM s.ROWTIME - X * INTERVAL '1' SECOND AS ROWTIME, s.K, s.X FROM "${INPUT}" s;
${PUMPS.rows}`;
    const run: Run = { rows: [], errors: [] };
    const e = start(sql, run);
    e.insert(INPUT, ['a', 10], T0 + 100_000); // re-timed to 90 s
    e.insert(INPUT, ['b', 60], T0 + 101_000); // re-timed to 41 s: older than that pump's previous row
    e.finish();
    expect(run.errors.map((x) => [x.ERROR_NAME, x.PUMP_NAME])).toEqual([['ROWTIME_OUT_OF_ORDER', 'P_RETIME']]);
    expect(run.rows.map((r) => (r[0] - T0) / 1000)).toEqual([90, 101]);
  });
});
