/**
 * Sliding COUNT/SUM/AVG keep their argument values unboxed (NULLs tracked apart): checked against a brute-force
 * recomputation of every frame, over enough rows per partition that the frame arrays and the NULL list are
 * compacted many times, with NULL runs, and across a snapshot and restore in the middle.
 */
import { describe, expect, it } from 'vitest';
import { parseSqlType, type Value } from '../../types/sql-type.js';
import { compileApplication } from '../application.js';

const T0 = Date.UTC(2026, 0, 1);
const INPUT = 'SOURCE_SQL_STREAM_001';
const columns = [
  { name: 'K', type: parseSqlType('VARCHAR(4)') },
  { name: 'V', type: parseSqlType('DOUBLE') },
];
const SQL = `CREATE STREAM "D" (K VARCHAR(4), N BIGINT, S DOUBLE, A DOUBLE, M DOUBLE);
CREATE PUMP p AS INSERT INTO "D" SELECT STREAM K, COUNT(V) OVER w, SUM(V) OVER w, AVG(V) OVER w, MIN(V) OVER w FROM "${INPUT}"
WINDOW w AS (PARTITION BY K RANGE INTERVAL '3' SECOND PRECEDING);`;

/** Rows 1 ms apart in 3 keys; V is NULL in runs (some longer than a frame) and otherwise a value with a fraction. */
const rows: [string, number | null, number][] = Array.from({ length: 12_000 }, (_, i) => {
  const x = Math.imul(i + 7, 2654435761) >>> 0;
  const inNullRun = i % 5000 >= 4000 && i % 5000 < 4000 + (i % 5000 < 4400 ? 400 : 0);
  return [`k${x % 3}`, inNullRun || x % 11 === 0 ? null : (x % 10_000) / 8, i];
});

function expected(): string[] {
  return rows.map(([k, , t]) => {
    const frame = rows.filter(([k2, v2, t2]) => k2 === k && t2 <= t && t2 >= t - 3000 && v2 !== null).map((r) => r[1] as number);
    let sum = 0;
    for (const v of frame) sum += v;
    const n = frame.length;
    return [k, n, n === 0 ? null : sum, n === 0 ? null : sum / n, n === 0 ? null : Math.min(...frame)].join('|');
  });
}

function run(splitAt: number | null): string[] {
  const app = compileApplication({ sql: SQL, inputs: [{ name: INPUT, columns }], options: { clock: () => T0 } });
  const out: string[] = [];
  const listen = (row: Value[]) => out.push(row.map((v) => (typeof v === 'number' ? Number(v.toPrecision(9)) : v)).join('|'));
  let engine = app.start();
  engine.onRow((_s, row) => listen(row));
  rows.forEach(([k, v, t], i) => {
    if (i === splitAt) {
      const state = JSON.parse(JSON.stringify(engine.snapshot())) as unknown;
      engine = app.start();
      engine.restore(state);
      engine.onRow((_s, row) => listen(row));
    }
    engine.insert(INPUT, [k, v], T0 + t);
  });
  engine.finish();
  return out;
}

describe('sliding COUNT/SUM/AVG with unboxed frame values', () => {
  const want = expected().map((line) => line.split('|').map((v) => (v === '' || Number.isNaN(Number(v)) ? v : String(Number(Number(v).toPrecision(9))))).join('|'));
  it('equals a brute-force recomputation of every frame', () => {
    expect(run(null)).toEqual(want);
  });
  it('equals it across a snapshot and restore taken inside a NULL run', () => {
    expect(run(4200)).toEqual(want);
  });
});
