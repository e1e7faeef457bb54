import { SeededRandom } from '../../src/engine/analytics/seeded-random.js';

/** Deterministic generators for the algorithm tests. */
export function gaussianSource(seed: number): () => number {
  const rng = new SeededRandom(seed);
  return () => Math.sqrt(-2 * Math.log(rng.nextOpen())) * Math.cos(2 * Math.PI * rng.next());
}

/** Samples ranks 1..n with P(rank) proportional to 1 / rank^s. */
export function zipfSource(seed: number, n: number, s: number): () => number {
  const rng = new SeededRandom(seed);
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum += 1 / (i + 1) ** s;
    cdf[i] = sum;
  }
  return () => {
    const u = rng.next() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  };
}
