import { describe, expect, it } from 'vitest';
import { PlanError } from '../../errors.js';
import { SqlTypes } from '../../types/sql-type.js';
import { HotspotDetector, HotspotsFunction, planHotspots } from './hotspots.js';
import { SeededRandom } from './seeded-random.js';
import { gaussianSource } from '../../../test/support/analytics-test-data.js';

describe('HotspotDetector', () => {
  it('finds the planted dense region in uniform background (the DG example parameters)', () => {
    const rng = new SeededRandom(12);
    const gauss = gaussianSource(13);
    const detector = new HotspotDetector(2, 1000, 0.2, 17);
    let last: ReturnType<HotspotDetector['add']> = [];
    for (let i = 0; i < 1500; i++) {
      const hot = rng.next() < 0.2;
      last = detector.add(hot ? [3 + 0.1 * gauss(), 7 + 0.1 * gauss()] : [10 * rng.next(), 10 * rng.next()]);
    }
    expect(last.length).toBeGreaterThanOrEqual(1);
    const top = last[0];
    expect(top.minValues[0]).toBeLessThan(3);
    expect(top.maxValues[0]).toBeGreaterThan(3);
    expect(top.minValues[1]).toBeLessThan(7);
    expect(top.maxValues[1]).toBeGreaterThan(7);
    expect(top.maxValues[0] - top.minValues[0]).toBeLessThan(1.5);
    expect(top.size).toBeGreaterThan(150);
    expect(top.density).toBeGreaterThan(20);
  });

  it('finds no hotspot in uniform data', () => {
    const rng = new SeededRandom(3);
    const detector = new HotspotDetector(2, 1000, 0.2, 17);
    let last: ReturnType<HotspotDetector['add']> = [];
    for (let i = 0; i < 1000; i++) last = detector.add([10 * rng.next(), 10 * rng.next()]);
    expect(last).toEqual([]);
  });

  it('forgets points that left the window', () => {
    const detector = new HotspotDetector(1, 100, 0.5, 5);
    for (let i = 0; i < 10; i++) detector.add([1]);
    expect(detector.detect()).toHaveLength(1);
    for (let i = 0; i < 100; i++) detector.add([10 * i]);
    expect(detector.detect()).toEqual([]);
  });
});

describe('HOTSPOTS function', () => {
  const columns = [
    { name: 'x', type: SqlTypes.DOUBLE },
    { name: 'y', type: SqlTypes.DOUBLE },
    { name: 'is_hot', type: SqlTypes.varchar(4) },
  ];

  it('appends HOTSPOTS_RESULT JSON to each row, leaving the input values unchanged', () => {
    const plan = planHotspots(columns, 100, 0.5, 3);
    expect(plan.outputColumns.map((c) => c.name)).toEqual(['x', 'y', 'is_hot', 'HOTSPOTS_RESULT']);
    const fn = new HotspotsFunction(plan);
    let row = fn.process([1, 1, 'Y']);
    expect(row.slice(0, 3)).toEqual([1, 1, 'Y']);
    expect(JSON.parse(row[3] as string)).toEqual({ hotspots: [] });
    fn.process([1.1, 1, 'Y']);
    fn.process([5, 5, 'N']);
    row = fn.process([1, 1.1, 'Y']);
    const result = JSON.parse(row[3] as string) as { hotspots: { density: number; minValues: number[]; maxValues: number[] }[] };
    expect(result.hotspots).toHaveLength(1);
    expect(result.hotspots[0].minValues).toEqual([1, 1]);
    expect(result.hotspots[0].maxValues).toEqual([1.1, 1.1]);
    expect(Object.keys(result.hotspots[0])).toEqual(['density', 'minValues', 'maxValues']);
  });

  it('rejects arguments outside the documented ranges', () => {
    expect(() => planHotspots(columns, 99, 0.2, 17)).toThrow(PlanError);
    expect(() => planHotspots(columns, 1001, 0.2, 17)).toThrow(/windowSize .* Received 1001/);
    expect(() => planHotspots(columns, 100, 0, 17)).toThrow(/scanRadius/);
    expect(() => planHotspots(columns, 100, 0.2, 1)).toThrow(/minimumNumberOfPointsInAHotspot/);
    expect(() => planHotspots(columns, 100, 0.2, 101)).toThrow(/minimumNumberOfPointsInAHotspot/);
  });
});
