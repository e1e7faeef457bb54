import { InternalError } from '../../errors.js';
import type { PointStore } from './point-store.js';
import type { SeededRandom } from './seeded-random.js';
import { decodeFloat64, decodeInt32, encodeTyped } from './state-codec.js';

const NONE = -1;

/**
 * One robust random cut tree (Guha et al., "Robust Random Cut Forest Based Anomaly Detection on Streams", 2016)
 * over at most `capacity` points, with insertion and deletion so that the forest can follow a sliding sample.
 *
 * Storage is struct-of-arrays in typed arrays: internal nodes have ids [0, capacity) and keep their cut, their
 * mass and their bounding box; leaves have ids [capacity, 2 * capacity) and keep a point index and a mass
 * (duplicates of a point share one leaf). A leaf's bounding box is its point.
 */
export class RandomCutTree {
  private readonly dim: number;
  private readonly capacity: number;
  private readonly store: PointStore;
  private readonly rng: SeededRandom;

  private root = NONE;
  private totalMass = 0;

  // Internal nodes.
  private readonly left: Int32Array;
  private readonly right: Int32Array;
  private readonly parent: Int32Array; // indexed by any node id (internal and leaf)
  private readonly cutDim: Int32Array;
  private readonly cutValue: Float64Array;
  private readonly mass: Int32Array; // indexed by any node id
  private readonly boxMin: Float64Array;
  private readonly boxMax: Float64Array;
  private readonly freeInternal: Int32Array;
  private freeInternalCount: number;

  // Leaves (id - capacity).
  private readonly leafPoint: Int32Array;
  private readonly freeLeaf: Int32Array;
  private freeLeafCount: number;

  // Scratch for traversals.
  private readonly path: Int32Array;
  private readonly scratchAbove: Float64Array;
  private readonly scratchBelow: Float64Array;

  constructor(dimensions: number, capacity: number, store: PointStore, rng: SeededRandom) {
    this.dim = dimensions;
    this.capacity = capacity;
    this.store = store;
    this.rng = rng;
    this.left = new Int32Array(capacity);
    this.right = new Int32Array(capacity);
    this.parent = new Int32Array(2 * capacity).fill(NONE);
    this.cutDim = new Int32Array(capacity);
    this.cutValue = new Float64Array(capacity);
    this.mass = new Int32Array(2 * capacity);
    this.boxMin = new Float64Array(capacity * dimensions);
    this.boxMax = new Float64Array(capacity * dimensions);
    this.freeInternal = new Int32Array(capacity);
    this.leafPoint = new Int32Array(capacity);
    this.freeLeaf = new Int32Array(capacity);
    for (let i = 0; i < capacity; i++) {
      this.freeInternal[i] = capacity - 1 - i;
      this.freeLeaf[i] = capacity - 1 - i;
    }
    this.freeInternalCount = capacity;
    this.freeLeafCount = capacity;
    this.path = new Int32Array(2 * capacity + 1);
    this.scratchAbove = new Float64Array(dimensions);
    this.scratchBelow = new Float64Array(dimensions);
  }

  /** Number of points in the tree, duplicates counted. */
  get size(): number {
    return this.totalMass;
  }

  /** Adds the stored point `pointIndex` to the tree (retaining it when a new leaf refers to it). */
  insert(pointIndex: number): void {
    const dim = this.dim;
    const values = this.store.values;
    const pBase = pointIndex * dim;
    if (this.root === NONE) {
      this.root = this.newLeaf(pointIndex);
      this.parent[this.root] = NONE;
      this.totalMass = 1;
      return;
    }
    let node = this.root;
    for (;;) {
      const isLeaf = node >= this.capacity;
      const leafBase = isLeaf ? this.leafPoint[node - this.capacity] * dim : 0;
      const boxBase = node * dim;
      let total = 0;
      for (let d = 0; d < dim; d++) {
        const p = values[pBase + d];
        const lo = isLeaf ? values[leafBase + d] : this.boxMin[boxBase + d];
        const hi = isLeaf ? values[leafBase + d] : this.boxMax[boxBase + d];
        total += (hi > p ? hi : p) - (lo < p ? lo : p);
      }
      if (total === 0) {
        // Only a leaf holding the same values has a merged box of size 0: count the duplicate there.
        if (!isLeaf) throw new InternalError('random cut tree: internal node with an empty bounding box');
        this.addMassUpwards(node);
        return;
      }
      let r = this.rng.next() * total;
      let cutD = 0;
      let cut = 0;
      let lo = 0;
      let hi = 0;
      for (let d = 0; d < dim; d++) {
        const p = values[pBase + d];
        lo = isLeaf ? values[leafBase + d] : this.boxMin[boxBase + d];
        hi = isLeaf ? values[leafBase + d] : this.boxMax[boxBase + d];
        const mlo = lo < p ? lo : p;
        const mhi = hi > p ? hi : p;
        const range = mhi - mlo;
        if (r < range || d === dim - 1) {
          cutD = d;
          cut = mlo + (r < range ? r : range * 0.5);
          break;
        }
        r -= range;
      }
      const p = values[pBase + cutD];
      const pointGoesLeft = p <= cut && cut < lo;
      const pointGoesRight = hi <= cut && cut < p;
      if (pointGoesLeft || pointGoesRight) {
        this.splitAbove(node, pointIndex, cutD, cut, pointGoesLeft);
        return;
      }
      if (isLeaf) continue; // rounding put the cut on the point itself: draw again
      node = values[pBase + this.cutDim[node]] <= this.cutValue[node] ? this.left[node] : this.right[node];
    }
  }

  /** Removes one occurrence of the point with the values of stored point `pointIndex`. */
  delete(pointIndex: number): void {
    const dim = this.dim;
    const values = this.store.values;
    const pBase = pointIndex * dim;
    let node = this.root;
    if (node === NONE) throw new InternalError('random cut tree: delete from an empty tree');
    while (node < this.capacity) {
      node = values[pBase + this.cutDim[node]] <= this.cutValue[node] ? this.left[node] : this.right[node];
    }
    const leafPointIndex = this.leafPoint[node - this.capacity];
    const lBase = leafPointIndex * dim;
    for (let d = 0; d < dim; d++) {
      if (values[lBase + d] !== values[pBase + d]) throw new InternalError('random cut tree: deleted point not found');
    }
    this.totalMass--;
    if (this.mass[node] > 1) {
      for (let n = node; n !== NONE; n = this.parent[n]) this.mass[n]--;
      return;
    }
    this.freeLeafNode(node);
    const par = this.parent[node];
    if (par === NONE) {
      this.root = NONE;
      return;
    }
    const sibling = this.left[par] === node ? this.right[par] : this.left[par];
    const grand = this.parent[par];
    this.parent[sibling] = grand;
    if (grand === NONE) this.root = sibling;
    else if (this.left[grand] === par) this.left[grand] = sibling;
    else this.right[grand] = sibling;
    this.freeInternal[this.freeInternalCount++] = par;
    for (let n = grand; n !== NONE; n = this.parent[n]) {
      this.mass[n]--;
      this.recomputeBox(n);
    }
  }

  /**
   * Anomaly score of `query` (a vector of the tree's dimension) against this tree, before normalisation by the
   * forest: the expected depth-weighted "surprise" of isolating the point, as in the AWS implementation
   * (1/(depth+1) where a random cut would separate it, damped for duplicates), times log2(1 + mass).
   */
  score(query: ArrayLike<number>): number {
    if (this.root === NONE) return 0;
    const depth = this.descend(query);
    const path = this.path;
    const leaf = path[depth];
    let score: number;
    if (this.leafEquals(leaf, query)) {
      const leafMass = this.mass[leaf];
      score = damp(leafMass, this.totalMass) / (depth + Math.log2(1 + leafMass));
    } else {
      score = 1 / (depth + 1);
    }
    const dim = this.dim;
    const boxMin = this.boxMin;
    const boxMax = this.boxMax;
    for (let i = depth - 1; i >= 0; i--) {
      const base = path[i] * dim;
      let outside = 0;
      let merged = 0;
      for (let d = 0; d < dim; d++) {
        const q = query[d];
        const lo = boxMin[base + d];
        const hi = boxMax[base + d];
        if (q > hi) {
          outside += q - hi;
          merged += q - lo;
        } else if (q < lo) {
          outside += lo - q;
          merged += hi - q;
        } else {
          merged += hi - lo;
        }
      }
      if (outside > 0) {
        const p = outside / merged;
        score = p / (i + 1) + (1 - p) * score;
      }
    }
    return score * Math.log2(1 + this.totalMass);
  }

  /**
   * Like {@link score}, but split over dimensions and directions: `above[d]` (the query is higher than the
   * sample in dimension d) and `below[d]` are added to; their total over all d equals the score.
   */
  attribution(query: ArrayLike<number>, above: Float64Array, below: Float64Array, weight: number): void {
    if (this.root === NONE) return;
    const dim = this.dim;
    const depth = this.descend(query);
    const leaf = this.path[depth];
    const a = this.scratchAbove;
    const b = this.scratchBelow;
    a.fill(0);
    b.fill(0);
    if (this.leafEquals(leaf, query)) {
      const leafMass = this.mass[leaf];
      const s = damp(leafMass, this.totalMass) / (depth + Math.log2(1 + leafMass));
      for (let d = 0; d < dim; d++) {
        a[d] = s / (2 * dim);
        b[d] = s / (2 * dim);
      }
    } else {
      const values = this.store.values;
      const lBase = this.leafPoint[leaf - this.capacity] * dim;
      let sum = 0;
      for (let d = 0; d < dim; d++) sum += Math.abs(query[d] - values[lBase + d]);
      const s = 1 / (depth + 1);
      for (let d = 0; d < dim; d++) {
        const diff = query[d] - values[lBase + d];
        if (diff > 0) a[d] = (s * diff) / sum;
        else b[d] = (-s * diff) / sum;
      }
    }
    for (let i = depth - 1; i >= 0; i--) {
      const node = this.path[i];
      const base = node * dim;
      let outside = 0;
      let merged = 0;
      for (let d = 0; d < dim; d++) {
        const q = query[d];
        const lo = this.boxMin[base + d];
        const hi = this.boxMax[base + d];
        merged += (q > hi ? q : hi) - (q < lo ? q : lo);
        if (q > hi) outside += q - hi;
        else if (q < lo) outside += lo - q;
      }
      if (outside > 0) {
        const p = outside / merged;
        const unseen = 1 / (i + 1);
        for (let d = 0; d < dim; d++) {
          const q = query[d];
          const lo = this.boxMin[base + d];
          const hi = this.boxMax[base + d];
          a[d] = (1 - p) * a[d] + (q > hi ? ((q - hi) / merged) * unseen : 0);
          b[d] = (1 - p) * b[d] + (q < lo ? ((lo - q) / merged) * unseen : 0);
        }
      }
    }
    const norm = Math.log2(1 + this.totalMass) * weight;
    for (let d = 0; d < dim; d++) {
      above[d] += a[d] * norm;
      below[d] += b[d] * norm;
    }
  }

  snapshot(): RandomCutTreeState {
    return {
      root: this.root,
      totalMass: this.totalMass,
      freeInternalCount: this.freeInternalCount,
      freeLeafCount: this.freeLeafCount,
      ints: [this.left, this.right, this.parent, this.cutDim, this.mass, this.freeInternal, this.leafPoint, this.freeLeaf].map(encodeTyped),
      doubles: [this.cutValue, this.boxMin, this.boxMax].map(encodeTyped),
    };
  }

  restore(state: RandomCutTreeState): void {
    this.root = state.root;
    this.totalMass = state.totalMass;
    this.freeInternalCount = state.freeInternalCount;
    this.freeLeafCount = state.freeLeafCount;
    [this.left, this.right, this.parent, this.cutDim, this.mass, this.freeInternal, this.leafPoint, this.freeLeaf].forEach((a, i) =>
      decodeInt32(state.ints[i], a),
    );
    [this.cutValue, this.boxMin, this.boxMax].forEach((a, i) => decodeFloat64(state.doubles[i], a));
  }

  /** Walks from the root to the leaf `query` falls into; fills `path` and returns the leaf's depth. */
  private descend(query: ArrayLike<number>): number {
    const capacity = this.capacity;
    const path = this.path;
    const cutDim = this.cutDim;
    const cutValue = this.cutValue;
    const left = this.left;
    const right = this.right;
    let node = this.root;
    let depth = 0;
    while (node < capacity) {
      path[depth++] = node;
      node = query[cutDim[node]] <= cutValue[node] ? left[node] : right[node];
    }
    path[depth] = node;
    return depth;
  }

  private leafEquals(leaf: number, query: ArrayLike<number>): boolean {
    const values = this.store.values;
    const base = this.leafPoint[leaf - this.capacity] * this.dim;
    for (let d = 0; d < this.dim; d++) if (values[base + d] !== query[d]) return false;
    return true;
  }

  private newLeaf(pointIndex: number): number {
    if (this.freeLeafCount === 0) throw new InternalError('random cut tree: more points than its capacity');
    const slot = this.freeLeaf[--this.freeLeafCount];
    this.leafPoint[slot] = pointIndex;
    this.store.retain(pointIndex);
    const id = slot + this.capacity;
    this.mass[id] = 1;
    return id;
  }

  private freeLeafNode(leaf: number): void {
    const slot = leaf - this.capacity;
    this.store.release(this.leafPoint[slot]);
    this.freeLeaf[this.freeLeafCount++] = slot;
  }

  private addMassUpwards(leaf: number): void {
    this.totalMass++;
    for (let n = leaf; n !== NONE; n = this.parent[n]) this.mass[n]++;
  }

  /** Puts a new internal node (cut cutD/cut) above `node`, with a new leaf for the point on its other side. */
  private splitAbove(node: number, pointIndex: number, cutD: number, cut: number, pointLeft: boolean): void {
    if (this.freeInternalCount === 0) throw new InternalError('random cut tree: no free internal node');
    const inner = this.freeInternal[--this.freeInternalCount];
    const leaf = this.newLeaf(pointIndex);
    const par = this.parent[node];
    this.cutDim[inner] = cutD;
    this.cutValue[inner] = cut;
    this.left[inner] = pointLeft ? leaf : node;
    this.right[inner] = pointLeft ? node : leaf;
    this.parent[inner] = par;
    this.parent[node] = inner;
    this.parent[leaf] = inner;
    this.mass[inner] = this.mass[node] + 1;
    if (par === NONE) this.root = inner;
    else if (this.left[par] === node) this.left[par] = inner;
    else this.right[par] = inner;
    this.recomputeBox(inner);
    const dim = this.dim;
    const values = this.store.values;
    const pBase = pointIndex * dim;
    for (let n = par; n !== NONE; n = this.parent[n]) {
      this.mass[n]++;
      const base = n * dim;
      for (let d = 0; d < dim; d++) {
        const p = values[pBase + d];
        if (p < this.boxMin[base + d]) this.boxMin[base + d] = p;
        if (p > this.boxMax[base + d]) this.boxMax[base + d] = p;
      }
    }
    this.totalMass++;
  }

  /** An internal node's box is the union of its children's boxes. */
  private recomputeBox(node: number): void {
    const dim = this.dim;
    const values = this.store.values;
    const base = node * dim;
    const l = this.left[node];
    const r = this.right[node];
    for (let d = 0; d < dim; d++) {
      const llo = l >= this.capacity ? values[this.leafPoint[l - this.capacity] * dim + d] : this.boxMin[l * dim + d];
      const lhi = l >= this.capacity ? llo : this.boxMax[l * dim + d];
      const rlo = r >= this.capacity ? values[this.leafPoint[r - this.capacity] * dim + d] : this.boxMin[r * dim + d];
      const rhi = r >= this.capacity ? rlo : this.boxMax[r * dim + d];
      this.boxMin[base + d] = llo < rlo ? llo : rlo;
      this.boxMax[base + d] = lhi > rhi ? lhi : rhi;
    }
  }
}

/** Damping for a query equal to a sampled point: a point seen many times is less surprising. */
function damp(leafMass: number, totalMass: number): number {
  return 1 - leafMass / (2 * totalMass);
}

export interface RandomCutTreeState {
  readonly root: number;
  readonly totalMass: number;
  readonly freeInternalCount: number;
  readonly freeLeafCount: number;
  readonly ints: string[];
  readonly doubles: string[];
}
