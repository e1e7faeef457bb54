/**
 * The application's input as Flink tables: a raw source table (Kinesis, or a local file of arrival-stamped
 * records) whose `data` column is the record payload, split into documents or CSV lines by SA_RECORDS and mapped
 * to the input schema's columns (JSONPath mappings, CSV positions, types) in the in-application input stream's
 * view. ROWTIME is the record's approximate arrival time, an event-time attribute with a watermark.
 */
import { UnsupportedTranslationError } from '../errors.js';
import type { InputFormatConfig } from '../input/index.js';
import { APPROXIMATE_ARRIVAL_TIME, type StreamInfo } from '../plan/index.js';
import type { SqlType } from '../types/sql-type.js';
import { dayTimeIntervalLiteral, flinkType, quoteIdent, quoteString } from './flink-dialect.js';
import { coerceWrappedValue, isCoercedType, wrappedJsonValue, wrappedTextValue } from './input-coercion.js';
import { jsonRowsPlan } from './json-rows.js';

/** Where the records come from. */
export type FlinkSource =
  /** A Kinesis data stream through Flink's Kinesis connector (it de-aggregates KPL records itself). */
  | { readonly kind: 'kinesis'; readonly streamName: string; readonly region?: string; readonly endpoint?: string; readonly startingPosition?: 'LATEST' | 'TRIM_HORIZON' }
  /** NDJSON lines `{"at": "YYYY-MM-DD HH:MM:SS.SSS", "arrival": ..., "data": "<payload>"}` in arrival order. */
  | { readonly kind: 'file'; readonly path: string };

export const RAW_SOURCE = quoteIdent('__source');
const RECORDS = quoteIdent('__records');
const DOCUMENTS = quoteIdent('__documents');

/**
 * How late a record may arrive behind the newest one and still count (the watermark delay). 1 ms for a file in
 * arrival order keeps rows of equal ROWTIME in time; Kinesis shards are read in parallel, so their arrival times
 * interleave: one second by default.
 */
export function defaultWatermarkDelayMs(source: FlinkSource): number {
  return source.kind === 'file' ? 1 : 1000;
}

export function sourceTable(source: FlinkSource, watermarkDelayMs: number): string {
  const wm = `WATERMARK FOR ${quoteIdent('at')} AS ${quoteIdent('at')} - ${dayTimeIntervalLiteral(watermarkDelayMs)}`;
  if (source.kind === 'file') {
    return [
      `CREATE TEMPORARY TABLE ${RAW_SOURCE} (${quoteIdent('at')} TIMESTAMP(3), ${quoteIdent('arrival')} TIMESTAMP(3), ${quoteIdent('data')} STRING, ${wm})`,
      `WITH ('connector' = 'filesystem', 'path' = ${quoteString(source.path)}, 'format' = 'json', 'json.timestamp-format.standard' = 'SQL')`,
    ].join('\n');
  }
  const opts: [string, string][] = [
    ['connector', 'kinesis'],
    ['stream', source.streamName],
    ['format', 'raw'],
    ['raw.charset', 'UTF-8'],
    ['scan.stream.initpos', source.startingPosition ?? 'LATEST'],
  ];
  if (source.region) opts.push(['aws.region', source.region]);
  if (source.endpoint) opts.push(['aws.endpoint', source.endpoint]);
  return [
    `CREATE TEMPORARY TABLE ${RAW_SOURCE} (${quoteIdent('data')} STRING, ${quoteIdent('arrival_ltz')} TIMESTAMP_LTZ(3) METADATA FROM 'timestamp' VIRTUAL,`,
    `  ${quoteIdent('at')} AS CAST(${quoteIdent('arrival_ltz')} AS TIMESTAMP(3)), ${quoteIdent('arrival')} AS CAST(${quoteIdent('arrival_ltz')} AS TIMESTAMP(3)), ${wm})`,
    `WITH (${opts.map(([k, v]) => `${quoteString(k)} = ${quoteString(v)}`).join(', ')})`,
  ].join('\n');
}

function jsonColumn(path: string, t: SqlType): string {
  const doc = `${RECORDS}.${quoteIdent('doc')}`;
  const value = `JSON_VALUE(${doc}, ${quoteString(path)})`;
  if (t.kind === 'VARCHAR' || t.kind === 'CHAR') {
    // A mapping onto an object or array takes its JSON text (JSON_VALUE gives only scalars).
    return `CAST(COALESCE(${value}, JSON_QUERY(${doc}, ${quoteString(path)})) AS ${flinkType(t)})`;
  }
  return `TRY_CAST(${value} AS ${flinkType(t)})`;
}

/** A column of the input view: an expression, or a source value (`wrapped`) that `coerce` converts. */
type InputItem = { readonly name: string; readonly expr: string } | { readonly name: string; readonly wrapped: string; readonly coerce: (w: string) => string };

/**
 * The input view's query. A row some of whose values do not fit their columns is not ingested (KDA sends it to
 * error_stream): only rows where every coerced column has a value, or had none to coerce, are kept. The source values
 * are read once (inner query), converted once (middle), and the filter reads both (outer).
 */
function inputQuery(items: readonly InputItem[], from: string): string {
  const w = (i: number) => quoteIdent(`__w${i}`);
  const name = (it: InputItem) => quoteIdent(it.name);
  const read = items.map((it, i) => ('expr' in it ? `${it.expr} AS ${name(it)}` : `${it.wrapped} AS ${w(i)}`));
  const converted = items.map((it, i) => ('expr' in it ? name(it) : `${it.coerce(w(i))} AS ${name(it)}, ${w(i)}`));
  const checks = items.flatMap((it, i) => ('expr' in it ? [] : [`(${name(it)} IS NOT NULL OR ${w(i)} IS NULL OR ${w(i)} = '[]')`]));
  if (checks.length === 0) return `SELECT ${read.join(', ')} FROM ${from}`;
  return `SELECT ${items.map(name).join(', ')} FROM (SELECT ${converted.join(', ')} FROM (SELECT ${read.join(', ')} FROM ${from})) WHERE ${checks.join(' AND ')}`;
}

/** The view of the in-application input stream over the raw source. */
export function inputStreamView(stream: StreamInfo, format: InputFormatConfig): string {
  const cols = stream.columns.filter((c) => c.name !== APPROXIMATE_ARRIVAL_TIME);
  let split: string;
  let rowsOfDocument: string | null = null;
  let mapped: InputItem[];
  if (format.format === 'JSON') {
    const rowPath = format.recordRowPath ?? '$';
    if (rowPath !== '$') throw new UnsupportedTranslationError(`the record row path ${rowPath} is not translated (only $: each JSON document is a row)`);
    split = `SA_RECORDS(${RAW_SOURCE}.${quoteIdent('data')}, 'JSON', '')`;
    // Mappings with [0:] (a flattened array, a whole array as text): SA_JSON_ROWS makes each row's document.
    const rows = jsonRowsPlan(cols, format.columns);
    if (rows.spec !== null) rowsOfDocument = `SA_JSON_ROWS(${DOCUMENTS}.${quoteIdent('doc')}, ${quoteString(rows.spec)})`;
    mapped = cols.map((c, i) => {
      const path = rows.mappings[i];
      return !isCoercedType(c.type)
        ? { name: c.name, expr: jsonColumn(path, c.type) }
        : { name: c.name, wrapped: wrappedJsonValue(`${RECORDS}.${quoteIdent('doc')}`, quoteString(path)), coerce: (w: string) => coerceWrappedValue(w, c.type) ?? w };
    });
  } else {
    split = `SA_RECORDS(${RAW_SOURCE}.${quoteIdent('data')}, 'CSV', ${quoteString(format.rowDelimiter ?? '\n')})`;
    const delim = format.columnDelimiter ?? ',';
    mapped = cols.map((c, i) => {
      const field = `SPLIT_INDEX(${RECORDS}.${quoteIdent('doc')}, ${quoteString(delim)}, ${i})`;
      return !isCoercedType(c.type)
        ? { name: c.name, expr: `TRY_CAST(${field} AS ${flinkType(c.type)})` }
        : { name: c.name, wrapped: wrappedTextValue(field), coerce: (w: string) => coerceWrappedValue(w, c.type) ?? w };
    });
  }
  const items: InputItem[] = [{ name: 'ROWTIME', expr: `${RAW_SOURCE}.${quoteIdent('at')}` }, ...mapped, { name: APPROXIMATE_ARRIVAL_TIME, expr: `${RAW_SOURCE}.${quoteIdent('arrival')}` }];
  const laterals = rowsOfDocument === null
    ? `LATERAL TABLE(${split}) AS ${RECORDS}(${quoteIdent('doc')})`
    : `LATERAL TABLE(${split}) AS ${DOCUMENTS}(${quoteIdent('doc')}), LATERAL TABLE(${rowsOfDocument}) AS ${RECORDS}(${quoteIdent('doc')})`;
  return `CREATE TEMPORARY VIEW ${quoteIdent(stream.name)} AS ${inputQuery(items, `${RAW_SOURCE}, ${laterals}`)}`;
}
