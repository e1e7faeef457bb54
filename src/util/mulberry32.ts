/**
 * mulberry32: a small, fast, seedable PRNG, uniform in [0, 1). Generated records, kill schedules and test
 * vectors use it so that the same seed reproduces the same run. Not for anything that needs real randomness.
 *
 * @example
 * const random = mulberry32(42);
 * random(); // the same value for seed 42 on every run
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
