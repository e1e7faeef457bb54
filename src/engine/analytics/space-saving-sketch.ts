/**
 * The Space-Saving heavy-hitters sketch (Metwally, Agrawal, El Abbadi 2005) with `capacity` counters.
 * Every item gets a counter while there is room; after that a new item takes over the smallest counter and
 * inherits its count (recorded as the item's possible overestimate). Guarantees, for N items added:
 * a reported count is never below the true count and exceeds it by at most min-counter <= N / capacity; every
 * item whose true count exceeds N / capacity is held. With fewer distinct items than counters, counts are exact.
 * The minimum counter is found with a binary min-heap, so an update costs O(log capacity).
 */
export class SpaceSavingSketch<K> {
  readonly capacity: number;
  private readonly keys: K[] = [];
  private readonly counts: Float64Array;
  private readonly errors: Float64Array;
  private readonly firstSeen: Float64Array;
  private readonly heap: Int32Array; // heap position -> slot
  private readonly position: Int32Array; // slot -> heap position
  private readonly slots = new Map<K, number>();
  private size = 0;
  private arrivals = 0;
  private total = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.counts = new Float64Array(capacity);
    this.errors = new Float64Array(capacity);
    this.firstSeen = new Float64Array(capacity);
    this.heap = new Int32Array(capacity);
    this.position = new Int32Array(capacity);
  }

  /** Items added so far. */
  get totalCount(): number {
    return this.total;
  }

  add(key: K): void {
    this.total++;
    const slot = this.slots.get(key);
    if (slot !== undefined) {
      this.counts[slot]++;
      this.siftDown(this.position[slot]);
      return;
    }
    if (this.size < this.capacity) {
      const s = this.size++;
      this.keys[s] = key;
      this.counts[s] = 1;
      this.errors[s] = 0;
      this.firstSeen[s] = this.arrivals++;
      this.slots.set(key, s);
      this.heap[s] = s;
      this.position[s] = s;
      this.siftUp(s);
      return;
    }
    const victim = this.heap[0];
    this.slots.delete(this.keys[victim]);
    this.keys[victim] = key;
    this.errors[victim] = this.counts[victim];
    this.counts[victim]++;
    this.firstSeen[victim] = this.arrivals++;
    this.slots.set(key, victim);
    this.siftDown(0);
  }

  /**
   * The `k` items with the highest counts, highest first (ties: the item first counted earlier first), each
   * with its count (an upper bound of the true count) and the most it may overestimate by.
   */
  top(k: number): { key: K; count: number; maxError: number }[] {
    const slots = Array.from({ length: this.size }, (_, i) => i);
    slots.sort((a, b) => this.counts[b] - this.counts[a] || this.firstSeen[a] - this.firstSeen[b]);
    return slots.slice(0, k).map((s) => ({ key: this.keys[s], count: this.counts[s], maxError: this.errors[s] }));
  }

  /** The counters in slot order, for snapshots. */
  entries(): { key: K; count: number; error: number; firstSeen: number }[] {
    return Array.from({ length: this.size }, (_, s) => ({
      key: this.keys[s],
      count: this.counts[s],
      error: this.errors[s],
      firstSeen: this.firstSeen[s],
    }));
  }

  get counterState(): { arrivals: number; total: number } {
    return { arrivals: this.arrivals, total: this.total };
  }

  /** Rebuilds a sketch from {@link entries} and {@link counterState}. */
  static fromEntries<K>(
    capacity: number,
    entries: readonly { key: K; count: number; error: number; firstSeen: number }[],
    state: { arrivals: number; total: number },
  ): SpaceSavingSketch<K> {
    const sketch = new SpaceSavingSketch<K>(capacity);
    entries.forEach((e, s) => {
      sketch.keys[s] = e.key;
      sketch.counts[s] = e.count;
      sketch.errors[s] = e.error;
      sketch.firstSeen[s] = e.firstSeen;
      sketch.slots.set(e.key, s);
      sketch.heap[s] = s;
      sketch.position[s] = s;
      sketch.size = s + 1;
      sketch.siftUp(s);
    });
    sketch.arrivals = state.arrivals;
    sketch.total = state.total;
    return sketch;
  }

  private siftUp(pos: number): void {
    const slot = this.heap[pos];
    const c = this.counts[slot];
    while (pos > 0) {
      const parent = (pos - 1) >> 1;
      const ps = this.heap[parent];
      if (this.counts[ps] <= c) break;
      this.heap[pos] = ps;
      this.position[ps] = pos;
      pos = parent;
    }
    this.heap[pos] = slot;
    this.position[slot] = pos;
  }

  private siftDown(pos: number): void {
    const slot = this.heap[pos];
    const c = this.counts[slot];
    for (;;) {
      const l = 2 * pos + 1;
      if (l >= this.size) break;
      const r = l + 1;
      const child = r < this.size && this.counts[this.heap[r]] < this.counts[this.heap[l]] ? r : l;
      const cs = this.heap[child];
      if (this.counts[cs] >= c) break;
      this.heap[pos] = cs;
      this.position[cs] = pos;
      pos = child;
    }
    this.heap[pos] = slot;
    this.position[slot] = pos;
  }
}
