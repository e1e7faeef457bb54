import { describe, expect, it } from 'vitest';
import type { Value } from '../../types/sql-type.js';
import type { Evaluator } from '../compile-expression.js';
import { type StreamJoinSpec, StreamJoinOperator } from './stream-join-operator.js';

/** Rows are [id, tag]; the join key is the id (column 0 of each side). */
const key: Evaluator = (row) => row[0];
const MIN = 60_000;

function make(over: Partial<StreamJoinSpec>) {
  const out: { row: Value[]; t: number }[] = [];
  const op = new StreamJoinOperator(
    { joinType: 'INNER', leftWindow: null, rightWindow: null, leftKeys: [key], rightKeys: [key], residual: null, leftWidth: 2, rightWidth: 2, ...over },
    (row, t) => out.push({ row, t }),
  );
  return { op, out };
}

describe('StreamJoinOperator', () => {
  it('pairs an arriving row with the other side\'s RANGE window (inclusive bound); output ROWTIME is the arriving row\'s', () => {
    const { op, out } = make({ rightWindow: { unit: 'RANGE', size: MIN } });
    op.pushRight([1, 'r-old'], 0);
    op.pushRight([1, 'r'], 30_000);
    op.push([1, 'l'], MIN); // r-old is exactly one minute old: still inside
    expect(out.map((o) => [o.row[1], o.row[4], o.row[2], o.row[5], o.t])).toEqual([
      ['l', 'r-old', MIN, 0, MIN],
      ['l', 'r', MIN, 30_000, MIN],
    ]);
    op.push([1, 'l2'], MIN + 1); // r-old has left the window
    expect(out.slice(2).map((o) => o.row[4])).toEqual(['r']);
  });

  it('a side without a window contributes only its current row: later rows of the windowed side do not see it', () => {
    const { op, out } = make({ leftWindow: { unit: 'RANGE', size: MIN } });
    op.pushRight([7, 'ship'], 0);
    op.push([7, 'order'], 1000);
    expect(out).toEqual([]);
    op.pushRight([7, 'ship2'], 2000);
    expect(out.map((o) => [o.row[1], o.row[4], o.t])).toEqual([['order', 'ship2', 2000]]);
  });

  it('rows with equal ROWTIME are joined in arrival order', () => {
    const { op, out } = make({ leftWindow: { unit: 'RANGE', size: 0 } });
    op.pushRight([1, 'before'], 5000);
    op.push([1, 'l'], 5000);
    op.pushRight([1, 'after'], 5000);
    expect(out.map((o) => o.row[4])).toEqual(['after']);
  });

  it('LEFT JOIN: an unmatched row of a windowed left side comes out when its window has passed, at ROWTIME + window', () => {
    const { op, out } = make({ joinType: 'LEFT', leftWindow: { unit: 'RANGE', size: MIN } });
    op.push([1, 'a'], 0);
    op.push([2, 'b'], 10_000);
    op.pushRight([2, 'x'], 20_000);
    expect(out.map((o) => [o.row[1], o.row[4], o.t])).toEqual([['b', 'x', 20_000]]);
    op.advance(MIN); // a row at exactly t + 1 minute could still match
    expect(out).toHaveLength(1);
    op.advance(MIN + 1);
    expect(out.slice(1).map((o) => [o.row[1], o.row[2], o.row[4], o.row[5], o.t])).toEqual([['a', 0, null, null, MIN]]);
    op.flush(); // b matched: never null-extended
    expect(out).toHaveLength(2);
  });

  it('RIGHT JOIN with no window on the right: unmatched right rows come out at once', () => {
    const { op, out } = make({ joinType: 'RIGHT', leftWindow: { unit: 'RANGE', size: MIN } });
    op.pushRight([3, 's'], 1000);
    expect(out.map((o) => [o.row[0], o.row[4], o.row[5], o.t])).toEqual([[null, 's', 1000, 1000]]);
  });

  it('FULL JOIN with ROWS windows: a row pushed out of its ROWS window unmatched comes out at the pushing row\'s ROWTIME', () => {
    const { op, out } = make({ joinType: 'FULL', leftWindow: { unit: 'ROWS', size: 1 }, rightWindow: { unit: 'ROWS', size: 1 } });
    op.push([1, 'a'], 100);
    op.push([2, 'b'], 200);
    op.push([3, 'c'], 300); // ROWS 1 PRECEDING keeps 2 rows: a leaves
    expect(out.map((o) => [o.row[1], o.t])).toEqual([['a', 300]]);
    op.pushRight([3, 'z'], 400);
    expect(out.slice(1).map((o) => [o.row[1], o.row[4], o.t])).toEqual([['c', 'z', 400]]);
    op.flush();
    expect(out.slice(2).map((o) => [o.row[1], o.row[4], o.t])).toEqual([['b', null, 400]]);
  });

  it('state is bounded by the windows: rows out of the RANGE window are evicted', () => {
    const { op } = make({ leftWindow: { unit: 'RANGE', size: 1000 } });
    for (let i = 0; i < 10_000; i++) op.push([i, 'x'], i * 10);
    const state = op.snapshot() as { left: unknown[]; right: unknown[] };
    expect(state.left.length).toBe(101);
    expect(state.right.length).toBe(0);
  });

  it('snapshot/restore mid-stream continues exactly as the uninterrupted operator', () => {
    const run = (cut: number | null) => {
      let { op, out } = make({ joinType: 'FULL', leftWindow: { unit: 'RANGE', size: 5000 }, rightWindow: { unit: 'ROWS', size: 2 } });
      const all: unknown[] = [];
      for (let i = 0; i < 60; i++) {
        if (cut === i) {
          const state = JSON.parse(JSON.stringify(op.snapshot())) as unknown;
          all.push(...out.map((o) => [o.row, o.t]));
          ({ op, out } = make({ joinType: 'FULL', leftWindow: { unit: 'RANGE', size: 5000 }, rightWindow: { unit: 'ROWS', size: 2 } }));
          op.restore(state);
        }
        const t = i * 700;
        if (i % 3 === 0) op.pushRight([i % 7, `r${i}`], t);
        else op.push([i % 5, `l${i}`], t);
      }
      op.flush();
      all.push(...out.map((o) => [o.row, o.t]));
      return all;
    };
    const whole = run(null);
    expect(whole.length).toBeGreaterThan(20);
    expect(run(25)).toEqual(whole);
    expect(run(41)).toEqual(whole);
  });

  it('output ROWTIMEs never decrease, whatever the mix of matches and expiries', () => {
    const { op, out } = make({ joinType: 'FULL', leftWindow: { unit: 'RANGE', size: 3000 }, rightWindow: { unit: 'RANGE', size: 1000 } });
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    let t = 0;
    for (let i = 0; i < 500; i++) {
      t += Math.floor(rnd() * 800);
      op.advance(t);
      if (rnd() < 0.5) op.push([Math.floor(rnd() * 4), 'l'], t);
      else op.pushRight([Math.floor(rnd() * 4), 'r'], t);
    }
    op.flush();
    for (let i = 1; i < out.length; i++) expect(out[i].t).toBeGreaterThanOrEqual(out[i - 1].t);
  });

  it('the key index gives the same rows as checking the condition on every row of the window', () => {
    const drive = (op: StreamJoinOperator) => {
      let seed = 11;
      const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
      let t = 0;
      for (let i = 0; i < 400; i++) {
        t += Math.floor(rnd() * 500);
        op.advance(t);
        const k = rnd() < 0.1 ? null : Math.floor(rnd() * 6);
        if (rnd() < 0.5) op.push([k, `l${i}`], t);
        else op.pushRight([k, `r${i}`], t);
      }
      op.flush();
    };
    const windows = { joinType: 'FULL' as const, leftWindow: { unit: 'RANGE' as const, size: 2000 }, rightWindow: { unit: 'ROWS' as const, size: 3 } };
    const keyed = make(windows);
    // The same condition as a residual over the output row: left id (0) = right id (3).
    const scanned = make({ ...windows, leftKeys: [], rightKeys: [], residual: (row) => (row[0] === null || row[3] === null ? null : row[0] === row[3]) });
    drive(keyed.op);
    drive(scanned.op);
    expect(keyed.out.length).toBeGreaterThan(50);
    expect(keyed.out).toEqual(scanned.out);
  });
});
