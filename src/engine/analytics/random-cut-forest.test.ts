import { describe, expect, it } from 'vitest';
import { RandomCutForest } from './random-cut-forest.js';
import { gaussianSource } from '../../../test/support/analytics-test-data.js';
import { SeededRandom } from './seeded-random.js';

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** 3000 rows from a 2-D normal cluster, with 10 far outliers in different directions after row 1000. */
function plantedStream(seed: number): { points: number[][]; planted: Set<number> } {
  const gauss = gaussianSource(seed);
  const points: number[][] = [];
  const planted = new Set<number>();
  for (let i = 0; i < 3000; i++) {
    if (i >= 1000 && i % 200 === 0) {
      const angle = (planted.size / 10) * 2 * Math.PI;
      points.push([9 * Math.cos(angle) + 0.3 * gauss(), 9 * Math.sin(angle) + 0.3 * gauss()]);
      planted.add(i);
    } else {
      points.push([gauss(), gauss()]);
    }
  }
  return { points, planted };
}

describe('RandomCutForest', () => {
  it('scores planted outliers far above normal rows, all of them in the top scores', () => {
    const { points, planted } = plantedStream(11);
    const forest = new RandomCutForest({ dimensions: 2, seed: 5 });
    const scores = points.map((p) => forest.process(p));
    const after = scores.map((s, i) => ({ s, i })).filter((e) => e.i >= 1000);
    const plantedScores = after.filter((e) => planted.has(e.i)).map((e) => e.s);
    const normalScores = after.filter((e) => !planted.has(e.i)).map((e) => e.s);
    expect(plantedScores).toHaveLength(10);
    expect(mean(plantedScores)).toBeGreaterThan(3 * mean(normalScores));
    const top = [...after].sort((a, b) => b.s - a.s).slice(0, planted.size);
    expect(top.every((e) => planted.has(e.i))).toBe(true);
  });

  it('finds outliers in 4 dimensions with default parameters', () => {
    const gauss = gaussianSource(3);
    const forest = new RandomCutForest({ dimensions: 4 });
    const normal: number[] = [];
    const planted: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const outlier = i > 500 && i % 250 === 0;
      const p = [gauss(), gauss(), gauss(), gauss()];
      if (outlier) p[i % 4] += 12;
      const s = forest.process(p);
      if (i > 500) (outlier ? planted : normal).push(s);
    }
    expect(Math.min(...planted)).toBeGreaterThan(Math.max(...normal.slice().sort((a, b) => b - a).slice(10)));
    expect(mean(planted)).toBeGreaterThan(3 * mean(normal));
  });

  it('reports 0 during warm-up and positive scores afterwards', () => {
    const gauss = gaussianSource(1);
    const forest = new RandomCutForest({ dimensions: 1, subSampleSize: 64, numberOfTrees: 20 });
    const scores = Array.from({ length: 100 }, () => forest.process([gauss()]));
    expect(scores.slice(0, forest.outputAfter).every((s) => s === 0)).toBe(true);
    expect(scores.slice(forest.outputAfter).every((s) => s > 0)).toBe(true);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const { points } = plantedStream(2);
    const run = (seed: number) => {
      const f = new RandomCutForest({ dimensions: 2, numberOfTrees: 30, seed });
      return points.slice(0, 800).map((p) => f.process(p));
    };
    expect(run(9)).toEqual(run(9));
    expect(run(9)).not.toEqual(run(10));
  });

  it('keeps learning past the sample size with time decay (recent regime becomes normal)', () => {
    const gauss = gaussianSource(8);
    const forest = new RandomCutForest({ dimensions: 1, numberOfTrees: 50, subSampleSize: 64, timeDecay: 200 });
    for (let i = 0; i < 1000; i++) forest.process([gauss()]);
    const firstAtNewLevel = forest.process([20 + gauss()]);
    for (let i = 0; i < 1000; i++) forest.process([20 + gauss()]);
    const laterAtNewLevel = forest.process([20 + gauss()]);
    const oldLevelNow = forest.process([gauss()]);
    expect(firstAtNewLevel).toBeGreaterThan(3 * laterAtNewLevel);
    expect(oldLevelNow).toBeGreaterThan(3 * laterAtNewLevel);
  });

  it('shingles consecutive rows: a break in a periodic pattern scores high', () => {
    const forest = new RandomCutForest({ dimensions: 1, shingleSize: 8, numberOfTrees: 50, seed: 4 });
    const rng = new SeededRandom(6);
    const scores: number[] = [];
    for (let i = 0; i < 3000; i++) {
      // Around i = 2510 the wave is at its trough (-10); the break holds it at +10 instead.
      const broken = i >= 2505 && i < 2515;
      const v = broken ? 10 : Math.sin((2 * Math.PI * i) / 40) * 10 + rng.next() * 0.2;
      scores.push(forest.process([v]));
    }
    expect(scores.slice(0, 7).every((s) => s === 0)).toBe(true);
    const normal = scores.slice(1000, 2500);
    const broken = Math.max(...scores.slice(2505, 2522));
    expect(broken).toBeGreaterThan(2 * mean(normal));
    expect(broken).toBeGreaterThan(Math.max(...normal));
  });

  it('attributes the score to the anomalous dimension and direction; attributions sum to the score', () => {
    const gauss = gaussianSource(21);
    const forest = new RandomCutForest({ dimensions: 2, seed: 2 });
    for (let i = 0; i < 1500; i++) forest.processWithAttribution([gauss(), gauss()]);
    const high = forest.processWithAttribution([0, 12]);
    const sum = high.above[0] + high.above[1] + high.below[0] + high.below[1];
    expect(sum).toBeCloseTo(high.score, 9);
    expect(high.above[1]).toBeGreaterThan(0.8 * high.score);
    const low = forest.processWithAttribution([-12, 0]);
    expect(low.below[0]).toBeGreaterThan(0.8 * low.score);
    const plain = forest.processWithAttribution([0.1, -0.2]);
    expect(plain.score).toBeLessThan(high.score / 3);
  });

  it('handles constant and heavily duplicated data through many evictions', () => {
    const rng = new SeededRandom(17);
    const forest = new RandomCutForest({ dimensions: 2, numberOfTrees: 10, subSampleSize: 16, timeDecay: 50 });
    const scores: number[] = [];
    for (let i = 0; i < 3000; i++) scores.push(forest.process(i < 500 ? [1, 1] : [Math.floor(rng.next() * 3), Math.floor(rng.next() * 2)]));
    expect(scores.every((s) => Number.isFinite(s) && s >= 0)).toBe(true);
    expect(forest.process([1, 1])).toBeLessThan(forest.process([40, -40]));
  });
});
