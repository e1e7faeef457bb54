import type { Value } from '../../types/sql-type.js';
import { encodeValue } from '../snapshot-codec.js';
import type { Emit, Operator } from './operator.js';

/**
 * SELECT STREAM DISTINCT: drops a row equal to one already emitted. The memory of seen rows is cleared when
 * the monotonic column `resetColumn` (or, without one, the ROWTIME) changes value, since later rows cannot
 * repeat earlier ones there.
 */
export class DistinctOperator implements Operator {
  readonly name = 'Distinct';
  private seen = new Set<string>();
  private current: Value | undefined = undefined;

  constructor(
    private readonly resetColumn: number | null,
    private readonly emit: Emit,
  ) {}

  push(row: Value[], rowtime: number): void {
    const marker = this.resetColumn === null ? rowtime : row[this.resetColumn];
    if (marker !== this.current) {
      this.seen.clear();
      this.current = marker;
    }
    const key = JSON.stringify(row.map(encodeValue));
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.emit(row, rowtime);
  }

  advance(_time: number): void {}
  flush(): void {}
  snapshot(): unknown {
    return { seen: [...this.seen], current: this.current === undefined ? null : encodeValue(this.current) };
  }
  restore(state: unknown): void {
    const s = state as { seen: string[]; current: Value };
    this.seen = new Set(s.seen);
    this.current = s.current;
  }
}
