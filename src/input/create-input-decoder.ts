import { ConfigError } from '../errors.js';
import type { SqlType } from '../types/sql-type.js';
import { parseSqlType } from '../types/sql-type.js';
import { CsvRecordDecoder } from './csv-record-decoder.js';
import type { InputDecoder, InputFormatConfig } from './input-decoder.js';
import type { PathSegment } from './json-path.js';
import { parseJsonPath } from './json-path.js';
import { JsonRecordDecoder } from './json-record-decoder.js';

/** KDA's limit on RecordColumns (API_SourceSchema). */
const MAX_COLUMNS = 1000;

function sameSegment(a: PathSegment, b: PathSegment): boolean {
  if (a.kind === 'key') return b.kind === 'key' && a.name === b.name;
  if (a.kind === 'index') return b.kind === 'index' && a.index === b.index;
  return b.kind === 'all';
}

/**
 * A column mapping relative to the row. KDA schemas write mappings from the document root (`$.x`) even when
 * a record row path selects nested rows; a mapping that repeats the row path (`$.records[0:].x` under
 * `$.records[0:]`) is accepted too, and that prefix is dropped.
 */
function relativeToRow(segments: PathSegment[], rowPath: readonly PathSegment[]): PathSegment[] {
  if (rowPath.length === 0 || segments.length < rowPath.length) return segments;
  return rowPath.every((s, i) => sameSegment(s, segments[i])) ? segments.slice(rowPath.length) : segments;
}

/**
 * Builds the decoder of a KDA input schema. Validates the whole configuration first and throws
 * ConfigError naming the field (`columns[2].mapping`, `rowDelimiter`...) with what was wrong.
 *
 * @example
 * const decoder = createInputDecoder({
 *   format: 'JSON',
 *   columns: [
 *     { name: 'TICKER', sqlType: 'VARCHAR(4)', mapping: '$.TICKER' },
 *     { name: 'PRICE', sqlType: 'DOUBLE', mapping: '$.PRICE' },
 *   ],
 * });
 * decoder.decode('{"TICKER":"AMZN","PRICE":84.51}', (row) => rows.push(row), (err) => errors.push(err));
 * // rows: [['AMZN', 84.51]]
 */
export function createInputDecoder(config: InputFormatConfig): InputDecoder {
  if (config === null || typeof config !== 'object') throw new ConfigError('input', 'an input format configuration object is required');
  const format = config.format;
  if (format !== 'JSON' && format !== 'CSV') throw new ConfigError('format', `must be 'JSON' or 'CSV'. Received ${JSON.stringify(format)}`);
  const columns = config.columns;
  if (!Array.isArray(columns) || columns.length === 0) throw new ConfigError('columns', 'at least one column is required');
  if (columns.length > MAX_COLUMNS) throw new ConfigError('columns', `at most ${MAX_COLUMNS} columns are allowed. Received ${columns.length}`);

  const names: string[] = [];
  const types: SqlType[] = [];
  const seen = new Map<string, number>();
  columns.forEach((column, i) => {
    if (column === null || typeof column !== 'object') throw new ConfigError(`columns[${i}]`, 'must be an object with name and sqlType');
    const name = column.name;
    if (typeof name !== 'string' || name.length === 0) throw new ConfigError(`columns[${i}].name`, 'a non-empty column name is required');
    const previous = seen.get(name);
    if (previous !== undefined) throw new ConfigError(`columns[${i}].name`, `column name "${name}" is already used by columns[${previous}]`);
    seen.set(name, i);
    if (typeof column.sqlType !== 'string') throw new ConfigError(`columns[${i}].sqlType`, 'a SQL type is required (e.g. VARCHAR(16))');
    let type: SqlType;
    try {
      type = parseSqlType(column.sqlType);
    } catch (e) {
      throw new ConfigError(`columns[${i}].sqlType`, (e as Error).message, { cause: e });
    }
    names.push(name);
    types.push(type);
  });

  if (format === 'CSV') {
    for (const field of ['rowDelimiter', 'columnDelimiter'] as const) {
      const v = config[field];
      if (v !== undefined && (typeof v !== 'string' || v.length === 0)) throw new ConfigError(field, 'must be a non-empty string');
    }
    const rowDelimiter = config.rowDelimiter ?? '\n';
    const columnDelimiter = config.columnDelimiter ?? ',';
    if (rowDelimiter === columnDelimiter) {
      throw new ConfigError('columnDelimiter', `must differ from rowDelimiter (both are ${JSON.stringify(rowDelimiter)})`);
    }
    columns.forEach((column, i) => {
      if (column.mapping !== undefined && column.mapping !== null && column.mapping !== '') {
        throw new ConfigError(`columns[${i}].mapping`, 'CSV columns are mapped by position and take no mapping');
      }
    });
    return new CsvRecordDecoder({ names, types, rowDelimiter, columnDelimiter });
  }

  let rowPath: PathSegment[];
  try {
    rowPath = parseJsonPath(config.recordRowPath ?? '$');
  } catch (e) {
    throw new ConfigError('recordRowPath', (e as Error).message, { cause: e });
  }
  if (rowPath.filter((s) => s.kind === 'all').length > 1) {
    throw new ConfigError('recordRowPath', 'only one [0:] is allowed in the record row path');
  }
  const paths = columns.map((column, i) => {
    if (column.mapping === undefined || column.mapping === null || column.mapping === '') {
      throw new ConfigError(`columns[${i}].mapping`, 'a JSONPath mapping is required for JSON columns (e.g. $.TICKER)');
    }
    try {
      return relativeToRow(parseJsonPath(column.mapping), rowPath);
    } catch (e) {
      throw new ConfigError(`columns[${i}].mapping`, (e as Error).message, { cause: e });
    }
  });
  return new JsonRecordDecoder({ names, types, paths, rowPath }, (column, message) => {
    throw new ConfigError(`columns[${column}].mapping`, message);
  });
}
