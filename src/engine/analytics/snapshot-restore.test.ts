import { describe, expect, it } from 'vitest';
import { SqlTypes, type Value } from '../../types/sql-type.js';
import { CountDistinctItemsTumbling, planCountDistinctItemsTumbling } from './count-distinct-items-tumbling.js';
import { HotspotsFunction, planHotspots } from './hotspots.js';
import { planRandomCutForest, RandomCutForestFunction } from './random-cut-forest-function.js';
import { gaussianSource, zipfSource } from '../../../test/support/analytics-test-data.js';
import { planTopKItemsTumbling, TopKItemsTumbling } from './top-k-items-tumbling.js';

/** A snapshot goes through JSON, as the engine stores it. */
function viaJson(state: unknown): unknown {
  return JSON.parse(JSON.stringify(state));
}

describe('analytics snapshot/restore', () => {
  it('RCF with explanation continues identically after restore (shingled)', () => {
    const cols = [
      { name: 'A', type: SqlTypes.DOUBLE },
      { name: 'B', type: SqlTypes.INTEGER },
    ];
    const plan = planRandomCutForest(cols, { numberOfTrees: 20, subSampleSize: 32, timeDecay: 100, shingleSize: 2, withDirectionality: true }, true);
    const gauss = gaussianSource(1);
    const rows: Value[][] = Array.from({ length: 600 }, () => [gauss(), Math.round(10 * gauss())]);
    const original = new RandomCutForestFunction(plan);
    rows.slice(0, 300).forEach((r) => original.process(r));
    const copy = new RandomCutForestFunction(plan);
    copy.restore(viaJson(original.snapshot()));
    const a = rows.slice(300).map((r) => original.process(r));
    const b = rows.slice(300).map((r) => copy.process(r));
    expect(b).toEqual(a);
    expect(a.some((r) => (r[2] as number) > 0)).toBe(true);
  });

  it('HOTSPOTS continues identically after restore', () => {
    const cols = [
      { name: 'x', type: SqlTypes.DOUBLE },
      { name: 'y', type: SqlTypes.DOUBLE },
    ];
    const plan = planHotspots(cols, 100, 0.3, 5);
    const gauss = gaussianSource(2);
    const rows: Value[][] = Array.from({ length: 200 }, (_, i) => (i % 3 === 0 ? [0.1 * gauss(), 0.1 * gauss()] : [5 * gauss(), 5 * gauss()]));
    const original = new HotspotsFunction(plan);
    rows.slice(0, 150).forEach((r) => original.process(r));
    const copy = new HotspotsFunction(plan);
    copy.restore(viaJson(original.snapshot()));
    expect(rows.slice(150).map((r) => copy.process(r))).toEqual(rows.slice(150).map((r) => original.process(r)));
  });

  it('TOP_K and COUNT_DISTINCT windows continue identically after restore', () => {
    const cols = [{ name: 'V', type: SqlTypes.varchar(8) }];
    const next = zipfSource(3, 3000, 1);
    const rows = Array.from({ length: 6000 }, (_, i) => ({ row: [`v${next()}`] as Value[], at: i * 10 }));
    const topPlan = planTopKItemsTumbling(cols, 'V', 20, 30);
    const cdPlan = planCountDistinctItemsTumbling(cols, 'V', 30);
    const top = new TopKItemsTumbling(topPlan);
    const cd = new CountDistinctItemsTumbling(cdPlan);
    rows.slice(0, 4321).forEach((r) => {
      top.add(r.row, r.at);
      cd.add(r.row, r.at);
    });
    const top2 = new TopKItemsTumbling(topPlan);
    top2.restore(viaJson(top.snapshot()));
    const cd2 = new CountDistinctItemsTumbling(cdPlan);
    cd2.restore(viaJson(cd.snapshot()));
    const rest = rows.slice(4321);
    const run = (t: TopKItemsTumbling, c: CountDistinctItemsTumbling) =>
      rest.flatMap((r) => [...t.add(r.row, r.at), ...c.add(r.row, r.at)]).concat(t.flush(), c.flush());
    const expected = run(top, cd);
    expect(run(top2, cd2)).toEqual(expected);
    expect(expected.length).toBeGreaterThan(20);
  });

  it('COUNT_DISTINCT restores a window that has moved to HyperLogLog', () => {
    const plan = planCountDistinctItemsTumbling([{ name: 'V', type: SqlTypes.INTEGER }], 'V', 3600);
    const w = new CountDistinctItemsTumbling(plan);
    for (let i = 0; i < 20000; i++) w.add([i], i);
    const copy = new CountDistinctItemsTumbling(plan);
    copy.restore(viaJson(w.snapshot()));
    for (let i = 20000; i < 30000; i++) {
      w.add([i], i);
      copy.add([i], i);
    }
    const a = w.flush();
    expect(copy.flush()).toEqual(a);
    expect(Math.abs((a[0].row[0] as number) - 30000) / 30000).toBeLessThan(0.03);
  });
});
