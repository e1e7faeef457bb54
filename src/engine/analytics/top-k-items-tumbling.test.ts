import { describe, expect, it } from 'vitest';
import { PlanError } from '../../errors.js';
import { SqlTypes } from '../../types/sql-type.js';
import { SpaceSavingSketch } from './space-saving-sketch.js';
import { planTopKItemsTumbling, TopKItemsTumbling } from './top-k-items-tumbling.js';
import { zipfSource } from '../../../test/support/analytics-test-data.js';

const T0 = Date.UTC(2026, 0, 1);
const ticker = [{ name: 'TICKER', type: SqlTypes.varchar(4) }];

describe('TOP_K_ITEMS_TUMBLING', () => {
  it('returns exact counts for few distinct values (the conformance case), ROWTIME = window end', () => {
    const w = new TopKItemsTumbling(planTopKItemsTumbling(ticker, 'TICKER', 5, 60));
    const values = ['TBV', 'INTC', 'MSFT', 'AMZN', 'AMZN', 'INTC', 'AMZN', 'MSFT', 'AMZN', 'INTC'];
    values.forEach((v, i) => expect(w.add([v], T0 + i * 2000)).toEqual([]));
    const out = w.flush();
    expect(out.map((r) => r.row)).toEqual([['AMZN', 4], ['INTC', 3], ['MSFT', 2], ['TBV', 1]]);
    expect(out.every((r) => r.rowtime === T0 + 60000)).toBe(true);
    expect(w.flush()).toEqual([]);
  });

  it('closes a window when a later row or the clock reaches its end', () => {
    const w = new TopKItemsTumbling(planTopKItemsTumbling(ticker, 'ticker', 2, 10));
    w.add(['A'], T0 + 1000);
    w.add(['A'], T0 + 9999);
    expect(w.advanceTo(T0 + 9999)).toEqual([]);
    const closed = w.add(['B'], T0 + 10000);
    expect(closed).toEqual([{ row: ['A', 2], rowtime: T0 + 10000 }]);
    expect(w.advanceTo(T0 + 20000)).toEqual([{ row: ['B', 1], rowtime: T0 + 20000 }]);
    w.add([null], T0 + 30500);
    expect(w.flush()).toEqual([]);
    w.addValue('C', T0 + 40000);
    expect(w.closeWindow()).toEqual([{ row: ['C', 1], rowtime: T0 + 50000 }]);
  });

  it('finds the true heavy hitters of Zipf data, counts within the Space-Saving bound', () => {
    const plan = planTopKItemsTumbling([{ name: 'V', type: SqlTypes.INTEGER }], 'V', 10, 3600);
    const w = new TopKItemsTumbling(plan);
    const next = zipfSource(5, 50000, 1.1);
    const truth = new Map<number, number>();
    const n = 200000;
    for (let i = 0; i < n; i++) {
      const v = next();
      truth.set(v, (truth.get(v) ?? 0) + 1);
      w.add([v], T0 + i);
    }
    expect(truth.size).toBeGreaterThan(w.counters); // the sketch really is approximating
    const out = w.flush().map((r) => r.row as [number, number]);
    const trueTop = [...truth.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([v]) => v);
    expect(out.map(([v]) => v).sort((a, b) => a - b)).toEqual(trueTop.sort((a, b) => a - b));
    for (const [v, count] of out) {
      expect(count).toBeGreaterThanOrEqual(truth.get(v) as number);
      expect(count - (truth.get(v) as number)).toBeLessThanOrEqual(n / w.counters);
    }
  });

  it('rejects K and window sizes outside the documented ranges, and unknown columns', () => {
    expect(() => planTopKItemsTumbling(ticker, 'TICKER', 0, 60)).toThrow(PlanError);
    expect(() => planTopKItemsTumbling(ticker, 'TICKER', 100001, 60)).toThrow(/K must be/);
    expect(() => planTopKItemsTumbling(ticker, 'TICKER', 5, 3601)).toThrow(/windowSize .* Received 3601/);
    expect(() => planTopKItemsTumbling(ticker, 'PRICE', 5, 60)).toThrow(/no input column named 'PRICE'/);
    expect(planTopKItemsTumbling(ticker, 'TICKER', 5, 60).outputColumns).toEqual([
      { name: 'TICKER', type: SqlTypes.varchar(4) },
      { name: 'MOST_FREQUENT_VALUES', type: SqlTypes.BIGINT },
    ]);
  });
});

describe('SpaceSavingSketch', () => {
  it('never underestimates and overestimates by at most N / capacity', () => {
    const sketch = new SpaceSavingSketch<number>(50);
    const next = zipfSource(9, 2000, 0.8);
    const truth = new Map<number, number>();
    for (let i = 0; i < 20000; i++) {
      const v = next();
      truth.set(v, (truth.get(v) ?? 0) + 1);
      sketch.add(v);
    }
    for (const e of sketch.top(50)) {
      const t = truth.get(e.key) as number;
      expect(e.count).toBeGreaterThanOrEqual(t);
      expect(e.count - t).toBeLessThanOrEqual(20000 / 50);
      expect(e.count - e.maxError).toBeLessThanOrEqual(t);
    }
  });
});
