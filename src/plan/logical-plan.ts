import type { Pos } from '../sql/ast.js';
import type { SqlType, Value } from '../types/sql-type.js';
import type { BoundExpr } from './bound-expr.js';
import type { AggregateKind, AnalyticKind } from './function-kinds.js';
import type { ColumnInfo, StreamInfo } from './schema.js';

/** What every aggregate or analytic call carries: its arguments bound over the input row, its options and type. */
export interface BoundCall<K extends AnalyticKind = AnalyticKind> {
  /** Which function (aliases such as STDDEV already resolved to the kind they stand for). */
  readonly name: K;
  readonly args: readonly BoundExpr[];
  /** COUNT(*). */
  readonly star: boolean;
  readonly distinct: boolean;
  readonly ignoreNulls: boolean;
  readonly fromLast: boolean;
  readonly type: SqlType;
  readonly pos: Pos;
}

/** A sliding window: partition keys and a frame ending at the current row. */
export interface WindowPlan {
  readonly partitionBy: readonly BoundExpr[];
  /** ROWS: how many rows before the current one are included. RANGE: how many ms back (inclusive). */
  readonly unit: 'ROWS' | 'RANGE';
  /** ROWS n PRECEDING -> n; RANGE INTERVAL -> milliseconds; Infinity for UNBOUNDED PRECEDING. */
  readonly size: number;
}

/** An aggregate of GROUP BY or WINDOWED BY STAGGER. */
export type AggregateCall = BoundCall<AggregateKind>;

/** A call OVER a sliding window: any aggregate, or an analytic-only function (LAG, NTH_VALUE, EXP_AVG). */
export interface AnalyticCall extends BoundCall {
  /** Index into the node's `windows`. */
  readonly window: number;
}

/**
 * How a streaming GROUP BY decides that a group is complete. `rowtime`: one key is a function of ROWTIME
 * only (STEP, FLOOR...), the window ends where that function changes value; `monotonic`: a key declared or
 * known monotonic over another column, the group completes when a row with another value arrives.
 */
export type GroupTrigger =
  | { readonly kind: 'rowtime'; readonly keyIndex: number }
  | { readonly kind: 'monotonic'; readonly keyIndex: number };

/** The relational operators of a pump's query. Every node lists its output columns. */
export type RelNode =
  | { readonly kind: 'Scan'; readonly stream: string; readonly columns: readonly ColumnInfo[] }
  | { readonly kind: 'Filter'; readonly input: RelNode; readonly predicate: BoundExpr; readonly columns: readonly ColumnInfo[] }
  | {
      readonly kind: 'Project';
      readonly input: RelNode;
      readonly exprs: readonly BoundExpr[];
      /** `expr AS ROWTIME`: the output row's time; null keeps the input row's. */
      readonly rowtime: BoundExpr | null;
      readonly columns: readonly ColumnInfo[];
    }
  | {
      /** Streaming GROUP BY (tumbling windows). Output row = group keys, then aggregate results. */
      readonly kind: 'Aggregate';
      readonly input: RelNode;
      readonly keys: readonly BoundExpr[];
      readonly trigger: GroupTrigger;
      readonly aggregates: readonly AggregateCall[];
      readonly columns: readonly ColumnInfo[];
    }
  | {
      /** WINDOWED BY STAGGER. Output row = partition keys, then aggregate results. */
      readonly kind: 'Stagger';
      readonly input: RelNode;
      readonly keys: readonly BoundExpr[];
      readonly rangeMs: number;
      readonly aggregates: readonly AggregateCall[];
      readonly columns: readonly ColumnInfo[];
    }
  | {
      /** Sliding windows. Output row = input row, then one column per analytic call. */
      readonly kind: 'Window';
      readonly input: RelNode;
      readonly windows: readonly WindowPlan[];
      readonly calls: readonly AnalyticCall[];
      readonly columns: readonly ColumnInfo[];
    }
  | { readonly kind: 'Union'; readonly inputs: readonly RelNode[]; readonly columns: readonly ColumnInfo[] }
  | {
      /** Streaming ORDER BY: rows are held while the leading (monotonic) key is unchanged, then sorted. */
      readonly kind: 'Sort';
      readonly input: RelNode;
      readonly keys: readonly { readonly expr: BoundExpr; readonly descending: boolean }[];
      readonly columns: readonly ColumnInfo[];
    }
  | {
      /** SELECT STREAM DISTINCT: duplicates are dropped while the monotonic column `resetColumn` keeps its value. */
      readonly kind: 'Distinct';
      readonly input: RelNode;
      readonly resetColumn: number | null;
      readonly columns: readonly ColumnInfo[];
    }
  | {
      /** FROM TABLE(F(CURSOR(input), args)): the function's rows (RCF, HOTSPOTS, TOP_K_ITEMS_TUMBLING...). */
      readonly kind: 'TableFunction';
      readonly input: RelNode;
      readonly fn: TableFunctionCall;
      readonly columns: readonly ColumnInfo[];
    }
  | {
      /**
       * Stream-to-stream join. Output row = left columns, left ROWTIME, right columns, right ROWTIME (a side
       * that is null-extended has NULL there too). A side without a window contributes only its current row.
       */
      readonly kind: 'StreamJoin';
      readonly left: RelNode;
      readonly right: RelNode;
      readonly joinType: 'INNER' | 'LEFT' | 'RIGHT' | 'FULL';
      readonly leftWindow: JoinWindow | null;
      readonly rightWindow: JoinWindow | null;
      readonly keys: JoinKeys;
      /** The rest of the ON condition, over the output row; null when the keys are all of it. */
      readonly residual: BoundExpr | null;
      readonly columns: readonly ColumnInfo[];
    }
  | {
      /**
       * Stream-to-reference-table join: a lookup per stream row. Output row = stream columns, then table
       * columns (NULLs for an unmatched row of a LEFT join). `keys.left` is over the stream row, `keys.right`
       * over a table row.
       */
      readonly kind: 'ReferenceJoin';
      readonly input: RelNode;
      readonly table: string;
      readonly tableColumns: readonly ColumnInfo[];
      readonly outer: boolean;
      readonly keys: JoinKeys;
      readonly residual: BoundExpr | null;
      readonly columns: readonly ColumnInfo[];
    }
  | {
      /** ORDER BY ts WITHIN interval: rows (already re-timed to ts) are held `slackMs` and released in ts order. */
      readonly kind: 'TSort';
      readonly input: RelNode;
      readonly slackMs: number;
      /** Further ORDER BY keys, over the output row, for rows of equal ts. */
      readonly keys: readonly { readonly expr: BoundExpr; readonly descending: boolean }[];
      readonly columns: readonly ColumnInfo[];
    };

export type RelKind = RelNode['kind'];

/**
 * A table function call as plan data: which function and its constant arguments after the CURSOR (the CURSOR
 * is the node's input). The engine builds the running function from this when it builds the operators.
 */
export interface TableFunctionCall {
  readonly name: string;
  readonly args: readonly Value[];
}

/** The window on one side of a stream-to-stream join (SQLREF sql-reference-join-clause). */
export interface JoinWindow {
  /** RANGE: rows at most `size` ms older than the other side's current row (inclusive). ROWS: the latest `size` + 1 rows. */
  readonly unit: 'RANGE' | 'ROWS';
  readonly size: number;
}

/** Equi-join keys taken from the ON condition: `left[i] = right[i]`, each bound over its own side's row. */
export interface JoinKeys {
  readonly left: readonly BoundExpr[];
  readonly right: readonly BoundExpr[];
}

export interface PumpPlan {
  readonly name: string;
  readonly target: string;
  /** For each output column of `query`, its position in the target stream. */
  readonly targetIndexes: readonly number[];
  readonly query: RelNode;
  readonly pos: Pos;
}

export interface ApplicationPlan {
  readonly streams: readonly StreamInfo[];
  readonly pumps: readonly PumpPlan[];
}
