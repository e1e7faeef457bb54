/**
 * A conformance case as a Flink run: the application translated from its bound plan (the engine's function
 * registry binds it, as `translate` does), its records as an arrival-stamped NDJSON file (event time = the
 * case's arrival times), and a JSON-lines sink per in-application stream, stamped with ROWTIME.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { compileApplication } from '../../src/engine/index.js';
import { createInputDecoder, type InputFormatConfig } from '../../src/input/index.js';
import { translateApplication, type FlinkTranslation } from '../../src/translate/index.js';

export interface FlinkCase {
  name: string;
  input: InputFormatConfig & { namePrefix?: string };
  reference?: (InputFormatConfig & { tableName: string; data?: unknown })[];
  sql: string;
  records: { at: string; arrival?: string; data: unknown }[];
  endAt?: string;
  expect?: Record<string, { ordered?: boolean; rows?: unknown[]; count?: number }>;
  expectError?: boolean;
  tolerance?: number;
}

function sqlTime(iso: string): string {
  return new Date(Date.parse(iso)).toISOString().replace('T', ' ').replace('Z', '');
}

/** Writes the case's records for the file source (flink/README.md) and returns the translation. */
export function translateCase(c: FlinkCase, dir: string): FlinkTranslation & { output: string; streams: string[] } {
  const decoder = createInputDecoder(c.input);
  const app = compileApplication({
    sql: c.sql,
    inputs: [{ name: `${c.input.namePrefix ?? 'SOURCE_SQL_STREAM'}_001`, columns: decoder.columns.map((x) => ({ name: x.name, type: x.type })) }],
    references: (c.reference ?? []).map((r) => ({ name: r.tableName, columns: createInputDecoder(r).columns.map((x) => ({ name: x.name, type: x.type })), rows: [] })),
  });
  const records = path.join(dir, 'records.jsonl');
  writeFileSync(
    records,
    c.records.map((r) => JSON.stringify({ at: sqlTime(r.at), arrival: sqlTime(r.arrival ?? r.at), data: typeof r.data === 'string' ? r.data : JSON.stringify(r.data) })).join('\n') + '\n',
  );
  // Each reference table's object as a file, its content as replay reads the case (text as is, else its JSON).
  const references = (c.reference ?? []).map((r, i) => {
    const file = path.join(dir, `reference-${i}.data`);
    writeFileSync(file, typeof r.data === 'string' ? r.data : JSON.stringify(r.data ?? ''));
    const { data: _data, tableName, ...format } = r;
    return { tableName, format, location: `file://${file}` };
  });
  const output = path.join(dir, 'rows.jsonl');
  writeFileSync(output, '');
  const streams = app.streams.map((s) => s.name).filter((n) => app.plan.pumps.some((p) => p.target === n));
  const t = translateApplication({
    plan: app.plan,
    input: c.input,
    source: { kind: 'file', path: records },
    references,
    ...(c.endAt !== undefined ? { stopAt: Date.parse(c.endAt) } : {}),
    sinks: streams.map((stream) => ({ stream, format: 'JSON', includeRowtime: true, target: { kind: 'jsonl', path: output } })),
  });
  return { ...t, output, streams };
}
