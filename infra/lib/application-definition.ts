/**
 * The application the StreamingApp stack deploys: its SQL and the input schema of its source stream, checked
 * at synth time. The shapes mirror `InputFormatConfig` of src/input (`input-decoder.ts`) so that one
 * definition drives local runs and the deployment.
 */
import { resolve } from 'node:path';
import { loadApplicationDefinition as loadDefinition } from '../../src/app/definition/index.js';
import { ConfigError, describeError } from '../../src/errors.js';

/** One input column: name as written, KDA SQL type, and for JSON a JSONPath mapping. */
export interface InputColumn {
  readonly name: string;
  readonly sqlType: string;
  readonly mapping?: string;
}

/** How records of the source stream become rows (the KDA input schema). */
export interface InputSchema {
  readonly format: 'JSON' | 'CSV';
  /** JSON only. @default '$' */
  readonly recordRowPath?: string;
  /** CSV only. @default '\n' */
  readonly rowDelimiter?: string;
  /** CSV only. @default ',' */
  readonly columnDelimiter?: string;
  /** Prefix of the in-application input stream (KDA's NamePrefix). @default 'SOURCE_SQL_STREAM' */
  readonly namePrefix?: string;
  readonly columns: readonly InputColumn[];
}

/** A reference table of the application: its name in the SQL and where its object is. */
export interface ReferenceTable {
  readonly tableName: string;
  /** A local file path or an `s3://bucket/key` URL (the Flink host reads it from S3). */
  readonly location: string;
  /** How the object's content becomes rows (the KDA reference schema); the Flink host needs it to decode the object. @default none */
  readonly schema?: Omit<InputSchema, 'namePrefix'>;
}

/** An application: SQL text plus the input schema (and the reference tables it joins, if any). */
export interface ApplicationDefinition {
  readonly sql: string;
  readonly input: InputSchema;
  /** @default none */
  readonly references?: readonly ReferenceTable[];
}

/** What an application validator may report back about a valid application. */
export interface ApplicationValidationResult {
  /** The in-application streams the SQL creates (so that output stream names can be checked). */
  readonly streams?: readonly string[];
}

/**
 * The synth-time validation hook: throws (SqlSyntaxError, PlanError, ConfigError...) when the application is
 * not valid. The lead wires the engine's `compileApplication` into it; infra has no engine of its own.
 */
export type ApplicationValidator = (application: ApplicationDefinition) => ApplicationValidationResult | void;

/**
 * Reads the application to deploy, in any form `streaming-analytics run` accepts (a folder with application.yaml,
 * a definition file, a CloudFormation template with a KDA application, describe-application JSON): one
 * definition drives local runs and the deployment. Only the SQL and the input schema travel to Lambda.
 *
 * @example
 * const app = loadApplicationDefinition('examples/ticker', 'applicationPath');
 */
export function loadApplicationDefinition(path: string, field = 'applicationPath', baseDir = process.cwd()): ApplicationDefinition {
  const where = resolve(baseDir, path);
  let def;
  try {
    def = loadDefinition(where);
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError(field, `${JSON.stringify(path)} (resolved to ${where}): ${describeError(error)}`, { cause: error });
    throw error;
  }
  const { format, recordRowPath, rowDelimiter, columnDelimiter, namePrefix, columns } = def.input;
  const input: InputSchema = {
    format,
    namePrefix,
    columns: columns.map((c) => ({ ...c })),
    ...(recordRowPath !== undefined ? { recordRowPath } : {}),
    ...(rowDelimiter !== undefined ? { rowDelimiter } : {}),
    ...(columnDelimiter !== undefined ? { columnDelimiter } : {}),
  };
  const references = def.references.map((r) => ({
    tableName: r.tableName,
    location: r.location,
    schema: {
      format: r.format,
      columns: r.columns.map((c) => ({ ...c })),
      ...(r.recordRowPath !== undefined ? { recordRowPath: r.recordRowPath } : {}),
      ...(r.rowDelimiter !== undefined ? { rowDelimiter: r.rowDelimiter } : {}),
      ...(r.columnDelimiter !== undefined ? { columnDelimiter: r.columnDelimiter } : {}),
    },
  }));
  const application = { sql: def.sql, input, ...(references.length > 0 ? { references } : {}) };
  checkApplicationShape(application, `${field}/`);
  return application;
}

const SQL_TYPE_HEAD = /^(CHAR|VARCHAR|BOOLEAN|TINYINT|SMALLINT|INT|INTEGER|BIGINT|REAL|DOUBLE|DECIMAL|NUMERIC|TIMESTAMP|DATE|TIME|INTERVAL|VARBINARY|BINARY)\b/i;

/**
 * Checks what infra can check without the engine: SQL present, input format known, columns present with
 * unique names and known SQL types, mappings only for JSON. Throws a ConfigError naming the field.
 */
export function checkApplicationShape(application: ApplicationDefinition, fieldPrefix = ''): void {
  const f = (name: string): string => `${fieldPrefix}${name}`;
  if (typeof application.sql !== 'string' || application.sql.trim() === '') throw new ConfigError(f('sql'), 'is empty; expected the SQL of the application');
  const input = application.input;
  if (input === null || typeof input !== 'object') throw new ConfigError(f('input'), `must be an object. Received ${JSON.stringify(input)}`);
  if (input.format !== 'JSON' && input.format !== 'CSV') throw new ConfigError(f('input.format'), `must be "JSON" or "CSV". Received ${JSON.stringify(input.format)}`);
  if (!Array.isArray(input.columns) || input.columns.length === 0) throw new ConfigError(f('input.columns'), 'must list at least one column');
  const seen = new Set<string>();
  input.columns.forEach((column, i) => {
    const at = f(`input.columns[${i}]`);
    if (typeof column?.name !== 'string' || column.name === '') throw new ConfigError(`${at}.name`, `must be a non-empty string. Received ${JSON.stringify(column?.name)}`);
    if (seen.has(column.name)) throw new ConfigError(`${at}.name`, `duplicates the column ${JSON.stringify(column.name)}`);
    seen.add(column.name);
    if (typeof column.sqlType !== 'string' || !SQL_TYPE_HEAD.test(column.sqlType.trim())) {
      throw new ConfigError(`${at}.sqlType`, `must be a KDA SQL type such as VARCHAR(8), DOUBLE or TIMESTAMP. Received ${JSON.stringify(column.sqlType)}`);
    }
    if (column.mapping !== undefined && input.format !== 'JSON') throw new ConfigError(`${at}.mapping`, 'is only allowed for the JSON format');
    if (column.mapping !== undefined && !String(column.mapping).startsWith('$')) throw new ConfigError(`${at}.mapping`, `must be a JSONPath starting with "$". Received ${JSON.stringify(column.mapping)}`);
  });
}

/**
 * The in-application streams the SQL creates, by a lexical scan of `CREATE [OR REPLACE] STREAM name`
 * (comments and string literals removed first). Unquoted names are upper-cased, quoted names kept as written,
 * as KDA does. Used to check output stream names when no engine validator reports the streams.
 */
export function streamsCreatedBy(sql: string): string[] {
  const stripped = sql.replace(/--[^\n]*|\/\*[\s\S]*?\*\/|'(?:[^']|'')*'/g, ' ');
  const names: string[] = [];
  const re = /\bCREATE\s+(?:OR\s+REPLACE\s+)?STREAM\s+("(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)/gi;
  for (const match of stripped.matchAll(re)) {
    const raw = match[1];
    names.push(raw.startsWith('"') ? raw.slice(1, -1).replace(/""/g, '"') : raw.toUpperCase());
  }
  return names;
}
