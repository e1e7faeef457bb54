import { readFileSync } from 'node:fs';
import { ConfigError, StreamingAnalyticsError } from '../../../errors.js';
import { compileApplication } from '../../../engine/index.js';
import { parse as parseYaml } from 'yaml';
import { parseSqlType, type SqlType } from '../../../types/sql-type.js';

type Json = Record<string, unknown>;

interface RawColumn {
  name?: unknown;
  sqlType?: unknown;
  Name?: unknown;
  SqlType?: unknown;
}

/** Finds the input schema in the shapes users have at hand: see {@link readSchema}. */
function findInput(doc: Json): { namePrefix?: string; columns: RawColumn[] } | null {
  const detail = (doc.ApplicationDetail ?? doc) as Json;
  const described = Array.isArray(detail.InputDescriptions) ? (detail.InputDescriptions[0] as Json | undefined) : undefined;
  if (described && typeof described.InputSchema === 'object' && described.InputSchema !== null) {
    const rc = (described.InputSchema as Json).RecordColumns;
    if (Array.isArray(rc)) return { namePrefix: described.NamePrefix as string | undefined, columns: rc as RawColumn[] };
  }
  const inputSchema = (doc.InputSchema ?? doc) as Json;
  if (Array.isArray(inputSchema.RecordColumns)) return { namePrefix: doc.NamePrefix as string | undefined, columns: inputSchema.RecordColumns as RawColumn[] };
  const input = (typeof doc.input === 'object' && doc.input !== null ? doc.input : doc) as Json;
  if (Array.isArray(input.columns)) return { namePrefix: input.namePrefix as string | undefined, columns: input.columns as RawColumn[] };
  return null;
}

/**
 * Reads the input schema for `validate --schema`: a plain `{namePrefix?, columns: [{name, sqlType}]}`, a
 * conformance case or an application YAML/JSON file (its `input`), a KDA `InputSchema` (`RecordColumns`), or a
 * KDA DescribeApplication response (`ApplicationDetail.InputDescriptions[0]`).
 */
export function readSchema(file: string): { name: string; columns: { name: string; type: SqlType }[] } {
  let doc: Json;
  try {
    const text = readFileSync(file, 'utf8');
    doc = (/\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text)) as Json;
  } catch (e) {
    throw new ConfigError('--schema', `cannot read ${file}: ${(e as Error).message}`);
  }
  const input = doc && typeof doc === 'object' ? findInput(doc) : null;
  if (input === null) throw new ConfigError('--schema', `${file} has no input columns (expected "columns", "input.columns", "RecordColumns" or "ApplicationDetail.InputDescriptions")`);
  const columns = input.columns.map((c, i) => {
    const name = c.name ?? c.Name;
    const sqlType = c.sqlType ?? c.SqlType;
    if (typeof name !== 'string' || typeof sqlType !== 'string') throw new ConfigError(`columns[${i}]`, 'needs a name and a sqlType');
    try {
      return { name, type: parseSqlType(sqlType) };
    } catch (e) {
      throw new ConfigError(`columns[${i}].sqlType`, (e as Error).message);
    }
  });
  return { name: `${input.namePrefix ?? 'SOURCE_SQL_STREAM'}_001`, columns };
}

/**
 * `streaming-analytics validate <sql-file> [--schema <json>]`: compiles the application without running it.
 * Without a schema the input stream is assumed to have no columns (so column references to it will fail).
 */
export function validateCommand(sqlFile: string, schemaFile?: string, out: (s: string) => void = (s) => process.stdout.write(s), err: (s: string) => void = (s) => process.stderr.write(s)): number {
  const sql = readFileSync(sqlFile, 'utf8');
  const input = schemaFile ? readSchema(schemaFile) : { name: 'SOURCE_SQL_STREAM_001', columns: [] };
  try {
    const app = compileApplication({ sql, inputs: [input] });
    out(`${sqlFile}: OK (${app.streams.length} stream(s), ${app.plan.pumps.length} pump(s))\n`);
    return 0;
  } catch (e) {
    if (e instanceof StreamingAnalyticsError) {
      err(`${sqlFile}: ${e.name}: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
