import { describe, expect, it } from 'vitest';
import { SqlTypes } from '../../types/sql-type.js';
import { CountDistinctItemsTumbling, planCountDistinctItemsTumbling } from './count-distinct-items-tumbling.js';
import { HyperLogLog } from './hyper-log-log.js';

const T0 = Date.UTC(2026, 0, 1);
const cols = [{ name: 'ID', type: SqlTypes.varchar(32) }];

/** Counts in one 1-hour window (one row per millisecond, so up to 3.6 million rows stay in the window). */
function countOf(values: Iterable<string>): number {
  const w = new CountDistinctItemsTumbling(planCountDistinctItemsTumbling(cols, 'ID', 3600));
  let t = T0;
  for (const v of values) {
    w.add([v], t);
    t += 1;
  }
  const out = w.flush();
  expect(out).toHaveLength(1);
  return out[0].row[0] as number;
}

function* ids(n: number, repeat: number): Generator<string> {
  for (let r = 0; r < repeat; r++) for (let i = 0; i < n; i++) yield `user-${i}`;
}

describe('COUNT_DISTINCT_ITEMS_TUMBLING', () => {
  it('is exact up to 10,000 distinct items', () => {
    expect(countOf(ids(1, 5))).toBe(1);
    expect(countOf(ids(9999, 2))).toBe(9999);
    expect(countOf(ids(10000, 3))).toBe(10000);
  });

  it('is within 3 % beyond (HyperLogLog)', () => {
    for (const n of [10001, 25000, 100000, 300000]) {
      const estimate = countOf(ids(n, 1));
      expect(Math.abs(estimate - n) / n).toBeLessThan(0.03);
    }
  });

  it('emits one row per window at the window end and starts each window afresh', () => {
    const w = new CountDistinctItemsTumbling(planCountDistinctItemsTumbling(cols, 'ID', 5));
    w.add(['a'], T0);
    w.add(['b'], T0 + 1000);
    w.add(['a'], T0 + 4999);
    expect(w.add(['a'], T0 + 5000)).toEqual([{ row: [2], rowtime: T0 + 5000 }]);
    w.add([null], T0 + 6000);
    expect(w.advanceTo(T0 + 10000)).toEqual([{ row: [1], rowtime: T0 + 10000 }]);
    expect(w.flush()).toEqual([]);
  });

  it('has the documented output column and checks its arguments', () => {
    expect(planCountDistinctItemsTumbling(cols, 'ID', 60).outputColumns).toEqual([
      { name: 'NUMBER_OF_DISTINCT_ITEMS', type: SqlTypes.BIGINT },
    ]);
    expect(() => planCountDistinctItemsTumbling(cols, 'ID', 0)).toThrow(/windowSize/);
    expect(() => planCountDistinctItemsTumbling(cols, 'X', 10)).toThrow(/no input column/);
  });
});

describe('HyperLogLog', () => {
  it('estimates small and large cardinalities closely', () => {
    for (const n of [100, 5000, 50000]) {
      const hll = new HyperLogLog();
      for (let i = 0; i < n; i++) hll.addString(`k${i}`);
      expect(Math.abs(hll.estimate() - n) / n).toBeLessThan(0.03);
    }
  });
});
