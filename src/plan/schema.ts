import type { SqlType } from '../types/sql-type.js';
import type { BoundExpr } from './bound-expr.js';

/** One column of a stream or of an intermediate relation. `name` is the stored name (exact). */
export interface ColumnInfo {
  readonly name: string;
  readonly type: SqlType;
  readonly notNull?: boolean;
  /** The column always equals this expression of its row's ROWTIME (see column-traits.ts). */
  readonly ofRowtime?: BoundExpr;
  /** The column's values never change direction along the rows (see column-traits.ts). */
  readonly monotonic?: boolean;
}

/** An in-application stream: an input stream (created by the service, names quoted) or one made by CREATE STREAM. */
export interface StreamInfo {
  readonly name: string;
  readonly columns: readonly ColumnInfo[];
  readonly kind: 'input' | 'app';
}

/** The system column every input stream has besides its schema columns (DG timestamps-rowtime-concepts). */
export const APPROXIMATE_ARRIVAL_TIME = 'APPROXIMATE_ARRIVAL_TIME';
/** The reserved system stream that receives errors; an application cannot create or read it. */
export const ERROR_STREAM = 'error_stream';
