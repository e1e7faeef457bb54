/**
 * The contract between the application and its outputs. The application hands over result rows already shaped
 * for output (stored column names, ROWTIME as text); a sink encodes, buffers and delivers them.
 */

/** One result row of an in-application stream, ready to encode. */
export interface OutputRow {
  /** The in-application stream the row belongs to (`error_stream` for error rows). */
  readonly stream: string;
  /** Column name -> JSON-ready value, in column order; includes ROWTIME as "YYYY-MM-DD HH:MM:SS.SSS". */
  readonly row: Record<string, unknown>;
  /** The row's ROWTIME in epoch milliseconds. */
  readonly rowtime: number;
}

/**
 * A destination for result rows.
 *
 * `write` may buffer; `flush` delivers everything buffered and resolves once it is durable at the destination;
 * `close` flushes and releases timers and connections. A failed delivery rejects the `write`, `flush` or `close`
 * call that triggered it, or, for a delivery started by the buffer interval, the next call.
 */
export interface Sink {
  /**
   * @param rows the rows, in order
   * @param position the checkpoint token of the input that produced these rows. Object sinks derive object
   *   keys from it, so re-writing the same rows with the same position after a restart replaces the objects
   *   written before instead of adding new ones.
   */
  write(rows: readonly OutputRow[], position?: string): Promise<void>;
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** What an object sink reports after each delivered object (for progress displays and metrics). */
export interface DeliveredObject {
  /** The object key (for a local bucket, the path relative to the bucket folder, with `/` separators). */
  readonly key: string;
  readonly stream: string;
  readonly rows: number;
  readonly bytes: number;
}

/** The name of KDA's error stream; rows of this stream go under the error prefix. */
export const ERROR_STREAM = 'error_stream';
