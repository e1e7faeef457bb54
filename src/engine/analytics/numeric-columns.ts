import type { SqlType, Value } from '../../types/sql-type.js';

/** A column of a table function's input or output. */
export interface TableFunctionColumn {
  readonly name: string;
  readonly type: SqlType;
}

/**
 * The column types RANDOM_CUT_FOREST and HOTSPOTS learn from: DOUBLE, INTEGER, FLOAT, TINYINT, SMALLINT, REAL
 * and BIGINT (SQLREF). DECIMAL is documented as unsupported, so a DECIMAL column is passed through unread, like
 * a VARCHAR column.
 */
export function isAnalyticsNumericType(type: SqlType): boolean {
  switch (type.kind) {
    case 'DOUBLE':
    case 'REAL':
    case 'TINYINT':
    case 'SMALLINT':
    case 'INTEGER':
    case 'BIGINT':
      return true;
    default:
      return false;
  }
}

/** Indexes of the columns the algorithm reads, in column order. */
export function numericColumnIndexes(columns: readonly TableFunctionColumn[]): number[] {
  const out: number[] = [];
  columns.forEach((c, i) => {
    if (isAnalyticsNumericType(c.type)) out.push(i);
  });
  return out;
}

/** Copies the numeric values of `row` into `target`; false when one of them is NULL (or not a finite number). */
export function readNumericValues(row: readonly Value[], indexes: readonly number[], target: Float64Array): boolean {
  for (let i = 0; i < indexes.length; i++) {
    const v = row[indexes[i]];
    if (typeof v !== 'number' || !Number.isFinite(v)) return false;
    target[i] = v;
  }
  return true;
}
