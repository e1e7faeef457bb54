import { decodeFloat64, decodeInt32, encodeTyped } from './state-codec.js';

/**
 * The points a random cut forest samples, stored once however many trees hold them: a growable Float64Array of
 * fixed-width vectors with reference counts. Trees and samplers refer to points by index.
 */
export class PointStore {
  readonly dimensions: number;
  private data: Float64Array;
  private refs: Int32Array;
  private readonly freeSlots: number[] = [];
  private used = 0;

  constructor(dimensions: number, initialCapacity = 1024) {
    this.dimensions = dimensions;
    this.data = new Float64Array(initialCapacity * dimensions);
    this.refs = new Int32Array(initialCapacity);
  }

  /** The backing array; point i occupies [i * dimensions, (i + 1) * dimensions). Re-read after `add`. */
  get values(): Float64Array {
    return this.data;
  }

  /** Stores a copy of `point` with reference count 0 and returns its index. */
  add(point: ArrayLike<number>): number {
    let index = this.freeSlots.pop();
    if (index === undefined) {
      if (this.used === this.refs.length) this.grow();
      index = this.used++;
    }
    const base = index * this.dimensions;
    for (let d = 0; d < this.dimensions; d++) this.data[base + d] = point[d];
    this.refs[index] = 0;
    return index;
  }

  retain(index: number): void {
    this.refs[index]++;
  }

  /** Drops one reference; the slot is reused once nothing refers to it. */
  release(index: number): void {
    if (--this.refs[index] === 0) this.freeSlots.push(index);
  }

  /** Frees a point nobody retained (a point no tree sampled). */
  discardIfUnused(index: number): void {
    if (this.refs[index] === 0) this.freeSlots.push(index);
  }

  /** Number of live points. */
  get size(): number {
    return this.used - this.freeSlots.length;
  }

  snapshot(): PointStoreState {
    return { used: this.used, free: [...this.freeSlots], data: encodeTyped(this.data), refs: encodeTyped(this.refs) };
  }

  restore(state: PointStoreState): void {
    const capacity = Math.max(1, Buffer.from(state.refs, 'base64').byteLength / 4);
    this.data = new Float64Array(capacity * this.dimensions);
    this.refs = new Int32Array(capacity);
    decodeFloat64(state.data, this.data);
    decodeInt32(state.refs, this.refs);
    this.used = state.used;
    this.freeSlots.length = 0;
    this.freeSlots.push(...state.free);
  }

  private grow(): void {
    const capacity = this.refs.length * 2;
    const data = new Float64Array(capacity * this.dimensions);
    data.set(this.data);
    const refs = new Int32Array(capacity);
    refs.set(this.refs);
    this.data = data;
    this.refs = refs;
  }
}

export interface PointStoreState {
  readonly used: number;
  readonly free: number[];
  readonly data: string;
  readonly refs: string;
}
