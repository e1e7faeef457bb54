import { describe, expect, it } from 'vitest';
import type { Value } from '../../types/sql-type.js';
import { TableFunctionOperator, type TableFunctionInstance } from './table-function-operator.js';

/** A tumbling "count per 10 ms window" instance, enough to see which calls reach it and what comes out. */
function counter(): TableFunctionInstance & { calls: string[] } {
  let open: number | null = null;
  let n = 0;
  const calls: string[] = [];
  const close = (upTo: number) => {
    if (open === null || upTo < open + 10) return [];
    const out = [{ row: [n] as Value[], rowtime: open + 10 }];
    open = null;
    n = 0;
    return out;
  };
  return {
    calls,
    push(_row, t) {
      calls.push(`push@${t}`);
      const out = close(t);
      open ??= Math.floor(t / 10) * 10;
      n++;
      return out;
    },
    advanceTo(t) {
      calls.push(`advance@${t}`);
      return close(t);
    },
    flush() {
      calls.push('flush');
      return close(Infinity);
    },
    snapshot: () => ({ open, n }),
    restore(s) {
      ({ open, n } = s as { open: number | null; n: number });
    },
  };
}

describe('TableFunctionOperator', () => {
  it('emits what push, advance (rowtime bounds) and flush return, in order, with their rowtimes', () => {
    const f = counter();
    const out: [Value[], number][] = [];
    const op = new TableFunctionOperator('COUNTER', f, (row, t) => out.push([row, t]));
    expect(op.name).toBe('TableFunction(COUNTER)');
    op.push(['a'], 1);
    op.push(['b'], 4);
    op.advance(9);
    expect(out).toEqual([]);
    op.advance(10);
    expect(out).toEqual([[[2], 10]]);
    op.push(['c'], 25);
    op.flush();
    expect(out).toEqual([
      [[2], 10],
      [[1], 30],
    ]);
    expect(f.calls).toEqual(['push@1', 'push@4', 'advance@9', 'advance@10', 'push@25', 'flush']);
  });

  it('snapshots and restores the instance state', () => {
    const a = new TableFunctionOperator('COUNTER', counter(), () => {});
    a.push(['x'], 3);
    const out: [Value[], number][] = [];
    const b = new TableFunctionOperator('COUNTER', counter(), (row, t) => out.push([row, t]));
    b.restore(JSON.parse(JSON.stringify(a.snapshot())));
    b.push(['y'], 5);
    b.flush();
    expect(out).toEqual([[[2], 10]]);
  });
});
