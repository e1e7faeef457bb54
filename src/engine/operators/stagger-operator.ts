import type { Value } from '../../types/sql-type.js';
import type { GroupAccumulator } from '../aggregates/group-accumulator.js';
import type { Evaluator } from '../compile-expression.js';
import { decodeRow, encodeRow, type EncodedValue } from '../snapshot-codec.js';
import type { Emit, Operator } from './operator.js';

/**
 * WINDOWED BY STAGGER: a window per partition-key value opens at the ROWTIME of its first row and closes
 * `rangeMs` later (DG stagger-window-concepts). A window holds the rows with ROWTIME in [open, open + range);
 * at close it emits one row (keys, aggregates) with ROWTIME = the close time. Windows close in the order they
 * opened, since every window has the same length.
 */
export class StaggerOperator implements Operator {
  readonly name = 'Stagger';
  /** Open windows in opening order: slot and close time. */
  private queue: { slot: number; close: number; keys: Value[] }[] = [];
  private head = 0;
  /** slot -> window still open */
  private openBySlot = new Map<number, number>();
  private freeSlots: number[] = [];
  private slotOfKey = new Map<string, number>();

  constructor(
    private readonly keys: readonly Evaluator[],
    private readonly rangeMs: number,
    private readonly accumulators: readonly GroupAccumulator[],
    private readonly emit: Emit,
  ) {
  }

  push(row: Value[], rowtime: number): void {
    this.closeUpTo(rowtime);
    const kv: Value[] = this.keys.map((k) => k(row, rowtime));
    const key = keyString(kv);
    let slot = this.slotOfKey.get(key);
    if (slot === undefined) {
      slot = this.freeSlots.pop() ?? this.nextSlot++;
      this.slotOfKey.set(key, slot);
      for (const a of this.accumulators) a.init(slot);
      this.queue.push({ slot, close: rowtime + this.rangeMs, keys: kv });
      this.openBySlot.set(slot, rowtime + this.rangeMs);
    }
    for (const a of this.accumulators) a.add(slot, row, rowtime);
  }

  /** Slots are reused after their window closes; this is the next never-used one. */
  private nextSlot = 0;

  nextDeadline(): number {
    return this.head < this.queue.length ? this.queue[this.head].close : Infinity;
  }

  advance(time: number): void {
    this.closeUpTo(time);
  }

  flush(): void {
    this.closeUpTo(Infinity);
  }

  private closeUpTo(time: number): void {
    while (this.head < this.queue.length && this.queue[this.head].close <= time) {
      const w = this.queue[this.head++];
      this.slotOfKey.delete(keyString(w.keys));
      this.openBySlot.delete(w.slot);
      this.freeSlots.push(w.slot);
      const out: Value[] = [...w.keys];
      for (const a of this.accumulators) out.push(a.result(w.slot));
      this.emit(out, w.close);
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }

  snapshot(): unknown {
    const open = this.queue.slice(this.head);
    const maxSlot = open.reduce((m, w) => Math.max(m, w.slot + 1), 0);
    return {
      windows: open.map((w) => ({ slot: w.slot, close: w.close, keys: encodeRow(w.keys) })),
      accumulators: this.accumulators.map((a) => a.snapshot(maxSlot)),
    };
  }

  restore(state: unknown): void {
    const s = state as { windows: { slot: number; close: number; keys: EncodedValue[] }[]; accumulators: unknown[] };
    this.queue = s.windows.map((w) => ({ slot: w.slot, close: w.close, keys: decodeRow(w.keys) }));
    this.head = 0;
    this.slotOfKey = new Map(this.queue.map((w) => [keyString(w.keys), w.slot]));
    this.openBySlot = new Map(this.queue.map((w) => [w.slot, w.close]));
    const maxSlot = this.queue.reduce((m, w) => Math.max(m, w.slot + 1), 0);
    this.nextSlot = maxSlot;
    this.freeSlots = [];
    for (let i = 0; i < maxSlot; i++) if (!this.openBySlot.has(i)) this.freeSlots.push(i);
    this.accumulators.forEach((a, i) => a.restore(s.accumulators[i]));
  }
}

function keyString(kv: readonly Value[]): string {
  let k = '';
  for (const v of kv) k += (v === null ? '\u0001' : v instanceof Uint8Array ? 'b' + Buffer.from(v).toString('hex') : typeof v + String(v)) + '\u0000';
  return k;
}
