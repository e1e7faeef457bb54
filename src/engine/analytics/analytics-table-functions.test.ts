import { describe, expect, it } from 'vitest';
import { PlanError } from '../../errors.js';
import { SqlTypes } from '../../types/sql-type.js';
import { isAnalyticsTableFunction, planAnalyticsTableFunction } from './analytics-table-functions.js';

const T0 = Date.UTC(2026, 0, 1);
const cols = [
  { name: 'TICKER', type: SqlTypes.varchar(4) },
  { name: 'PRICE', type: SqlTypes.DOUBLE },
];

describe('planAnalyticsTableFunction', () => {
  it('knows the five functions, case-insensitively', () => {
    expect(isAnalyticsTableFunction('random_cut_forest')).toBe(true);
    expect(isAnalyticsTableFunction('HOTSPOTS')).toBe(true);
    expect(isAnalyticsTableFunction('STDDEV_POP')).toBe(false);
    expect(() => planAnalyticsTableFunction('NOPE', cols, [])).toThrow(PlanError);
  });

  it('RANDOM_CUT_FOREST: defaults or explicit arguments; one row out per row in, same rowtime', () => {
    const f = planAnalyticsTableFunction('RANDOM_CUT_FOREST', cols, []);
    expect(f.outputColumns.map((c) => c.name)).toEqual(['TICKER', 'PRICE', 'ANOMALY_SCORE']);
    const run = f.create();
    expect(run.push(['A', 1.5], T0)).toEqual([{ row: ['A', 1.5, 0], rowtime: T0 }]);
    expect(run.advanceTo(T0 + 1000)).toEqual([]);
    expect(run.flush()).toEqual([]);
    expect(planAnalyticsTableFunction('RANDOM_CUT_FOREST', cols, [50, 128, 1000, 2]).outputColumns).toHaveLength(3);
  });

  it('RANDOM_CUT_FOREST_WITH_EXPLANATION with the DG arguments (100, 256, 100000, 1, true)', () => {
    const f = planAnalyticsTableFunction('RANDOM_CUT_FOREST_WITH_EXPLANATION', cols, [100, 256, 100000, 1, true]);
    expect(f.outputColumns.map((c) => c.name)).toEqual(['TICKER', 'PRICE', 'ANOMALY_SCORE', 'ANOMALY_EXPLANATION']);
    const [out] = f.create().push(['A', 2], T0);
    expect(JSON.parse(out.row[3] as string)).toEqual({ PRICE: { DIRECTION: 'HIGH', STRENGTH: '0.0000', ATTRIBUTION_SCORE: '0.0000' } });
  });

  it('same seed, same scores; the seed comes from the application options', () => {
    const scores = (seed: number) => {
      const run = planAnalyticsTableFunction('RANDOM_CUT_FOREST', cols, [20, 32], { seed }).create();
      return Array.from({ length: 100 }, (_, i) => run.push(['A', Math.sin(i) * 10], T0 + i)[0].row[2]);
    };
    expect(scores(1)).toEqual(scores(1));
    expect(scores(1)).not.toEqual(scores(2));
  });

  it('HOTSPOTS, TOP_K_ITEMS_TUMBLING and COUNT_DISTINCT_ITEMS_TUMBLING', () => {
    expect(planAnalyticsTableFunction('HOTSPOTS', cols, [100, 0.5, 3]).outputColumns.at(-1)?.name).toBe('HOTSPOTS_RESULT');
    const top = planAnalyticsTableFunction('TOP_K_ITEMS_TUMBLING', cols, ['TICKER', 2, 10]).create();
    top.push(['A', 1], T0);
    top.push(['A', 1], T0 + 1);
    top.push(['B', 1], T0 + 2);
    expect(top.push(['C', 1], T0 + 10000)).toEqual([
      { row: ['A', 2], rowtime: T0 + 10000 },
      { row: ['B', 1], rowtime: T0 + 10000 },
    ]);
    const cd = planAnalyticsTableFunction('COUNT_DISTINCT_ITEMS_TUMBLING', cols, ['TICKER', 10]).create();
    cd.push(['A', 1], T0);
    cd.push(['B', 1], T0 + 1);
    expect(cd.flush()).toEqual([{ row: [2], rowtime: T0 + 10000 }]);
  });

  it('rejects wrong argument counts and types', () => {
    expect(() => planAnalyticsTableFunction('HOTSPOTS', cols, [100, 0.5])).toThrow(/takes 3 arguments .* Received 2/);
    expect(() => planAnalyticsTableFunction('RANDOM_CUT_FOREST', cols, [1, 2, 3, 4, 5])).toThrow(/at most 4/);
    expect(() => planAnalyticsTableFunction('TOP_K_ITEMS_TUMBLING', cols, [5, 5, 60])).toThrow(/columnName must be a character constant/);
    expect(() => planAnalyticsTableFunction('TOP_K_ITEMS_TUMBLING', cols, ['TICKER', '5', 60])).toThrow(/K must be a numeric constant. Received '5'/);
    expect(() => planAnalyticsTableFunction('RANDOM_CUT_FOREST_WITH_EXPLANATION', cols, [100, 256, 100000, 1, 1])).toThrow(/TRUE or FALSE/);
  });
});
