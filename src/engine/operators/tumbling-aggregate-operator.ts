import type { GroupTrigger } from '../../plan/index.js';
import type { Value } from '../../types/sql-type.js';
import type { GroupAccumulator } from '../aggregates/group-accumulator.js';
import type { Evaluator } from '../compile-expression.js';
import { decodeValue, encodeValue, type EncodedValue } from '../snapshot-codec.js';
import { GroupSlots } from './group-slots.js';
import type { Emit, Operator } from './operator.js';

/** Search bound for a window end: a window longer than ~278 years is treated as never ending. */
const MAX_SPAN = 2 ** 43;

/**
 * Streaming GROUP BY (tumbling windows). With a ROWTIME-based key (STEP/FLOOR of ROWTIME...) the window ends
 * at the first instant where that key changes value; every group of the window is emitted when a row or a
 * rowtime bound reaches the end, with ROWTIME = the window end. With another monotonic key (MONOTONIC(x)) the
 * groups are emitted when a row with a different key value arrives, at that row's time.
 */
export class TumblingAggregateOperator implements Operator {
  readonly name = 'TumblingAggregate';
  private readonly groups: GroupSlots;
  private open = false;
  /** Rowtime trigger: end of the open window. Monotonic trigger: unused. */
  private windowEnd = Infinity;
  private triggerValue: Value = null;
  private lastTime = -Infinity;
  private readonly otherKeys: Evaluator[];
  private readonly otherPositions: number[];

  constructor(
    private readonly keys: readonly Evaluator[],
    private readonly trigger: GroupTrigger,
    private readonly accumulators: readonly GroupAccumulator[],
    private readonly emit: Emit,
  ) {
    this.otherPositions = keys.map((_, i) => i).filter((i) => i !== trigger.keyIndex);
    this.otherKeys = this.otherPositions.map((i) => keys[i]);
    this.groups = new GroupSlots(Math.max(this.otherKeys.length, 1));
  }

  push(row: Value[], rowtime: number): void {
    this.lastTime = rowtime;
    if (this.trigger.kind === 'rowtime') {
      if (this.open && rowtime >= this.windowEnd) this.close(this.windowEnd);
      if (!this.open) this.openWindow(row, rowtime);
    } else {
      const v = this.keys[this.trigger.keyIndex](row, rowtime);
      if (this.open && v !== this.triggerValue) this.close(rowtime);
      if (!this.open) {
        this.open = true;
        this.triggerValue = v;
      }
    }
    const accs = this.accumulators;
    const na = accs.length;
    let slot: number;
    const n = this.otherKeys.length;
    if (n === 1) {
      // One grouping column besides the time key (the common case): no per-row allocation.
      const v = this.otherKeys[0](row, rowtime);
      slot = this.groups.find1(v);
      if (slot < 0) {
        slot = this.groups.add1(v);
        for (let i = 0; i < na; i++) accs[i].init(slot);
      }
    } else {
      const kv: Value[] = new Array(n);
      for (let i = 0; i < n; i++) kv[i] = this.otherKeys[i](row, rowtime);
      const r = this.groups.slotOf(kv);
      slot = r.slot;
      if (r.created) for (let i = 0; i < na; i++) accs[i].init(slot);
    }
    for (let i = 0; i < na; i++) accs[i].add(slot, row, rowtime);
  }

  private openWindow(row: Value[], rowtime: number): void {
    const key = this.keys[this.trigger.keyIndex];
    const v = key(row, rowtime);
    this.triggerValue = v;
    this.windowEnd = findChange(key, row, rowtime, v);
    this.open = true;
  }

  nextDeadline(): number {
    return this.open && this.trigger.kind === 'rowtime' ? this.windowEnd : Infinity;
  }

  advance(time: number): void {
    if (this.trigger.kind === 'rowtime' && this.open && time >= this.windowEnd) this.close(this.windowEnd);
  }

  flush(): void {
    if (!this.open) return;
    this.close(this.trigger.kind === 'rowtime' ? this.windowEnd : this.lastTime);
  }

  private close(rowtime: number): void {
    const groups = this.groups;
    const keys = groups.keys;
    const accs = this.accumulators;
    const width = this.keys.length;
    const trig = this.trigger.keyIndex;
    const pos = this.otherPositions;
    // Reset first: a downstream error must not leave the window half-emitted and open.
    this.open = false;
    this.groups.clear();
    for (let slot = 0; slot < keys.length; slot++) {
      const out: Value[] = new Array(width + accs.length);
      out[trig] = this.triggerValue;
      const kv = keys[slot];
      for (let i = 0; i < pos.length; i++) out[pos[i]] = kv[i];
      for (let i = 0; i < accs.length; i++) out[width + i] = accs[i].result(slot);
      this.emit(out, rowtime);
    }
  }

  snapshot(): unknown {
    return {
      open: this.open,
      windowEnd: encodeValue(this.windowEnd),
      triggerValue: encodeValue(this.triggerValue),
      lastTime: encodeValue(this.lastTime),
      groups: this.groups.snapshot(),
      accumulators: this.accumulators.map((a) => a.snapshot(this.groups.size)),
    };
  }

  restore(state: unknown): void {
    const s = state as { open: boolean; windowEnd: EncodedValue; triggerValue: EncodedValue; lastTime: EncodedValue; groups: EncodedValue[][]; accumulators: unknown[] };
    this.open = s.open;
    this.windowEnd = decodeValue(s.windowEnd) as number;
    this.triggerValue = decodeValue(s.triggerValue);
    this.lastTime = decodeValue(s.lastTime) as number;
    this.groups.restore(s.groups);
    this.accumulators.forEach((a, i) => a.restore(s.accumulators[i]));
  }
}

/**
 * The first time after `t0` where the ROWTIME-only key changes value: exponential then binary search over
 * milliseconds. The key is non-decreasing in ROWTIME, so the change point is unique.
 */
export function findChange(key: Evaluator, row: Value[], t0: number, v0: Value): number {
  const same = (t: number) => key(row, t) === v0;
  let step = 1;
  while (step <= MAX_SPAN && same(t0 + step)) step *= 2;
  if (step > MAX_SPAN) return Infinity;
  let lo = t0 + step / 2; // same value (or t0 when step is 1)
  let hi = t0 + step; // different value
  if (step === 1) lo = t0;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (same(mid)) lo = mid;
    else hi = mid;
  }
  return hi;
}
