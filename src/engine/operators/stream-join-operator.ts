import type { JoinWindow } from '../../plan/index.js';
import type { Value } from '../../types/sql-type.js';
import type { Evaluator } from '../compile-expression.js';
import { decodeRow, encodeRow, type EncodedValue } from '../snapshot-codec.js';
import { type JoinKey, joinKeyOf } from './join-key.js';
import type { Emit, Operator } from './operator.js';

export type StreamJoinType = 'INNER' | 'LEFT' | 'RIGHT' | 'FULL';

export interface StreamJoinSpec {
  readonly joinType: StreamJoinType;
  readonly leftWindow: JoinWindow | null;
  readonly rightWindow: JoinWindow | null;
  /** Key evaluators over each side's own row (equal keys are candidates; NULL keys never match). */
  readonly leftKeys: readonly Evaluator[];
  readonly rightKeys: readonly Evaluator[];
  /** The rest of ON, over the output row. */
  readonly residual: Evaluator | null;
  readonly leftWidth: number;
  readonly rightWidth: number;
}

interface Entry {
  readonly row: Value[];
  readonly t: number;
  readonly key: JoinKey;
  matched: boolean;
}

/** One input of the join: its window buffer (rows in arrival order) and what it contributes. */
class Side {
  buf: Entry[] = [];
  head = 0;
  /** With equi-join keys: the window's rows by key, each bucket in arrival order (NULL keys are not indexed). */
  readonly index = new Map<JoinKey, Entry[]>();
  constructor(
    readonly window: JoinWindow | null,
    readonly keys: readonly Evaluator[],
    /** Unmatched rows of this side are kept (null-extended) in the output. */
    readonly preserved: boolean,
  ) {}

  get size(): number {
    return this.buf.length - this.head;
  }

  first(): Entry | undefined {
    return this.buf[this.head];
  }

  add(e: Entry): void {
    this.buf.push(e);
    if (this.keys.length > 0 && e.key !== null) {
      const bucket = this.index.get(e.key);
      if (bucket) bucket.push(e);
      else this.index.set(e.key, [e]);
    }
  }

  clear(): void {
    this.buf = [];
    this.head = 0;
    this.index.clear();
  }

  shift(): Entry {
    const e = this.buf[this.head++];
    if (this.keys.length > 0 && e.key !== null) {
      // Rows leave in arrival order, so the leaving row is the first of its bucket.
      const bucket = this.index.get(e.key)!;
      if (bucket.length === 1) this.index.delete(e.key);
      else bucket.shift();
    }
    if (this.head > 1024 && this.head * 2 > this.buf.length) {
      this.buf = this.buf.slice(this.head);
      this.head = 0;
    }
    return e;
  }

  /** When a row of this side stops being joinable (RANGE windows only; ROWS windows evict on arrival). */
  expiry(e: Entry): number {
    return this.window !== null && this.window.unit === 'RANGE' ? e.t + this.window.size : Infinity;
  }
}

/**
 * Stream-to-stream join (SQLREF sql-reference-join-clause). A row of one side, when it arrives, is paired with
 * the rows of the other side's window (RANGE: rows at most the interval older, inclusive; ROWS n: the latest
 * n + 1 rows), in their arrival order; a side without a window contributes only its current row, so it is
 * never kept. Output ROWTIME = the later row's, i.e. the arriving row's. For outer joins a preserved row that
 * matched nothing is emitted null-extended once it can no longer match: at once when its side has no window,
 * otherwise when it leaves its own window (RANGE: at its ROWTIME + the interval, with that ROWTIME; ROWS: when
 * pushed out, at the pushing row's ROWTIME). Every output row has a ROWTIME no smaller than the rows before it,
 * and state never holds more than the two windows.
 */
export class StreamJoinOperator implements Operator {
  readonly name = 'StreamJoin';
  private readonly left: Side;
  private readonly right: Side;
  private now = -Infinity;

  constructor(
    private readonly spec: StreamJoinSpec,
    private readonly emit: Emit,
  ) {
    const t = spec.joinType;
    this.left = new Side(spec.leftWindow, spec.leftKeys, t === 'LEFT' || t === 'FULL');
    this.right = new Side(spec.rightWindow, spec.rightKeys, t === 'RIGHT' || t === 'FULL');
  }

  /** Rows of the left input. */
  push(row: Value[], rowtime: number): void {
    this.arrive(this.left, this.right, row, rowtime);
  }

  /** Rows of the right input. */
  pushRight(row: Value[], rowtime: number): void {
    this.arrive(this.right, this.left, row, rowtime);
  }

  advance(time: number): void {
    this.expire(time);
    if (time > this.now) this.now = time;
  }

  flush(): void {
    // End of input: every kept row that never matched comes out, in the order its window would have passed.
    // Rows of a ROWS window are pushed out "now"; RANGE rows at their own expiry, which may be later.
    this.expire(this.now + 0.5);
    for (const side of [this.left, this.right]) {
      if (side.window === null || side.window.unit !== 'ROWS') continue;
      while (side.size > 0) {
        const e = side.shift();
        if (side.preserved && !e.matched) this.emitUnmatched(side, e, this.now);
      }
    }
    this.expire(Infinity);
  }

  private arrive(side: Side, other: Side, row: Value[], t: number): void {
    this.expire(t);
    if (t > this.now) this.now = t;
    const key = side.keys.length > 0 ? joinKeyOf(side.keys, row, t) : null;
    const entry: Entry = { row, t, key, matched: false };
    const w = side.window;
    if (w !== null) {
      side.add(entry);
      if (w.unit === 'ROWS') {
        while (side.size > w.size + 1) {
          const out = side.shift();
          if (side.preserved && !out.matched) this.emitUnmatched(side, out, t);
        }
      }
    }
    if (other.window !== null && (side.keys.length === 0 || key !== null)) {
      const isLeft = side === this.left;
      const keyed = side.keys.length > 0;
      const buf = keyed ? (other.index.get(key) ?? []) : other.buf;
      for (let i = keyed ? 0 : other.head; i < buf.length; i++) {
        const o = buf[i];
        const out = isLeft ? this.combine(row, t, o.row, o.t) : this.combine(o.row, o.t, row, t);
        if (this.spec.residual !== null && this.spec.residual(out, t) !== true) continue;
        o.matched = true;
        entry.matched = true;
        this.emit(out, t);
      }
    }
    if (w === null && !entry.matched && side.preserved) this.emitUnmatched(side, entry, t);
  }

  /** Drops rows whose RANGE window has passed before `time`, emitting unmatched preserved ones in expiry order. */
  private expire(time: number): void {
    const l = this.left;
    const r = this.right;
    for (;;) {
      const a = l.first();
      const b = r.first();
      const ea = a === undefined ? Infinity : l.expiry(a);
      const eb = b === undefined ? Infinity : r.expiry(b);
      const side = ea <= eb ? l : r;
      const e = ea <= eb ? ea : eb;
      if (!(e < time) || e === Infinity) return;
      const out = side.shift();
      if (side.preserved && !out.matched) this.emitUnmatched(side, out, e);
    }
  }

  private emitUnmatched(side: Side, e: Entry, at: number): void {
    const out = side === this.left ? this.combine(e.row, e.t, null, null) : this.combine(null, null, e.row, e.t);
    this.emit(out, at);
  }

  /** Output row: left columns, left ROWTIME, right columns, right ROWTIME (NULLs for a missing side). */
  private combine(l: readonly Value[] | null, lt: number | null, r: readonly Value[] | null, rt: number | null): Value[] {
    const lw = this.spec.leftWidth;
    const rw = this.spec.rightWidth;
    const out: Value[] = new Array(lw + rw + 2).fill(null);
    if (l !== null) for (let i = 0; i < lw && i < l.length; i++) out[i] = l[i];
    out[lw] = lt;
    if (r !== null) for (let i = 0; i < rw && i < r.length; i++) out[lw + 1 + i] = r[i];
    out[lw + rw + 1] = rt;
    return out;
  }

  snapshot(): unknown {
    const enc = (s: Side) => s.buf.slice(s.head).map((e) => ({ row: encodeRow(e.row), t: e.t, matched: e.matched }));
    return { now: Number.isFinite(this.now) ? this.now : null, left: enc(this.left), right: enc(this.right) };
  }

  restore(state: unknown): void {
    const s = state as { now: number | null; left: { row: EncodedValue[]; t: number; matched: boolean }[]; right: { row: EncodedValue[]; t: number; matched: boolean }[] };
    this.now = s.now ?? -Infinity;
    const dec = (side: Side, entries: typeof s.left) => {
      side.clear();
      for (const e of entries) {
        const row = decodeRow(e.row);
        side.add({ row, t: e.t, key: side.keys.length > 0 ? joinKeyOf(side.keys, row, e.t) : null, matched: e.matched });
      }
    };
    dec(this.left, s.left);
    dec(this.right, s.right);
  }
}
