import { InternalError, unhandledKind } from '../../errors.js';
import type { AnalyticCall } from '../../plan/index.js';
import { isExactNumeric, type Value } from '../../types/sql-type.js';
import { finishAverage } from '../aggregates/average.js';
import { booleanResult, varianceResult, type VarianceKind } from '../aggregates/group-accumulator.js';
import { compareValues, type Evaluator } from '../compile-expression.js';
import { decodeRow, encodeRow, type EncodedValue } from '../snapshot-codec.js';
import type { Emit, Operator } from './operator.js';

/** A window of the operator with its compiled partition keys. */
export interface CompiledWindow {
  readonly partitionBy: readonly Evaluator[];
  readonly unit: 'ROWS' | 'RANGE';
  readonly size: number;
}

/** An analytic call with its compiled argument; `extra` are LAG's offset/default and NTH_VALUE's n. */
export interface CompiledAnalytic {
  readonly call: AnalyticCall;
  readonly arg: Evaluator | null;
  readonly extra: readonly Evaluator[];
}

/** Per-call running state inside one partition. */
interface CallState {
  /**
   * Argument values of the rows in the window (absolute index - base). For COUNT/SUM/AVG (see UNBOXED) a NULL is
   * stored as 0 and its absolute index in `nulls`, so that the array holds only numbers: V8 then keeps them
   * unboxed in one double array instead of a heap number per row, which the frame would keep alive (and the
   * garbage collector would promote and trace) for as long as the row stays in the window. COUNT needs only
   * whether a value was NULL, so it stores 0 for every value.
   */
  vals: Value[];
  /** UNBOXED kinds: absolute indices of the NULL arguments still in the window, ascending, from `nullHead`. */
  nulls: number[];
  nullHead: number;
  sum: number;
  sumSq: number;
  nonNull: number;
  /** Monotonic deque of absolute indices (MIN/MAX). */
  deque: number[];
  dqHead: number;
  /** DISTINCT aggregates: how many rows of the window hold each value. */
  counts: Map<Value, number> | null;
}

interface Partition {
  times: number[];
  /** Absolute index of times[0]. */
  base: number;
  /** Physical index of the first row still in the window. */
  start: number;
  calls: CallState[];
}

/** Kinds that read their argument values back only to take them out of running sums (see CallState.vals). */
const UNBOXED: ReadonlySet<Kind> = new Set<Kind>(['count', 'sum', 'avg']);

type Kind = 'count_star' | 'count' | 'sum' | 'avg' | 'min' | 'max' | 'var' | 'first' | 'last' | 'nth' | 'lag' | 'distinct' | 'exp_avg' | 'any' | 'every';

function kindOf(c: AnalyticCall): Kind {
  if (c.distinct) {
    if (c.name === 'COUNT' || c.name === 'SUM' || c.name === 'AVG') return 'distinct';
    // The planner rejects DISTINCT OVER for every other function.
    throw new InternalError(`${c.name}(DISTINCT ...) OVER reached the engine`);
  }
  switch (c.name) {
    case 'COUNT':
      return c.star ? 'count_star' : 'count';
    case 'SUM':
      return 'sum';
    case 'AVG':
      return 'avg';
    case 'MIN':
      return 'min';
    case 'MAX':
      return 'max';
    case 'STDDEV_POP':
    case 'STDDEV_SAMP':
    case 'VAR_POP':
    case 'VAR_SAMP':
      return 'var';
    case 'FIRST_VALUE':
      return 'first';
    case 'LAST_VALUE':
      return 'last';
    case 'NTH_VALUE':
      return 'nth';
    case 'LAG':
      return 'lag';
    case 'EXP_AVG':
      return 'exp_avg';
    case 'ANY':
    case 'SOME':
      return 'any';
    case 'EVERY':
      return 'every';
    default:
      return unhandledKind('analytic function', c.name);
  }
}

/**
 * Sliding windows (OVER): one output row per input row, the input row followed by one value per analytic
 * call. Each window keeps, per partition, the rows inside the frame (ROWS n PRECEDING: the last n+1 rows;
 * RANGE INTERVAL d PRECEDING: rows with ROWTIME >= current - d, bound inclusive) with running sums and
 * monotonic deques so each row costs amortised O(1) for COUNT/SUM/AVG/MIN/MAX/variance.
 */
export class SlidingWindowOperator implements Operator {
  readonly name = 'SlidingWindow';
  private partitions: Map<Value | string, Partition>[];
  private readonly callsByWindow: number[][];
  private readonly kinds: Kind[];
  private readonly unboxed: boolean[];
  /** Results of the current row, one per call (reused). */
  private readonly results: Value[];
  /** Per call: AVG over an exact numeric (truncating) and its DECIMAL scale. */
  private readonly exact: boolean[];
  private readonly scale: number[];

  constructor(
    private readonly windows: readonly CompiledWindow[],
    private readonly calls: readonly CompiledAnalytic[],
    /** Width of the input row as planned (a row may be shorter when an unused trailing system column is left off). */
    private readonly inputWidth: number,
    private readonly emit: Emit,
    /** When set, the output row is these positions of (input row ++ call results) instead of all of them. */
    private readonly projection: readonly number[] | null = null,
  ) {
    this.results = new Array(calls.length).fill(null);
    this.partitions = windows.map(() => new Map());
    this.callsByWindow = windows.map((_, w) => calls.map((c, i) => (c.call.window === w ? i : -1)).filter((i) => i >= 0));
    this.kinds = calls.map((c) => kindOf(c.call));
    this.unboxed = this.kinds.map((k) => UNBOXED.has(k));
    this.exact = calls.map((c) => isExactNumeric(c.call.type));
    this.scale = calls.map((c) => (c.call.type.kind === 'DECIMAL' ? c.call.type.scale : 0));
  }

  push(row: Value[], rowtime: number): void {
    const results = this.results;
    for (let w = 0; w < this.windows.length; w++) this.processWindow(w, row, rowtime, results);
    const base = this.inputWidth;
    const proj = this.projection;
    let out: Value[];
    if (proj === null) {
      out = new Array(base + results.length);
      for (let i = 0; i < base; i++) out[i] = row[i] ?? null;
      for (let i = 0; i < results.length; i++) out[base + i] = results[i];
    } else {
      // Fused with a following projection of plain columns: build the projected row directly.
      out = new Array(proj.length);
      for (let i = 0; i < proj.length; i++) {
        const k = proj[i];
        out[i] = k < base ? (row[k] ?? null) : results[k - base];
      }
    }
    this.emit(out, rowtime);
  }

  private processWindow(w: number, row: Value[], rowtime: number, out: Value[]): void {
    const win = this.windows[w];
    const callIdx = this.callsByWindow[w];
    const key = partitionKey(win.partitionBy, row, rowtime);
    let p = this.partitions[w].get(key);
    if (p === undefined) {
      p = { times: [], base: 0, start: 0, calls: callIdx.map(() => newCallState()) };
      this.partitions[w].set(key, p);
    }
    // Add the current row.
    const phys = p.times.length;
    const abs = p.base + phys;
    p.times.push(rowtime);
    for (let j = 0; j < callIdx.length; j++) {
      const c = this.calls[callIdx[j]];
      const st = p.calls[j];
      const v = c.arg === null ? null : c.arg(row, rowtime);
      this.append(callIdx[j], st, v, abs);
    }
    // Evict rows that left the frame.
    if (win.size !== Infinity) {
      if (win.unit === 'ROWS') {
        while (p.times.length - p.start > win.size + 1) this.evict(p, callIdx);
      } else {
        const lower = rowtime - win.size;
        while (p.times[p.start] < lower) this.evict(p, callIdx);
      }
      if (p.start > 1024 && p.start * 2 > p.times.length) compact(p);
    }
    for (let j = 0; j < callIdx.length; j++) {
      out[callIdx[j]] = this.result(callIdx[j], p, p.calls[j], row, rowtime);
    }
  }

  /** Adds the argument value of the row at absolute index `abs` to the window of call `ci`. */
  private append(ci: number, st: CallState, v: Value, abs: number): void {
    if (!this.unboxed[ci]) st.vals.push(v);
    else if (v === null) {
      st.vals.push(0);
      st.nulls.push(abs);
    } else st.vals.push(typeof v === 'number' ? v : 0);
    this.addValue(this.kinds[ci], st, v, abs);
  }

  private addValue(kind: Kind, st: CallState, v: Value, abs: number): void {
    if (v === null) return;
    switch (kind) {
      case 'distinct': {
        const m = (st.counts ??= new Map());
        m.set(v, (m.get(v) ?? 0) + 1);
        break;
      }
      case 'count':
        st.nonNull++;
        break;
      case 'any':
      case 'every':
        st.nonNull++;
        if (v === true) st.sum++;
        break;
      case 'sum':
      case 'avg':
        st.sum += v as number;
        st.nonNull++;
        break;
      case 'var':
        st.sum += v as number;
        st.sumSq += (v as number) * (v as number);
        st.nonNull++;
        break;
      case 'min':
      case 'max': {
        const dq = st.deque;
        const max = kind === 'max';
        // Values are read back through the partition, so the deque holds absolute indices only.
        while (dq.length > st.dqHead) {
          const back = st.vals[dq[dq.length - 1] - (abs - (st.vals.length - 1))];
          const c = compareValues(back, v);
          if (max ? c <= 0 : c >= 0) dq.pop();
          else break;
        }
        dq.push(abs);
        break;
      }
      default:
        break;
    }
  }

  private evict(p: Partition, callIdx: number[]): void {
    const phys = p.start;
    const abs = p.base + phys;
    for (let j = 0; j < callIdx.length; j++) {
      const st = p.calls[j];
      const v = st.vals[phys];
      if (this.unboxed[callIdx[j]]) {
        if (st.nullHead < st.nulls.length && st.nulls[st.nullHead] === abs) {
          if (++st.nullHead === st.nulls.length) {
            st.nulls = [];
            st.nullHead = 0;
          } else if (st.nullHead > 1024 && st.nullHead * 2 > st.nulls.length) {
            st.nulls = st.nulls.slice(st.nullHead);
            st.nullHead = 0;
          }
          continue;
        }
      } else if (v === null) continue;
      switch (this.kinds[callIdx[j]]) {
        case 'distinct': {
          const m = st.counts!;
          const c = m.get(v)! - 1;
          if (c === 0) m.delete(v);
          else m.set(v, c);
          break;
        }
        case 'count':
          st.nonNull--;
          break;
        case 'any':
        case 'every':
          st.nonNull--;
          if (v === true) st.sum--;
          break;
        case 'sum':
        case 'avg':
          st.sum -= v as number;
          st.nonNull--;
          if (st.nonNull === 0) st.sum = 0;
          break;
        case 'var':
          st.sum -= v as number;
          st.sumSq -= (v as number) * (v as number);
          st.nonNull--;
          if (st.nonNull === 0) st.sum = st.sumSq = 0;
          break;
        case 'min':
        case 'max':
          if (st.deque.length > st.dqHead && st.deque[st.dqHead] === abs) st.dqHead++;
          if (st.dqHead > 1024 && st.dqHead * 2 > st.deque.length) {
            st.deque = st.deque.slice(st.dqHead);
            st.dqHead = 0;
          }
          break;
        default:
          break;
      }
    }
    p.start++;
  }

  private result(ci: number, p: Partition, st: CallState, row: Value[], rowtime: number): Value {
    const c = this.calls[ci];
    const call = c.call;
    switch (this.kinds[ci]) {
      case 'count_star':
        return p.times.length - p.start;
      case 'count':
        return st.nonNull;
      case 'sum':
        return st.nonNull === 0 ? null : st.sum;
      case 'avg':
        return finishAverage(st.sum, st.nonNull, this.exact[ci], this.scale[ci]);
      case 'var': {
        // Two passes over the window (exact, unlike running sums of squares, which cancel badly).
        const n = st.nonNull;
        if (n === 0) return null;
        const vals = st.vals;
        let mean = 0;
        for (let i = p.start; i < vals.length; i++) if (vals[i] !== null) mean += vals[i] as number;
        mean /= n;
        let m2 = 0;
        for (let i = p.start; i < vals.length; i++) {
          if (vals[i] !== null) {
            const d = (vals[i] as number) - mean;
            m2 += d * d;
          }
        }
        return varianceResult(call.name as VarianceKind, n, m2);
      }
      case 'any':
      case 'every':
        return booleanResult(this.kinds[ci] === 'every', st.sum, st.nonNull);
      case 'exp_avg': {
        // Exponentially weighted: a row's weight halves every `halfLife` ms of age (SQLREF EXP_AVG).
        const halfLife = c.extra[0](row, rowtime) as number;
        if (!(halfLife > 0)) return null;
        let num = 0;
        let den = 0;
        for (let i = p.start; i < st.vals.length; i++) {
          const v = st.vals[i];
          if (v === null) continue;
          const w = Math.pow(0.5, (rowtime - p.times[i]) / halfLife);
          num += w * (v as number);
          den += w;
        }
        return den === 0 ? null : num / den;
      }
      case 'distinct': {
        const m = st.counts;
        if (call.name === 'COUNT') return m === null ? 0 : m.size;
        if (m === null || m.size === 0) return null;
        let sum = 0;
        for (const k of m.keys()) sum += k as number;
        return call.name === 'SUM' ? sum : finishAverage(sum, m.size, this.exact[ci], this.scale[ci]);
      }
      case 'min':
      case 'max':
        return st.deque.length > st.dqHead ? st.vals[st.deque[st.dqHead] - p.base] : null;
      case 'first':
        return nthFrom(st.vals, p.start, st.vals.length, 1, false, call.ignoreNulls) ?? null;
      case 'last':
        return nthFrom(st.vals, p.start, st.vals.length, 1, true, call.ignoreNulls) ?? null;
      case 'nth': {
        const n = c.extra[0](row, rowtime) as number;
        return nthFrom(st.vals, p.start, st.vals.length, n, call.fromLast, call.ignoreNulls) ?? null;
      }
      case 'lag': {
        const n = c.extra.length > 0 ? (c.extra[0](row, rowtime) as number) : 1;
        const dflt = c.extra.length > 1 ? c.extra[1](row, rowtime) : null;
        if (n === 0) return st.vals[st.vals.length - 1];
        // The n-th row before the current one (skipping NULLs with IGNORE NULLS) inside the window.
        const v = nthFrom(st.vals, p.start, st.vals.length - 1, n, true, call.ignoreNulls);
        return v === undefined ? dflt : v;
      }
    }
  }

  advance(_time: number): void {}
  flush(): void {}

  snapshot(): unknown {
    return this.partitions.map((m) =>
      [...m.entries()].map(([k, p]) => ({
        key: typeof k === 'number' && !Number.isFinite(k) ? String(k) : k,
        times: p.times.slice(p.start),
        calls: p.calls.map((c) => ({ vals: encodeRow(windowValues(p, c)) })),
      })),
    );
  }

  restore(state: unknown): void {
    const s = state as { key: Value | string; times: number[]; calls: { vals: EncodedValue[] }[] }[][];
    this.partitions = this.windows.map(() => new Map());
    s.forEach((parts, w) => {
      const callIdx = this.callsByWindow[w];
      for (const part of parts) {
        const p: Partition = { times: [], base: 0, start: 0, calls: callIdx.map(() => newCallState()) };
        const vals = part.calls.map((c) => decodeRow(c.vals));
        part.times.forEach((t, i) => {
          p.times.push(t);
          callIdx.forEach((ci, j) => this.append(ci, p.calls[j], vals[j][i], i));
        });
        this.partitions[w].set(part.key as Value, p);
      }
    });
  }
}

/**
 * The n-th value (1-based) counting from the start (or from the end when `fromEnd`) of vals[lo, hi),
 * skipping NULLs when `ignoreNulls`. NULL when there are fewer than n values (undefined for LAG's default).
 */
function nthFrom(vals: readonly Value[], lo: number, hi: number, n: number, fromEnd: boolean, ignoreNulls: boolean): Value {
  if (!ignoreNulls) {
    const i = fromEnd ? hi - n : lo + n - 1;
    return i >= lo && i < hi ? vals[i] : (undefined as unknown as Value);
  }
  let k = 0;
  if (fromEnd) {
    for (let i = hi - 1; i >= lo; i--) if (vals[i] !== null && ++k === n) return vals[i];
  } else {
    for (let i = lo; i < hi; i++) if (vals[i] !== null && ++k === n) return vals[i];
  }
  return undefined as unknown as Value;
}

function partitionKey(keys: readonly Evaluator[], row: Value[], rowtime: number): Value | string {
  if (keys.length === 0) return null;
  if (keys.length === 1) {
    // Map keys compare with SameValueZero: strings, numbers and booleans are keys as they are.
    const v = keys[0](row, rowtime);
    return v instanceof Uint8Array ? '\ud800b' + Buffer.from(v).toString('hex') : v;
  }
  let k = '';
  for (const e of keys) {
    const v = e(row, rowtime);
    k += (v === null ? '\u0001' : v instanceof Uint8Array ? 'b' + Buffer.from(v).toString('hex') : typeof v + String(v)) + '\u0000';
  }
  return k;
}

function newCallState(): CallState {
  return { vals: [], nulls: [], nullHead: 0, sum: 0, sumSq: 0, nonNull: 0, deque: [], dqHead: 0, counts: null };
}

/** The argument values of a call's window, with NULL where an UNBOXED call stored 0 for one. */
function windowValues(p: Partition, st: CallState): Value[] {
  const out = st.vals.slice(p.start);
  const first = p.base + p.start;
  for (let i = st.nullHead; i < st.nulls.length; i++) out[st.nulls[i] - first] = null;
  return out;
}

function compact(p: Partition): void {
  const s = p.start;
  p.times = p.times.slice(s);
  for (const c of p.calls) c.vals = c.vals.slice(s);
  p.base += s;
  p.start = 0;
}
