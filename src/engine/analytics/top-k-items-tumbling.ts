import { PlanError } from '../../errors.js';
import { SqlTypes, type Value } from '../../types/sql-type.js';
import { checkIntegerArgument } from './argument-checks.js';
import type { TableFunctionColumn } from './numeric-columns.js';
import { SpaceSavingSketch } from './space-saving-sketch.js';
import { decodeValue, encodeValue, type EncodedValue } from './state-codec.js';
import { itemKey, TumblingWindowClock, type EmittedRow } from './tumbling-window-clock.js';

export interface TopKItemsPlan {
  /** (the counted column, with its name and type; MOST_FREQUENT_VALUES BIGINT) */
  readonly outputColumns: readonly TableFunctionColumn[];
  /** Index of the counted column in the input row. */
  readonly columnIndex: number;
  readonly k: number;
  readonly windowSeconds: number;
}

/**
 * Plan-time half of TOP_K_ITEMS_TUMBLING(CURSOR(...), 'columnName', K, windowSize). The column name is matched
 * exactly first, then case-insensitively when that is unambiguous. Ranges (SQLREF top-k): K 1..100000,
 * windowSize 1..3600 seconds.
 */
export function planTopKItemsTumbling(
  inputColumns: readonly TableFunctionColumn[],
  columnName: string,
  k: number,
  windowSeconds: number,
): TopKItemsPlan {
  checkIntegerArgument('TOP_K_ITEMS_TUMBLING', 'K', k, 1, 100000);
  checkIntegerArgument('TOP_K_ITEMS_TUMBLING', 'windowSize', windowSeconds, 1, 3600);
  const columnIndex = findColumn('TOP_K_ITEMS_TUMBLING', inputColumns, columnName);
  return {
    outputColumns: [inputColumns[columnIndex], { name: 'MOST_FREQUENT_VALUES', type: SqlTypes.BIGINT }],
    columnIndex,
    k,
    windowSeconds,
  };
}

/** Finds the column a table function names in a string argument. Throws PlanError listing the columns. */
export function findColumn(fn: string, columns: readonly TableFunctionColumn[], name: string): number {
  const exact = columns.findIndex((c) => c.name === name);
  if (exact >= 0) return exact;
  const folded = columns.map((c, i) => [c.name.toUpperCase(), i] as const).filter(([n]) => n === name.toUpperCase());
  if (folded.length === 1) return folded[0][1];
  throw new PlanError(
    `${fn}: no input column named '${name}'. Received columns ${columns.map((c) => c.name).join(', ')}`,
  );
}

/**
 * Window state of TOP_K_ITEMS_TUMBLING: the engine calls `add` per input row, `advanceTo` when the clock moves
 * without rows, and `flush` at end of input. Each returns the rows of the windows that closed: up to K rows
 * (value, count), most frequent first, all with ROWTIME = the window end. NULL values are not counted.
 *
 * Counting uses a Space-Saving sketch with max(1000, min(10 K, 200000), 2 K) counters, so the counts are exact
 * while a window has no more distinct values than that; beyond it a count may exceed the true count by at most
 * (rows in the window) / counters, and the K values returned may include some that are not in the true top K
 * (SQLREF: it "may return three of the five most traded").
 *
 * @example
 * const w = new TopKItemsTumbling(planTopKItemsTumbling(cols, 'TICKER', 5, 60));
 * w.add(['AMZN'], t); ... w.flush() // [{ row: ['AMZN', 4], rowtime: windowEnd }, ...]
 */
export class TopKItemsTumbling {
  private readonly plan: TopKItemsPlan;
  private readonly clock: TumblingWindowClock;
  private sketch: SpaceSavingSketch<ReturnType<typeof itemKey>>;
  private readonly originals = new Map<ReturnType<typeof itemKey>, Value>();
  readonly counters: number;

  constructor(plan: TopKItemsPlan) {
    this.plan = plan;
    this.clock = new TumblingWindowClock(plan.windowSeconds * 1000);
    this.counters = Math.max(1000, Math.min(10 * plan.k, 200000), 2 * plan.k);
    this.sketch = new SpaceSavingSketch(this.counters);
  }

  /** One input row (the counted column is taken from it). Returns the rows of a window this rowtime closed. */
  add(row: readonly Value[], rowtime: number): EmittedRow[] {
    return this.addValue(row[this.plan.columnIndex], rowtime);
  }

  /** The counted column's value of one input row. Returns the rows of a window this rowtime closed. */
  addValue(value: Value, rowtime: number): EmittedRow[] {
    const out = this.advanceTo(rowtime);
    if (this.clock.openStart === null) this.clock.openStart = this.clock.startOf(rowtime);
    if (value !== null && value !== undefined) {
      const key = itemKey(value);
      if (!this.originals.has(key)) this.originals.set(key, value);
      this.sketch.add(key);
    }
    return out;
  }

  /** Closes the open window if `time` reached its end. */
  advanceTo(time: number): EmittedRow[] {
    return this.clock.closesBy(time) ? this.closeWindow() : [];
  }

  /** End of input: closes the open window whatever the time. */
  flush(): EmittedRow[] {
    return this.clock.openStart === null ? [] : this.closeWindow();
  }

  /** JSON-serialisable state for Engine.snapshot(). */
  snapshot(): unknown {
    return {
      openStart: this.clock.openStart,
      counters: this.sketch.counterState,
      entries: this.sketch.entries().map((e) => ({ ...e, key: encodeValue(this.originals.get(e.key) as Value) })),
    };
  }

  restore(state: unknown): void {
    const s = state as {
      openStart: number | null;
      counters: { arrivals: number; total: number };
      entries: { key: EncodedValue; count: number; error: number; firstSeen: number }[];
    };
    this.clock.openStart = s.openStart;
    this.originals.clear();
    const entries = s.entries.map((e) => {
      const value = decodeValue(e.key);
      const key = itemKey(value);
      this.originals.set(key, value);
      return { ...e, key };
    });
    this.sketch = SpaceSavingSketch.fromEntries(this.counters, entries, s.counters);
  }

  /** Emits the open window's rows and starts afresh. */
  closeWindow(): EmittedRow[] {
    if (this.clock.openStart === null) return [];
    const rowtime = this.clock.openStart + this.clock.sizeMs;
    const rows = this.sketch
      .top(this.plan.k)
      .map((e) => ({ row: [this.originals.get(e.key) as Value, e.count], rowtime }));
    this.clock.openStart = null;
    this.sketch = new SpaceSavingSketch(this.counters);
    this.originals.clear();
    return rows;
  }
}
