/**
 * Accumulators for streaming GROUP BY and stagger windows: one object per aggregate call, holding the state of
 * every group in plain arrays indexed by a group slot (no per-row or per-group objects).
 */
import { unhandledKind } from '../../errors.js';
import type { AggregateCall, AggregateKind } from '../../plan/index.js';
import { isExactNumeric, type Value } from '../../types/sql-type.js';
import { compileExpression, compareValues, type EvalContext, type Evaluator } from '../compile-expression.js';
import { decodeValue, encodeValue, type EncodedValue } from '../snapshot-codec.js';
import { finishAverage } from './average.js';

export interface GroupAccumulator {
  /** Prepares `slot` for a new group. */
  init(slot: number): void;
  /** Adds the row to the group in `slot`. */
  add(slot: number, row: readonly Value[], rowtime: number): void;
  result(slot: number): Value;
  snapshot(slots: number): unknown;
  restore(state: unknown): void;
}

class CountAccumulator implements GroupAccumulator {
  private n: number[] = [];
  constructor(private readonly arg: Evaluator | null) {}
  init(slot: number): void {
    this.n[slot] = 0;
  }
  add(slot: number, row: readonly Value[], rt: number): void {
    if (this.arg === null || this.arg(row, rt) !== null) this.n[slot]++;
  }
  result(slot: number): Value {
    return this.n[slot];
  }
  snapshot(slots: number): unknown {
    return this.n.slice(0, slots);
  }
  restore(s: unknown): void {
    this.n = [...(s as number[])];
  }
}

/** SUM and AVG: running sum and non-null count. */
class SumAccumulator implements GroupAccumulator {
  private sum: number[] = [];
  private n: number[] = [];
  constructor(
    private readonly arg: Evaluator,
    private readonly finish: (sum: number, n: number) => Value,
  ) {}
  init(slot: number): void {
    this.sum[slot] = 0;
    this.n[slot] = 0;
  }
  add(slot: number, row: readonly Value[], rt: number): void {
    const v = this.arg(row, rt);
    if (v !== null) {
      this.sum[slot] += v as number;
      this.n[slot]++;
    }
  }
  result(slot: number): Value {
    return this.finish(this.sum[slot], this.n[slot]);
  }
  snapshot(slots: number): unknown {
    return [this.sum.slice(0, slots), this.n.slice(0, slots)];
  }
  restore(s: unknown): void {
    const [a, b] = s as [number[], number[]];
    this.sum = [...a];
    this.n = [...b];
  }
}

class ExtremeAccumulator implements GroupAccumulator {
  private best: Value[] = [];
  constructor(
    private readonly arg: Evaluator,
    private readonly wantMax: boolean,
  ) {}
  init(slot: number): void {
    this.best[slot] = null;
  }
  add(slot: number, row: readonly Value[], rt: number): void {
    const v = this.arg(row, rt);
    if (v === null) return;
    const b = this.best[slot];
    if (b === null) this.best[slot] = v;
    else if (typeof v === 'number' && typeof b === 'number') {
      if (this.wantMax ? v > b : v < b) this.best[slot] = v;
    } else {
      const c = compareValues(v, b);
      if (this.wantMax ? c > 0 : c < 0) this.best[slot] = v;
    }
  }
  result(slot: number): Value {
    return this.best[slot];
  }
  snapshot(slots: number): unknown {
    return this.best.slice(0, slots).map(encodeValue);
  }
  restore(s: unknown): void {
    this.best = (s as EncodedValue[]).map(decodeValue);
  }
}

export type VarianceKind = Extract<AggregateKind, 'STDDEV_POP' | 'STDDEV_SAMP' | 'VAR_POP' | 'VAR_SAMP'>;

/** Variance family with Welford's online algorithm. */
class VarianceAccumulator implements GroupAccumulator {
  private n: number[] = [];
  private mean: number[] = [];
  private m2: number[] = [];
  constructor(
    private readonly arg: Evaluator,
    private readonly kind: VarianceKind,
  ) {}
  init(slot: number): void {
    this.n[slot] = 0;
    this.mean[slot] = 0;
    this.m2[slot] = 0;
  }
  add(slot: number, row: readonly Value[], rt: number): void {
    const v = this.arg(row, rt);
    if (v === null) return;
    const x = v as number;
    const n = ++this.n[slot];
    const d = x - this.mean[slot];
    this.mean[slot] += d / n;
    this.m2[slot] += d * (x - this.mean[slot]);
  }
  result(slot: number): Value {
    return varianceResult(this.kind, this.n[slot], this.m2[slot]);
  }
  snapshot(slots: number): unknown {
    return [this.n.slice(0, slots), this.mean.slice(0, slots), this.m2.slice(0, slots)];
  }
  restore(s: unknown): void {
    const [a, b, c] = s as number[][];
    this.n = [...a];
    this.mean = [...b];
    this.m2 = [...c];
  }
}

export function varianceResult(kind: VarianceKind, n: number, m2: number): Value {
  const pop = kind === 'VAR_POP' || kind === 'STDDEV_POP';
  const denom = pop ? n : n - 1;
  if (n === 0 || denom <= 0) return null;
  const v = Math.max(m2, 0) / denom;
  return kind.startsWith('STDDEV') ? Math.sqrt(v) : v;
}

class FirstLastAccumulator implements GroupAccumulator {
  private val: Value[] = [];
  private seen: boolean[] = [];
  constructor(
    private readonly arg: Evaluator,
    private readonly last: boolean,
    private readonly ignoreNulls: boolean,
  ) {}
  init(slot: number): void {
    this.val[slot] = null;
    this.seen[slot] = false;
  }
  add(slot: number, row: readonly Value[], rt: number): void {
    if (!this.last && this.seen[slot]) return;
    const v = this.arg(row, rt);
    if (v === null && this.ignoreNulls) return;
    this.val[slot] = v;
    this.seen[slot] = true;
  }
  result(slot: number): Value {
    return this.val[slot];
  }
  snapshot(slots: number): unknown {
    return [this.val.slice(0, slots).map(encodeValue), this.seen.slice(0, slots)];
  }
  restore(s: unknown): void {
    const [a, b] = s as [EncodedValue[], boolean[]];
    this.val = a.map(decodeValue);
    this.seen = [...b];
  }
}

/** ANY / SOME (true if any non-null value is true) and EVERY (true if all non-null values are true); NULL when none. */
class BooleanAccumulator implements GroupAccumulator {
  private trues: number[] = [];
  private n: number[] = [];
  constructor(
    private readonly arg: Evaluator,
    private readonly every: boolean,
  ) {}
  init(slot: number): void {
    this.trues[slot] = 0;
    this.n[slot] = 0;
  }
  add(slot: number, row: readonly Value[], rt: number): void {
    const v = this.arg(row, rt);
    if (v === null) return;
    this.n[slot]++;
    if (v === true) this.trues[slot]++;
  }
  result(slot: number): Value {
    return booleanResult(this.every, this.trues[slot], this.n[slot]);
  }
  snapshot(slots: number): unknown {
    return [this.trues.slice(0, slots), this.n.slice(0, slots)];
  }
  restore(s: unknown): void {
    const [a, b] = s as [number[], number[]];
    this.trues = [...a];
    this.n = [...b];
  }
}

export function booleanResult(every: boolean, trues: number, n: number): Value {
  if (n === 0) return null;
  return every ? trues === n : trues > 0;
}

/** Builds the accumulator for one aggregate call of a GROUP BY or stagger window. */
export function createGroupAccumulator(call: AggregateCall, ctx: EvalContext): GroupAccumulator {
  const arg = call.args.length > 0 ? compileExpression(call.args[0], ctx) : null;
  switch (call.name) {
    case 'COUNT':
      return new CountAccumulator(call.star ? null : arg);
    case 'SUM':
      return new SumAccumulator(arg!, (s, n) => (n === 0 ? null : s));
    case 'AVG': {
      const exact = isExactNumeric(call.type);
      const scale = call.type.kind === 'DECIMAL' ? call.type.scale : 0;
      return new SumAccumulator(arg!, (s, n) => finishAverage(s, n, exact, scale));
    }
    case 'MIN':
    case 'MAX':
      return new ExtremeAccumulator(arg!, call.name === 'MAX');
    case 'STDDEV_POP':
    case 'STDDEV_SAMP':
    case 'VAR_POP':
    case 'VAR_SAMP':
      return new VarianceAccumulator(arg!, call.name);
    case 'FIRST_VALUE':
    case 'LAST_VALUE':
      return new FirstLastAccumulator(arg!, call.name === 'LAST_VALUE', call.ignoreNulls);
    case 'ANY':
    case 'SOME':
    case 'EVERY':
      return new BooleanAccumulator(arg!, call.name === 'EVERY');
    default:
      return unhandledKind('aggregate', call.name);
  }
}
