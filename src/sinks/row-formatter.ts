/**
 * Encodes output rows as text lines, the way KDA writes them to its destinations: JSON (one object per line)
 * or CSV (values in column order, no header).
 */
import { ConfigError } from '../errors.js';

export type OutputFormat = 'JSON' | 'CSV';

export interface RowFormatOptions {
  format: OutputFormat;
  /** CSV only: the column delimiter. Default `,`. */
  csvDelimiter?: string;
  /** The record terminator appended to every row. Default `\n`. */
  lineTerminator?: string;
  /**
   * Keep the row's ROWTIME as its first field. Default false: KDA delivers exactly the in-application stream's
   * columns (ROWTIME is not returned unless selected as a column), and consumers read CSV fields by position.
   */
  includeRowtime?: boolean;
}

/** Turns one row object into one line (terminator included). */
export type RowFormatter = (row: Record<string, unknown>) => string;

/**
 * @example
 * createRowFormatter({ format: 'CSV' })({ TICKER: 'AMZN', NOTE: 'a,b' }) // 'AMZN,"a,b"\n'
 * createRowFormatter({ format: 'CSV' })({ ROWTIME: '2026-01-01 00:00:01.000', N: 1 }) // '1\n'
 */
export function createRowFormatter(options: RowFormatOptions): RowFormatter {
  const formatter = createFormatter(options);
  if (options.includeRowtime === true) return formatter;
  return (row) => formatter(deliveredRow(row));
}

/** The ROWTIME key rows carry for the runtime (object keys, replay output). */
export const ROWTIME_KEY = 'ROWTIME';

/**
 * The row as a destination receives it: the stream's columns in declared order, without the ROWTIME the runtime
 * keeps beside them. An error_stream row has no ROWTIME key and stays as it is.
 */
export function deliveredRow(row: Record<string, unknown>): Record<string, unknown> {
  if (!Object.hasOwn(row, ROWTIME_KEY)) return row;
  const { [ROWTIME_KEY]: _rowtime, ...columns } = row;
  return columns;
}

function createFormatter(options: RowFormatOptions): RowFormatter {
  const terminator = options.lineTerminator ?? '\n';
  if (options.format === 'JSON') {
    return (row) => JSON.stringify(row, jsonReplacer) + terminator;
  }
  if (options.format !== 'CSV') {
    throw new ConfigError('format', `unknown output format '${String(options.format)}'; expected JSON or CSV`);
  }
  const delimiter = options.csvDelimiter ?? ',';
  if (delimiter === '' || delimiter.includes('"') || delimiter.includes('\n') || delimiter.includes('\r')) {
    throw new ConfigError('csvDelimiter', `a CSV delimiter must be non-empty and hold no quote or line break; received ${JSON.stringify(delimiter)}`);
  }
  return (row) => {
    let line = '';
    let first = true;
    for (const key in row) {
      if (!first) line += delimiter;
      first = false;
      line += formatCsvValue(row[key], delimiter);
    }
    return line + terminator;
  };
}

/**
 * One CSV field: NULL is empty; text is quoted (quotes doubled) when it holds the delimiter, a quote, a line
 * break, or starts or ends with a space (which a reader would otherwise trim); nested values (ROW) as JSON.
 */
export function formatCsvValue(value: unknown, delimiter = ','): string {
  if (value === null || value === undefined) return '';
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') text = String(value);
  else text = JSON.stringify(value, jsonReplacer);
  const needsQuotes =
    text.includes(delimiter) || text.includes('"') || text.includes('\n') || text.includes('\r') ||
    (text.length > 0 && (text[0] === ' ' || text[text.length - 1] === ' '));
  return needsQuotes ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Rows are meant to be JSON-ready; these two cases would otherwise throw or print `{}`. */
function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  return value;
}
