import type { Value } from '../../types/sql-type.js';
import { decodeRow, encodeRow, type EncodedValue } from '../snapshot-codec.js';

/**
 * Maps group-key tuples to dense slot numbers, in first-seen order. One key column uses the value itself as
 * the map key; several are joined into a string.
 */
export class GroupSlots {
  private map = new Map<Value | string, number>();
  /** Key values per slot. */
  keys: Value[][] = [];

  constructor(private readonly width: number) {}

  get size(): number {
    return this.keys.length;
  }

  /** The slot of `values` (a fresh array the caller gives up), and whether it is new. */
  slotOf(values: Value[]): { slot: number; created: boolean } {
    const k = this.keyOf(values);
    const s = this.map.get(k);
    if (s !== undefined) return { slot: s, created: false };
    return { slot: this.add(k, values), created: true };
  }

  /** Fast path for one key column: the slot of `value`, or -1 when it has none yet. */
  find1(value: Value): number {
    const s = this.map.get(value instanceof Uint8Array ? binaryKey(value) : value);
    return s === undefined ? -1 : s;
  }

  /** Adds a group for a one-column key; returns its slot. */
  add1(value: Value): number {
    return this.add(value instanceof Uint8Array ? binaryKey(value) : value, [value]);
  }

  private add(k: Value | string, values: Value[]): number {
    const slot = this.keys.length;
    this.map.set(k, slot);
    this.keys.push(values);
    return slot;
  }

  delete(values: readonly Value[]): void {
    this.map.delete(this.keyOf(values));
  }

  clear(): void {
    this.map = new Map();
    this.keys = [];
  }

  /** Map keys compare with SameValueZero, so strings, numbers and booleans can be keys as they are. */
  private keyOf(values: readonly Value[]): Value | string {
    if (this.width === 1) {
      const v = values[0];
      return v instanceof Uint8Array ? binaryKey(v) : v;
    }
    let k = '';
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      k += (v === null ? '\u0001' : typeof v === 'string' ? 's' + v : v instanceof Uint8Array ? 'b' + Buffer.from(v).toString('hex') : typeof v + String(v)) + '\u0000';
    }
    return k;
  }

  snapshot(): EncodedValue[][] {
    return this.keys.map(encodeRow);
  }

  restore(keys: EncodedValue[][]): void {
    this.clear();
    for (const k of keys) this.slotOf(decodeRow(k));
  }
}

/** Binary keys become strings that no string value can equal (the prefix is a lone surrogate). */
function binaryKey(v: Uint8Array): string {
  return '\ud800b' + Buffer.from(v).toString('hex');
}
