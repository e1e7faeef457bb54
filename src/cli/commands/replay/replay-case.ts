import { readFileSync } from 'node:fs';
import { ConfigError, ExecutionError } from '../../../errors.js';
import { compileApplication, jsonErrorRow, jsonRow } from '../../../engine/index.js';
import { createInputDecoder, type InputFormatConfig } from '../../../input/index.js';
import type { SqlType, Value } from '../../../types/sql-type.js';

/**
 * A conformance case: the application (SQL, input schema, reference tables inline), its records with their ROWTIME
 * (`at`) and arrival time, and when the clock ends. Only the fields replay needs; a case file may hold more (its
 * expected rows, for the conformance suite).
 */
export interface ReplayCase {
  input: InputFormatConfig & { namePrefix?: string };
  reference?: ReplayReference[];
  sql: string;
  records: { at: string; arrival?: string; data: unknown }[];
  endAt?: string;
}

/** A case's reference table: the input schema model plus the table name and its content inline. */
export type ReplayReference = InputFormatConfig & { tableName: string; data: unknown };

/**
 * Decodes an inline reference table with the same input decoder as the stream (CSV or JSON mapping, types,
 * truncation), as the pipeline's loader does for a file or S3 object. A row that does not decode is not loaded:
 * it is collected in `rejected` and reported on error_stream once the engine runs.
 */
function loadInlineReference(
  r: ReplayReference,
  i: number,
  rejected: { error: ExecutionError; raw: Uint8Array | string }[],
): { name: string; columns: { name: string; type: SqlType }[]; rows: Value[][] } {
  if (typeof r.tableName !== 'string' || r.tableName === '') throw new ConfigError(`reference[${i}].tableName`, 'a reference table needs a tableName');
  const decoder = createInputDecoder(r);
  const rows: Value[][] = [];
  const payload = typeof r.data === 'string' ? r.data : JSON.stringify(r.data ?? '');
  decoder.decode(
    payload,
    (row) => rows.push(row),
    (e, raw) => rejected.push({ error: new ExecutionError(e.errorName, `reference table ${r.tableName}: ${e.message}`), raw }),
  );
  return { name: r.tableName, columns: decoder.columns.map((c) => ({ name: c.name, type: c.type })), rows };
}

function instant(text: string, field: string): number {
  const t = Date.parse(text);
  if (Number.isNaN(t)) throw new ConfigError(field, `'${text}' is not an ISO-8601 time`);
  return t;
}

/**
 * Runs a case: compiles its application (SQL errors are thrown before any record is read), feeds every record
 * at its arrival time, then moves the clock to `endAt` or finishes (every open window flushes). Calls `out`
 * with one JSON line per row of any CREATE STREAM stream and of error_stream, in production order.
 */
export function replayCase(c: ReplayCase, out: (line: string) => void): void {
  const inputName = `${c.input.namePrefix ?? 'SOURCE_SQL_STREAM'}_001`;
  const decoder = createInputDecoder(c.input);
  // The simulated clock: the arrival time of the record being processed (CURRENT_ROW_TIMESTAMP, ERROR_TIME);
  // the query starts at the first record's time (LOCALTIMESTAMP).
  let now = c.records.length > 0 ? instant(c.records[0].at, 'records[0].at') : 0;
  const rejected: { error: ExecutionError; raw: Uint8Array | string }[] = [];
  const app = compileApplication({
    sql: c.sql,
    inputs: [{ name: inputName, columns: decoder.columns.map((col) => ({ name: col.name, type: col.type })) }],
    references: (c.reference ?? []).map((r, i) => loadInlineReference(r, i, rejected)),
    options: { clock: () => now },
  });
  const columnsOf = new Map(app.streams.map((s) => [s.name, s.columns]));
  const engine = app.start();
  engine.onRow((stream, row, rowtime) => out(JSON.stringify({ stream, row: jsonRow(columnsOf.get(stream)!, row, rowtime) })));
  engine.onError((e) => out(JSON.stringify({ stream: 'error_stream', row: jsonErrorRow(e) })));
  for (const r of rejected) engine.reportError(r.error, r.raw, null);
  c.records.forEach((r, i) => {
    const at = instant(r.at, `records[${i}].at`);
    const arrival = r.arrival === undefined ? at : instant(r.arrival, `records[${i}].arrival`);
    now = at;
    const payload = typeof r.data === 'string' ? r.data : JSON.stringify(r.data);
    decoder.decode(
      payload,
      (row) => engine.insert(inputName, row, at, arrival),
      (e, raw) => engine.reportError(e, raw, at),
    );
  });
  if (c.endAt !== undefined) {
    const end = instant(c.endAt, 'endAt');
    now = Math.max(now, end);
    engine.advanceTo(end);
  } else engine.finish();
}

export function readCase(file: string): ReplayCase {
  const text = readFileSync(file, 'utf8');
  try {
    return JSON.parse(text) as ReplayCase;
  } catch (e) {
    throw new ConfigError(file, `not valid JSON: ${(e as Error).message}`);
  }
}
