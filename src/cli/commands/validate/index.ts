import { readFileSync } from 'node:fs';
import { ConfigError, StreamingAnalyticsError } from '../../../errors.js';
import { compileApplication } from '../../../engine/index.js';
import { parseSqlType, type SqlType } from '../../../types/sql-type.js';

interface SchemaFile {
  namePrefix?: string;
  columns?: { name: string; sqlType: string }[];
  input?: { namePrefix?: string; columns: { name: string; sqlType: string }[] };
  /** A case file's reference tables: only their names and columns matter for validation. */
  reference?: { tableName: string; columns: { name: string; sqlType: string }[] }[];
}

/** The reference tables a schema file (a case file) declares, with no rows. */
export function readReferenceTables(file: string): { name: string; columns: { name: string; type: SqlType }[]; rows: [] }[] {
  const s = JSON.parse(readFileSync(file, 'utf8')) as SchemaFile;
  return (s.reference ?? []).map((r, i) => ({
    name: r.tableName,
    columns: r.columns.map((c, j) => {
      try {
        return { name: c.name, type: parseSqlType(c.sqlType) };
      } catch (e) {
        throw new ConfigError(`reference[${i}].columns[${j}].sqlType`, (e as Error).message);
      }
    }),
    rows: [],
  }));
}

/** Reads an input schema: a plain {namePrefix?, columns} object, or a case file's `input`. */
export function readSchema(file: string): { name: string; columns: { name: string; type: SqlType }[] } {
  let s: SchemaFile;
  try {
    s = JSON.parse(readFileSync(file, 'utf8')) as SchemaFile;
  } catch (e) {
    throw new ConfigError('--schema', `cannot read ${file}: ${(e as Error).message}`);
  }
  const src = s.input ?? s;
  if (!Array.isArray(src.columns)) throw new ConfigError('--schema', `${file} has no "columns" array`);
  const columns = src.columns.map((c, i) => {
    try {
      return { name: c.name, type: parseSqlType(c.sqlType) };
    } catch (e) {
      throw new ConfigError(`columns[${i}].sqlType`, (e as Error).message);
    }
  });
  return { name: `${src.namePrefix ?? 'SOURCE_SQL_STREAM'}_001`, columns };
}

/**
 * `streaming-analytics validate <sql-file> [--schema <json>]`: compiles the application without running it.
 * Without a schema the input stream is assumed to have no columns (so column references to it will fail); a
 * case file as schema also brings its reference tables.
 */
export function validateCommand(sqlFile: string, schemaFile?: string, out: (s: string) => void = (s) => process.stdout.write(s), err: (s: string) => void = (s) => process.stderr.write(s)): number {
  const sql = readFileSync(sqlFile, 'utf8');
  const input = schemaFile ? readSchema(schemaFile) : { name: 'SOURCE_SQL_STREAM_001', columns: [] };
  try {
    const app = compileApplication({ sql, inputs: [input], references: schemaFile ? readReferenceTables(schemaFile) : [] });
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
