import { SqlTypes, type Value } from '../../types/sql-type.js';
import { checkIntegerArgument } from './argument-checks.js';
import { HyperLogLog } from './hyper-log-log.js';
import { decodeUint8, encodeTyped } from './state-codec.js';
import type { TableFunctionColumn } from './numeric-columns.js';
import { findColumn } from './top-k-items-tumbling.js';
import { itemKey, TumblingWindowClock, type EmittedRow } from './tumbling-window-clock.js';

/** Up to this many distinct items a window's count is exact (SQLREF count-distinct-items). */
export const EXACT_DISTINCT_LIMIT = 10000;

export interface CountDistinctItemsPlan {
  /** (NUMBER_OF_DISTINCT_ITEMS BIGINT) */
  readonly outputColumns: readonly TableFunctionColumn[];
  readonly columnIndex: number;
  readonly windowSeconds: number;
}

/**
 * Plan-time half of COUNT_DISTINCT_ITEMS_TUMBLING(CURSOR(...), 'columnName', windowSize); windowSize in
 * seconds, 1..3600 (the same bounds as TOP_K_ITEMS_TUMBLING).
 */
export function planCountDistinctItemsTumbling(
  inputColumns: readonly TableFunctionColumn[],
  columnName: string,
  windowSeconds: number,
): CountDistinctItemsPlan {
  checkIntegerArgument('COUNT_DISTINCT_ITEMS_TUMBLING', 'windowSize', windowSeconds, 1, 3600);
  const columnIndex = findColumn('COUNT_DISTINCT_ITEMS_TUMBLING', inputColumns, columnName);
  return { outputColumns: [{ name: 'NUMBER_OF_DISTINCT_ITEMS', type: SqlTypes.BIGINT }], columnIndex, windowSeconds };
}

/**
 * Window state of COUNT_DISTINCT_ITEMS_TUMBLING, driven like {@link TopKItemsTumbling}: `add` per row,
 * `advanceTo` on a clock bound, `flush` at end of input; each returns the closed windows' rows: one row
 * (NUMBER_OF_DISTINCT_ITEMS) per window that received rows, ROWTIME = the window end. NULL is not an item.
 * The window keeps an exact set up to 10,000 distinct items, then moves them into a HyperLogLog (precision 14,
 * standard error about 0.8 %).
 */
export class CountDistinctItemsTumbling {
  private readonly plan: CountDistinctItemsPlan;
  private readonly clock: TumblingWindowClock;
  private exact: Set<string> | null = new Set();
  private hll: HyperLogLog | null = null;

  constructor(plan: CountDistinctItemsPlan) {
    this.plan = plan;
    this.clock = new TumblingWindowClock(plan.windowSeconds * 1000);
  }

  /** One input row (the counted column is taken from it). Returns the rows of a window this rowtime closed. */
  add(row: readonly Value[], rowtime: number): EmittedRow[] {
    return this.addValue(row[this.plan.columnIndex], rowtime);
  }

  /** The counted column's value of one input row. Returns the rows of a window this rowtime closed. */
  addValue(value: Value, rowtime: number): EmittedRow[] {
    const out = this.advanceTo(rowtime);
    if (this.clock.openStart === null) this.clock.openStart = this.clock.startOf(rowtime);
    if (value === null || value === undefined) return out;
    const text = itemText(value);
    if (this.exact) {
      this.exact.add(text);
      if (this.exact.size > EXACT_DISTINCT_LIMIT) {
        this.hll = new HyperLogLog();
        for (const t of this.exact) this.hll.addString(t);
        this.exact = null;
      }
    } else {
      (this.hll as HyperLogLog).addString(text);
    }
    return out;
  }

  advanceTo(time: number): EmittedRow[] {
    return this.clock.closesBy(time) ? this.closeWindow() : [];
  }

  flush(): EmittedRow[] {
    return this.clock.openStart === null ? [] : this.closeWindow();
  }

  /** JSON-serialisable state for Engine.snapshot(). */
  snapshot(): unknown {
    return {
      openStart: this.clock.openStart,
      exact: this.exact ? [...this.exact] : null,
      hll: this.hll ? encodeTyped(this.hll.registerBytes) : null,
    };
  }

  restore(state: unknown): void {
    const s = state as { openStart: number | null; exact: string[] | null; hll: string | null };
    this.clock.openStart = s.openStart;
    this.exact = s.exact ? new Set(s.exact) : null;
    this.hll = null;
    if (s.hll !== null) {
      this.hll = new HyperLogLog();
      decodeUint8(s.hll, this.hll.registerBytes);
    }
  }

  closeWindow(): EmittedRow[] {
    if (this.clock.openStart === null) return [];
    const rowtime = this.clock.openStart + this.clock.sizeMs;
    const count = this.exact ? this.exact.size : Math.round((this.hll as HyperLogLog).estimate());
    this.clock.openStart = null;
    this.exact = new Set();
    this.hll = null;
    return [{ row: [count], rowtime }];
  }
}

function itemText(value: Value): string {
  const key = itemKey(value);
  return `${typeof key}:${String(key)}`;
}
