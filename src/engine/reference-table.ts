import { ConfigError } from '../errors.js';
import type { SqlType, Value } from '../types/sql-type.js';
import { assignValue } from './assign-value.js';

/**
 * An in-application reference-data table: rows loaded before the first record and replaced only when reloaded
 * on request (KDA never refreshes a table by itself). Lookup operators rebuild their index when `version` moves.
 */
export class ReferenceTable {
  private current: Value[][] = [];
  version = 0;

  constructor(
    readonly name: string,
    readonly columns: readonly { readonly name: string; readonly type: SqlType }[],
    rows: readonly (readonly Value[])[],
  ) {
    this.load(rows);
  }

  get rows(): readonly Value[][] {
    return this.current;
  }

  /** Replaces every row; values are fitted to the column types as an INSERT would (VARCHAR(n) truncates...). */
  load(rows: readonly (readonly Value[])[]): void {
    const cols = this.columns;
    this.current = rows.map((r, i) => {
      if (r.length !== cols.length) throw new ConfigError(`references.${this.name}`, `row ${i + 1} has ${r.length} values, the table has ${cols.length} columns`);
      return cols.map((c, j) => assignValue(r[j], c.type, c.type));
    });
    this.version++;
  }
}
