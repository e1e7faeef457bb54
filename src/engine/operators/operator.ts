import type { Value } from '../../types/sql-type.js';

/** Hands a row (and its ROWTIME) to the next operator. */
export type Emit = (row: Value[], rowtime: number) => void;

/**
 * One streaming operator. Rows arrive through `push` in non-decreasing ROWTIME; `advance` says no row
 * older than `time` will come any more (a rowtime bound: windows up to it may close); `flush` is end of input.
 */
export interface Operator {
  readonly name: string;
  push(row: Value[], rowtime: number): void;
  advance(time: number): void;
  /**
   * The earliest time at which this operator will emit without a new row (a window end), or Infinity. The
   * engine advances all operators through these instants in order, so rows of several pumps that meet in one
   * stream stay in ROWTIME order.
   */
  nextDeadline?(): number;
  /**
   * The lowest ROWTIME this operator may still emit, given that its input will bring no row older than
   * `inputBound`. Absent: the operator never emits a row older than its input bound (it emits at a row's own
   * time or at a window end still ahead). Operators that hold rows back and release them with older ROWTIMEs
   * (streaming ORDER BY, T-sort) answer here, so what reads their output is not advanced past what is to come.
   */
  outputBound?(inputBound: number): number;
  flush(): void;
  snapshot(): unknown;
  restore(state: unknown): void;
}

/** Base for operators without state or time behaviour. */
export abstract class StatelessOperator implements Operator {
  abstract readonly name: string;
  abstract push(row: Value[], rowtime: number): void;
  advance(_time: number): void {}
  flush(): void {}
  snapshot(): unknown {
    return null;
  }
  restore(_state: unknown): void {}
}
