/**
 * The contract of input mapping: a KDA input schema turned
 * into a decoder from record payloads to typed rows.
 */
import type { ExecutionError } from '../errors.js';
import type { SqlType, Value } from '../types/sql-type.js';

/** One column of the input schema (KDA `RecordColumn`). */
export interface InputColumnConfig {
  /** The column name as stored: input columns are created quoted, so it is kept exactly as written. */
  name: string;
  /** e.g. `VARCHAR(8)`, `DOUBLE`, `DECIMAL(10,2)`, `TIMESTAMP`. */
  sqlType: string;
  /** JSONPath of the value (JSON only), e.g. `$.TICKER`, `$.orders[0:].orderId`. */
  mapping?: string;
}

/** KDA `InputSchema`: the record format and its columns. */
export interface InputFormatConfig {
  format: 'JSON' | 'CSV';
  /** JSON: the path to the parent of the rows, default `$` (each document is a row). */
  recordRowPath?: string;
  /** CSV: row delimiter, default `\n`. Any non-empty string. */
  rowDelimiter?: string;
  /** CSV: column delimiter, default `,`. Any non-empty string. */
  columnDelimiter?: string;
  columns: InputColumnConfig[];
}

export interface InputDecoder {
  /** Column names as stored (input columns are created quoted: kept exactly as written) and types. */
  readonly columns: readonly { name: string; type: SqlType }[];
  /**
   * Decodes one record payload into zero or more rows (values in `columns` order). A payload may hold several
   * JSON documents back to back or several CSV rows. Each failure -> onError with an ExecutionError whose
   * message says what was wrong and where (column, value); the other rows of the payload still go on.
   * `raw` is the failing part of the payload (the JSON document or the CSV line), of the payload's own type.
   * Exceptions thrown by `onRow`/`onError` propagate to the caller.
   */
  decode(
    payload: Uint8Array | string,
    onRow: (row: Value[]) => void,
    onError: (error: ExecutionError, raw: Uint8Array | string) => void,
  ): void;
}

/** `ExecutionError.errorName` values raised by the decoders (error_stream.ERROR_NAME is VARCHAR(32)). */
export const InputErrorNames = {
  /** The payload is not valid JSON (or a document is not an object or array). */
  PARSE: 'INPUT_PARSE_ERROR',
  /** A value could not be converted to its column's SQL type. */
  COERCION: 'INPUT_COERCION_ERROR',
} as const;
