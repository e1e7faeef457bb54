import { PlanError, unhandledKind } from '../../errors.js';
import type { Value } from '../../types/sql-type.js';
import { CountDistinctItemsTumbling, planCountDistinctItemsTumbling } from './count-distinct-items-tumbling.js';
import { HotspotsFunction, planHotspots } from './hotspots.js';
import type { TableFunctionColumn } from './numeric-columns.js';
import { planRandomCutForest, RandomCutForestFunction } from './random-cut-forest-function.js';
import { planTopKItemsTumbling, TopKItemsTumbling } from './top-k-items-tumbling.js';
import type { EmittedRow } from './tumbling-window-clock.js';

/**
 * One running occurrence of an analytics table function, with one interface for all five, so the engine's
 * TABLE(F(CURSOR(...), args)) operator can drive any of them:
 * - `push(row, rowtime)` for each row of the CURSOR, in ROWTIME order. RCF and HOTSPOTS return exactly one row
 *   with the same rowtime; TOP_K / COUNT_DISTINCT return the rows of the windows this rowtime closed.
 * - `advanceTo(time)` when the clock moves with no row (closes windows); `flush()` at end of input.
 * - `snapshot()` / `restore(state)`: JSON-serialisable state.
 */
export interface AnalyticsTableFunctionInstance {
  push(row: readonly Value[], rowtime: number): EmittedRow[];
  advanceTo(time: number): EmittedRow[];
  flush(): EmittedRow[];
  snapshot(): unknown;
  restore(state: unknown): void;
}

export interface PlannedAnalyticsTableFunction {
  readonly name: AnalyticsTableFunctionName;
  /** Columns of the rows the function emits (for SELECT * and column resolution). */
  readonly outputColumns: readonly TableFunctionColumn[];
  /** A fresh instance per running application. */
  create(): AnalyticsTableFunctionInstance;
}

export const ANALYTICS_TABLE_FUNCTION_NAMES = [
  'RANDOM_CUT_FOREST',
  'RANDOM_CUT_FOREST_WITH_EXPLANATION',
  'HOTSPOTS',
  'TOP_K_ITEMS_TUMBLING',
  'COUNT_DISTINCT_ITEMS_TUMBLING',
] as const;

export type AnalyticsTableFunctionName = (typeof ANALYTICS_TABLE_FUNCTION_NAMES)[number];

/** The function `name` stands for (case-insensitive), or undefined when it is not an analytics table function. */
export function analyticsTableFunctionName(name: string): AnalyticsTableFunctionName | undefined {
  const upper = name.toUpperCase();
  return ANALYTICS_TABLE_FUNCTION_NAMES.find((n) => n === upper);
}

export function isAnalyticsTableFunction(name: string): boolean {
  return analyticsTableFunctionName(name) !== undefined;
}

/**
 * Plans `name(CURSOR(...), ...args)`: `inputColumns` are the CURSOR query's columns, `args` the constant
 * arguments after the CURSOR, already evaluated. Throws PlanError (wrong count or type of arguments, ranges,
 * unknown column); the engine adds the SQL position.
 *
 * @example
 * const f = planAnalyticsTableFunction('TOP_K_ITEMS_TUMBLING', cols, ['TICKER', 5, 60]);
 * const run = f.create(); run.push(['AMZN'], t); run.flush() // [{ row: ['AMZN', 1], rowtime: windowEnd }]
 */
export function planAnalyticsTableFunction(
  name: string,
  inputColumns: readonly TableFunctionColumn[],
  args: readonly Value[],
  options: { seed?: number } = {},
): PlannedAnalyticsTableFunction {
  const fn = analyticsTableFunctionName(name);
  if (fn === undefined) throw new PlanError(`${name} is not an analytics table function (${ANALYTICS_TABLE_FUNCTION_NAMES.join(', ')})`);
  switch (fn) {
    case 'RANDOM_CUT_FOREST':
    case 'RANDOM_CUT_FOREST_WITH_EXPLANATION': {
      const explain = fn === 'RANDOM_CUT_FOREST_WITH_EXPLANATION';
      const max = explain ? 5 : 4;
      if (args.length > max) throw argumentCountError(fn, `at most ${max}`, args.length);
      const numbers = ['numberOfTrees', 'subSampleSize', 'timeDecay', 'shingleSize'].map((p, i) =>
        i < args.length ? numberArgument(fn, p, args[i]) : undefined,
      );
      const withDirectionality = explain && args.length > 4 ? booleanArgument(fn, 'withDirectionality', args[4]) : false;
      const plan = planRandomCutForest(
        inputColumns,
        {
          numberOfTrees: numbers[0],
          subSampleSize: numbers[1],
          timeDecay: numbers[2],
          shingleSize: numbers[3],
          withDirectionality,
          seed: options.seed,
        },
        explain,
      );
      return {
        name: fn,
        outputColumns: plan.outputColumns,
        create: () => perRow(new RandomCutForestFunction(plan)),
      };
    }
    case 'HOTSPOTS': {
      if (args.length !== 3) throw argumentCountError(fn, '3', args.length);
      const plan = planHotspots(
        inputColumns,
        numberArgument(fn, 'windowSize', args[0]),
        numberArgument(fn, 'scanRadius', args[1]),
        numberArgument(fn, 'minimumNumberOfPointsInAHotspot', args[2]),
      );
      return { name: fn, outputColumns: plan.outputColumns, create: () => perRow(new HotspotsFunction(plan)) };
    }
    case 'TOP_K_ITEMS_TUMBLING': {
      if (args.length !== 3) throw argumentCountError(fn, '3', args.length);
      const plan = planTopKItemsTumbling(
        inputColumns,
        stringArgument(fn, 'columnName', args[0]),
        numberArgument(fn, 'K', args[1]),
        numberArgument(fn, 'windowSize', args[2]),
      );
      return { name: fn, outputColumns: plan.outputColumns, create: () => windowed(new TopKItemsTumbling(plan)) };
    }
    case 'COUNT_DISTINCT_ITEMS_TUMBLING': {
      if (args.length !== 2) throw argumentCountError(fn, '2', args.length);
      const plan = planCountDistinctItemsTumbling(
        inputColumns,
        stringArgument(fn, 'columnName', args[0]),
        numberArgument(fn, 'windowSize', args[1]),
      );
      return { name: fn, outputColumns: plan.outputColumns, create: () => windowed(new CountDistinctItemsTumbling(plan)) };
    }
    default:
      return unhandledKind('analytics table function', fn);
  }
}

interface PerRowFunction {
  process(row: readonly Value[]): Value[];
  snapshot(): unknown;
  restore(state: unknown): void;
}

function perRow(f: PerRowFunction): AnalyticsTableFunctionInstance {
  return {
    push: (row, rowtime) => [{ row: f.process(row), rowtime }],
    advanceTo: () => [],
    flush: () => [],
    snapshot: () => f.snapshot(),
    restore: (state) => f.restore(state),
  };
}

interface WindowState {
  add(row: readonly Value[], rowtime: number): EmittedRow[];
  advanceTo(time: number): EmittedRow[];
  flush(): EmittedRow[];
  snapshot(): unknown;
  restore(state: unknown): void;
}

function windowed(w: WindowState): AnalyticsTableFunctionInstance {
  return {
    push: (row, rowtime) => w.add(row, rowtime),
    advanceTo: (time) => w.advanceTo(time),
    flush: () => w.flush(),
    snapshot: () => w.snapshot(),
    restore: (state) => w.restore(state),
  };
}

function argumentCountError(fn: string, expected: string, received: number): PlanError {
  return new PlanError(`${fn} takes ${expected} arguments after CURSOR(...). Received ${received}`);
}

function numberArgument(fn: string, parameter: string, value: Value): number {
  if (typeof value !== 'number') throw new PlanError(`${fn}: ${parameter} must be a numeric constant. Received ${describe(value)}`);
  return value;
}

function stringArgument(fn: string, parameter: string, value: Value): string {
  if (typeof value !== 'string') throw new PlanError(`${fn}: ${parameter} must be a character constant in single quotes. Received ${describe(value)}`);
  return value;
}

function booleanArgument(fn: string, parameter: string, value: Value): boolean {
  if (typeof value !== 'boolean') throw new PlanError(`${fn}: ${parameter} must be TRUE or FALSE. Received ${describe(value)}`);
  return value;
}

function describe(value: Value): string {
  return value === null ? 'NULL' : typeof value === 'string' ? `'${value}'` : String(value);
}
