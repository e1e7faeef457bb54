import { readFileSync } from 'node:fs';
import { ConfigError } from '../../../errors.js';
import { compileApplication, jsonErrorRow, jsonRow } from '../../../engine/index.js';
import { createInputDecoder, type InputFormatConfig } from '../../../app/input/index.js';

/** A conformance case (../shared/conformance/README.md, "Case format"). Only the fields replay needs. */
export interface ReplayCase {
  input: InputFormatConfig & { namePrefix?: string };
  reference?: unknown[];
  sql: string;
  records: { at: string; arrival?: string; data: unknown }[];
  endAt?: string;
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
  const app = compileApplication({
    sql: c.sql,
    inputs: [{ name: inputName, columns: decoder.columns.map((col) => ({ name: col.name, type: col.type })) }],
    ...(c.reference && c.reference.length > 0 ? { references: [] } : {}),
    options: { clock: () => now },
  });
  if (c.reference && c.reference.length > 0) throw new ConfigError('reference', 'reference data tables are not supported yet');
  const columnsOf = new Map(app.streams.map((s) => [s.name, s.columns]));
  const engine = app.start();
  engine.onRow((stream, row, rowtime) => out(JSON.stringify({ stream, row: jsonRow(columnsOf.get(stream)!, row, rowtime) })));
  engine.onError((e) => out(JSON.stringify({ stream: 'error_stream', row: jsonErrorRow(e) })));
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
