import type { Value } from '../../types/sql-type.js';
import type { Evaluator } from '../compile-expression.js';
import { type Emit, StatelessOperator } from './operator.js';

/** WHERE / HAVING: passes rows whose predicate is TRUE (not FALSE, not UNKNOWN). */
export class FilterOperator extends StatelessOperator {
  readonly name = 'Filter';
  constructor(
    private readonly predicate: Evaluator,
    private readonly emit: Emit,
  ) {
    super();
  }
  push(row: Value[], rowtime: number): void {
    if (this.predicate(row, rowtime) === true) this.emit(row, rowtime);
  }
}
