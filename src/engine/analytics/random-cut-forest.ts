import { PointStore, type PointStoreState } from './point-store.js';
import { RandomCutTree, type RandomCutTreeState } from './random-cut-tree.js';
import { decodeFloat64, decodeInt32, encodeTyped } from './state-codec.js';
import { DEFAULT_ANALYTICS_SEED, SeededRandom } from './seeded-random.js';

/** KDA's parameters of RANDOM_CUT_FOREST (SQLREF sqlrf-random-cut-forest), with its defaults. */
export interface RandomCutForestOptions {
  /** Number of numeric values per input row (before shingling). */
  readonly dimensions: number;
  /** Default 100. */
  readonly numberOfTrees?: number;
  /** Points each tree samples. Default 256. */
  readonly subSampleSize?: number;
  /** How far back the sample reaches, in rows: a row `timeDecay` rows old is e times less likely to be kept. Default 100000. */
  readonly timeDecay?: number;
  /** Consecutive rows joined into one point. Default 1. */
  readonly shingleSize?: number;
  /** PRNG seed; the same seed and rows give the same scores. */
  readonly seed?: number;
  /** Rows (shingles) learned before scores are reported; earlier rows score 0. Default subSampleSize / 4. */
  readonly outputAfter?: number;
}

export const RCF_DEFAULTS = { numberOfTrees: 100, subSampleSize: 256, timeDecay: 100000, shingleSize: 1 } as const;

/** Per input column: how much of the score it explains, split by direction. */
export interface RcfAttribution {
  readonly score: number;
  /** Per base column (shingle positions summed): the part explained by the value being high. */
  readonly above: Float64Array;
  /** Per base column: the part explained by the value being low. */
  readonly below: Float64Array;
}

/**
 * A streaming random cut forest. Each tree keeps a time-decayed reservoir sample of the points seen (weighted
 * reservoir sampling: key = ln(-ln u) - seq / timeDecay, the `subSampleSize` smallest keys are kept), so recent
 * points are preferred and the model follows the stream. A row is scored against the forest *before* it is
 * learned, and the forest score is the mean of the tree scores.
 *
 * @example
 * const rcf = new RandomCutForest({ dimensions: 2, seed: 1 });
 * for (const [x, y] of points) console.log(rcf.process([x, y]));
 */
export class RandomCutForest {
  readonly dimensions: number;
  readonly numberOfTrees: number;
  readonly subSampleSize: number;
  readonly timeDecay: number;
  readonly shingleSize: number;
  readonly outputAfter: number;
  /** Dimensions of a shingled point. */
  readonly pointDimensions: number;

  private readonly rng: SeededRandom;
  private readonly store: PointStore;
  private readonly trees: RandomCutTree[] = [];
  private readonly heapKeys: Float64Array[] = [];
  private readonly heapPoints: Int32Array[] = [];
  private readonly heapSizes: Int32Array;
  private readonly shingle: Float64Array;
  private readonly point: Float64Array;
  private rowsInShingle = 0;
  private learned = 0;

  constructor(options: RandomCutForestOptions) {
    this.dimensions = options.dimensions;
    this.numberOfTrees = options.numberOfTrees ?? RCF_DEFAULTS.numberOfTrees;
    this.subSampleSize = options.subSampleSize ?? RCF_DEFAULTS.subSampleSize;
    this.timeDecay = options.timeDecay ?? RCF_DEFAULTS.timeDecay;
    this.shingleSize = options.shingleSize ?? RCF_DEFAULTS.shingleSize;
    this.outputAfter = options.outputAfter ?? Math.max(1, Math.floor(this.subSampleSize / 4));
    this.pointDimensions = this.dimensions * this.shingleSize;
    this.rng = new SeededRandom(options.seed ?? DEFAULT_ANALYTICS_SEED);
    this.store = new PointStore(this.pointDimensions, Math.min(4096, this.numberOfTrees * this.subSampleSize + 1));
    for (let t = 0; t < this.numberOfTrees; t++) {
      this.trees.push(new RandomCutTree(this.pointDimensions, this.subSampleSize, this.store, this.rng));
      this.heapKeys.push(new Float64Array(this.subSampleSize));
      this.heapPoints.push(new Int32Array(this.subSampleSize));
    }
    this.heapSizes = new Int32Array(this.numberOfTrees);
    this.shingle = new Float64Array(this.pointDimensions);
    this.point = new Float64Array(this.pointDimensions);
  }

  /** Rows (shingles) learned so far. */
  get learnedCount(): number {
    return this.learned;
  }

  /** Scores one row of `dimensions` numbers and then learns it. Returns 0 while the forest is warming up. */
  process(row: ArrayLike<number>): number {
    if (!this.pushShingle(row)) return 0;
    const score = this.learned >= this.outputAfter ? this.score(this.point) : 0;
    this.update(this.point);
    return score;
  }

  /** Like {@link process}, with the score's attribution to each input column and direction. */
  processWithAttribution(row: ArrayLike<number>): RcfAttribution {
    const above = new Float64Array(this.dimensions);
    const below = new Float64Array(this.dimensions);
    if (!this.pushShingle(row)) return { score: 0, above, below };
    let score = 0;
    if (this.learned >= this.outputAfter) {
      const a = new Float64Array(this.pointDimensions);
      const b = new Float64Array(this.pointDimensions);
      const weight = 1 / this.numberOfTrees;
      for (const tree of this.trees) tree.attribution(this.point, a, b, weight);
      for (let i = 0; i < this.pointDimensions; i++) {
        above[i % this.dimensions] += a[i];
        below[i % this.dimensions] += b[i];
        score += a[i] + b[i];
      }
    }
    this.update(this.point);
    return { score, above, below };
  }

  /** Mean tree score of a shingled point, without learning it. */
  score(point: ArrayLike<number>): number {
    let sum = 0;
    for (const tree of this.trees) sum += tree.score(point);
    return sum / this.numberOfTrees;
  }

  /** Offers a shingled point to every tree's sampler. */
  update(point: ArrayLike<number>): void {
    const seq = this.learned++;
    const index = this.store.add(point);
    const capacity = this.subSampleSize;
    for (let t = 0; t < this.numberOfTrees; t++) {
      const key = Math.log(-Math.log(this.rng.nextOpen())) - seq / this.timeDecay;
      const keys = this.heapKeys[t];
      const points = this.heapPoints[t];
      const size = this.heapSizes[t];
      if (size < capacity) {
        heapPush(keys, points, size, key, index);
        this.heapSizes[t] = size + 1;
      } else if (key < keys[0]) {
        const evicted = points[0];
        heapReplaceTop(keys, points, size, key, index);
        this.trees[t].delete(evicted);
        this.store.release(evicted);
      } else {
        continue;
      }
      this.store.retain(index);
      this.trees[t].insert(index);
    }
    this.store.discardIfUnused(index);
  }

  /** JSON-serialisable state; `restore` on a forest built with the same options continues identically. */
  snapshot(): RandomCutForestState {
    return {
      rng: this.rng.snapshot(),
      learned: this.learned,
      rowsInShingle: this.rowsInShingle,
      shingle: encodeTyped(this.shingle),
      store: this.store.snapshot(),
      trees: this.trees.map((t) => t.snapshot()),
      heaps: this.trees.map((_, i) => ({ size: this.heapSizes[i], keys: encodeTyped(this.heapKeys[i]), points: encodeTyped(this.heapPoints[i]) })),
    };
  }

  restore(state: RandomCutForestState): void {
    this.rng.restore(state.rng);
    this.learned = state.learned;
    this.rowsInShingle = state.rowsInShingle;
    decodeFloat64(state.shingle, this.shingle);
    this.store.restore(state.store);
    state.trees.forEach((t, i) => this.trees[i].restore(t));
    state.heaps.forEach((h, i) => {
      this.heapSizes[i] = h.size;
      decodeFloat64(h.keys, this.heapKeys[i]);
      decodeInt32(h.points, this.heapPoints[i]);
    });
  }

  /** Adds a row to the shingle; true when the shingle is full and `point` holds it (oldest row first). */
  private pushShingle(row: ArrayLike<number>): boolean {
    const dim = this.dimensions;
    if (this.shingleSize === 1) {
      for (let d = 0; d < dim; d++) this.point[d] = row[d];
      return true;
    }
    this.shingle.copyWithin(0, dim);
    for (let d = 0; d < dim; d++) this.shingle[this.pointDimensions - dim + d] = row[d];
    if (this.rowsInShingle < this.shingleSize) this.rowsInShingle++;
    if (this.rowsInShingle < this.shingleSize) return false;
    this.point.set(this.shingle);
    return true;
  }
}

// A max-heap on keys (parallel arrays), so the largest kept key is the one a smaller new key evicts.
function heapPush(keys: Float64Array, points: Int32Array, size: number, key: number, point: number): void {
  let i = size;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (keys[parent] >= key) break;
    keys[i] = keys[parent];
    points[i] = points[parent];
    i = parent;
  }
  keys[i] = key;
  points[i] = point;
}

function heapReplaceTop(keys: Float64Array, points: Int32Array, size: number, key: number, point: number): void {
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= size) break;
    const r = l + 1;
    const c = r < size && keys[r] > keys[l] ? r : l;
    if (keys[c] <= key) break;
    keys[i] = keys[c];
    points[i] = points[c];
    i = c;
  }
  keys[i] = key;
  points[i] = point;
}

export interface RandomCutForestState {
  readonly rng: number[];
  readonly learned: number;
  readonly rowsInShingle: number;
  readonly shingle: string;
  readonly store: PointStoreState;
  readonly trees: RandomCutTreeState[];
  readonly heaps: { size: number; keys: string; points: string }[];
}
