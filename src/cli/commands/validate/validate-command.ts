/**
 * `streaming-analytics validate <app>`: checks an application without running it. `<app>` is any form `run`
 * accepts (a definition folder or file, a CloudFormation template with a KDA application, describe-application
 * JSON), or a bare `.sql` file with `--schema`. Errors name the file, line and column of the SQL or the config.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { ApplicationRuntime } from '../../../runtime/application-runtime.js';
import { loadApplicationDefinition, type ApplicationDefinition } from '../../../app/definition/index.js';
import { compileApplication } from '../../../engine/index.js';
import { ConfigError, PlanError, SqlSyntaxError, StreamingAnalyticsError } from '../../../errors.js';
import { parseSqlType, type SqlType } from '../../../types/sql-type.js';
import { ExitCode, exitCodeFor } from '../../exit-codes.js';
import { addImportOptions, importOptionsFrom, type RunCommandOptions } from '../run/run-command.js';

export interface ValidateCommandOptions extends RunCommandOptions {
  schema?: string;
}

type Json = Record<string, unknown>;

interface RawColumn {
  name?: unknown;
  sqlType?: unknown;
  Name?: unknown;
  SqlType?: unknown;
}

/** The input schema in the shapes users have at hand (see readSchema); null when there is none. */
function findInput(doc: Json): { namePrefix?: string; columns: RawColumn[] } | null {
  const detail = (doc.ApplicationDetail ?? doc) as Json;
  const described = Array.isArray(detail.InputDescriptions) ? (detail.InputDescriptions[0] as Json | undefined) : undefined;
  const rc = described && typeof described.InputSchema === 'object' && described.InputSchema !== null ? (described.InputSchema as Json).RecordColumns : undefined;
  if (described && Array.isArray(rc)) return { namePrefix: described.NamePrefix as string | undefined, columns: rc as RawColumn[] };
  const inputSchema = (doc.InputSchema ?? doc) as Json;
  if (Array.isArray(inputSchema.RecordColumns)) return { namePrefix: doc.NamePrefix as string | undefined, columns: inputSchema.RecordColumns as RawColumn[] };
  const input = (typeof doc.input === 'object' && doc.input !== null ? doc.input : doc) as Json;
  if (Array.isArray(input.columns)) return { namePrefix: input.namePrefix as string | undefined, columns: input.columns as RawColumn[] };
  return null;
}

export function registerValidateCommand(program: Command, setCode: (code: number) => void): void {
  addImportOptions(
    program
      .command('validate')
      .description(
        'check an application without running it: its configuration, its input and reference schemas and its SQL. ' +
          'Prints OK, or the first error with its file, line and column, and exits with the code for an invalid application',
      )
      .argument(
        '<app>',
        'a folder with application.yaml, a definition file, a CloudFormation template, describe-application JSON, or a .sql file (then give --schema)',
      )
      .option('--schema <file>', 'for a .sql file: its input schema: {"namePrefix"?, "columns": [{"name","sqlType"}]}, a conformance case, an application definition, a KDA InputSchema, describe-application JSON or a CloudFormation template'),
  ).action((app: string, opts: ValidateCommandOptions) => setCode(validateCommand(app, opts)));
}

/**
 * Reads the input schema for `validate <file>.sql --schema <file>`: a plain `{namePrefix?, columns: [{name,
 * sqlType}]}`, a conformance case or an application definition (its `input`), a KDA `InputSchema`
 * (`RecordColumns`), a describe-application response, or a CloudFormation template with a KDA application.
 */
export function readSchema(file: string): { name: string; columns: { name: string; type: SqlType }[] } {
  let doc: unknown;
  try {
    // YAML reads JSON too; a template's CloudFormation tags are left to loadApplicationDefinition below.
    doc = parseYaml(readFileSync(file, 'utf8'), { logLevel: 'error' }) as unknown;
  } catch (e) {
    throw new ConfigError('--schema', `cannot read ${file}: ${(e as Error).message}`);
  }
  let input = doc !== null && typeof doc === 'object' ? findInput(doc as Json) : null;
  if (input === null && doc !== null && typeof doc === 'object' && 'Resources' in doc) {
    const def = loadApplicationDefinition(file);
    input = { namePrefix: def.input.namePrefix, columns: [...def.input.columns] };
  }
  if (input === null) throw new ConfigError('--schema', `${file} has no input columns (expected "columns", "input.columns", "RecordColumns", "ApplicationDetail.InputDescriptions" or a template's KDA application)`);
  const columns = input.columns.map((c, i) => {
    const name = c.name ?? c.Name;
    const sqlType = c.sqlType ?? c.SqlType;
    if (typeof name !== 'string' || typeof sqlType !== 'string') throw new ConfigError(`columns[${i}]`, 'needs a name and a sqlType', { location: { file } });
    try {
      return { name, type: parseSqlType(sqlType) };
    } catch (e) {
      throw new ConfigError(`columns[${i}].sqlType`, (e as Error).message, { location: { file } });
    }
  });
  return { name: `${input.namePrefix ?? 'SOURCE_SQL_STREAM'}_001`, columns };
}

/** The reference tables a conformance case used as schema declares (names and columns; validation needs no rows). */
export function readReferenceTables(file: string): { name: string; columns: { name: string; type: SqlType }[]; rows: [] }[] {
  const doc = parseYaml(readFileSync(file, 'utf8'), { logLevel: 'error' }) as { reference?: unknown } | null;
  const refs = doc !== null && typeof doc === 'object' && Array.isArray(doc.reference) ? (doc.reference as { tableName?: unknown; columns?: { name?: unknown; sqlType?: unknown }[] }[]) : [];
  return refs.map((r, i) => {
    if (typeof r.tableName !== 'string' || !Array.isArray(r.columns)) throw new ConfigError(`reference[${i}]`, 'needs a tableName and columns', { location: { file } });
    return {
      name: r.tableName,
      columns: r.columns.map((c, j) => {
        try {
          return { name: String(c.name), type: parseSqlType(String(c.sqlType)) };
        } catch (e) {
          throw new ConfigError(`reference[${i}].columns[${j}].sqlType`, (e as Error).message, { location: { file } });
        }
      }),
      rows: [],
    };
  });
}

/** Returns the exit code: 0 when valid, ExitCode.INVALID_APPLICATION with the error on `err` when not. */
export function validateCommand(
  app: string,
  opts: ValidateCommandOptions = {},
  out: (s: string) => void = (s) => process.stdout.write(s),
  err: (s: string) => void = (s) => process.stderr.write(s),
): number {
  const isSql = /\.sql$/i.test(app);
  if (opts.schema !== undefined && !isSql) throw new InvalidArgumentError('--schema applies to a .sql file; an application carries its own input schema');
  try {
    out(`${isSql ? validateSql(app, opts.schema) : validateApplication(app, opts)}\n`);
    return ExitCode.OK;
  } catch (e) {
    if (e instanceof StreamingAnalyticsError) {
      err(`${e.name}: ${e.message}\n`);
      return exitCodeFor(e);
    }
    throw e;
  }
}

function validateApplication(app: string, opts: ValidateCommandOptions): string {
  const def = loadApplicationDefinition(app, importOptionsFrom(opts));
  // Reference tables are checked for their schema; their data is read only by `run`.
  ApplicationRuntime.compile({ ...def, references: def.references.map((r) => ({ ...r, rows: [] })) });
  return `${def.origin.file}: OK (${describe(def)})`;
}

function describe(def: ApplicationDefinition): string {
  const form = { definition: 'application definition', cloudformation: 'CloudFormation template', 'describe-application': 'describe-application JSON' }[def.origin.form];
  const refs = def.references.length > 0 ? `, reference tables ${def.references.map((r) => r.tableName).join(', ')}` : '';
  const outs = def.outputs.length > 0 ? def.outputs.map((o) => o.stream).join(', ') : 'none';
  return `${form} of application '${def.name}': input ${def.input.namePrefix}_001 with ${def.input.columns.length} column(s)${refs}; outputs ${outs}`;
}

function validateSql(sqlFile: string, schemaFile: string | undefined): string {
  let sql: string;
  try {
    sql = readFileSync(sqlFile, 'utf8');
  } catch (e) {
    throw new ConfigError('(file)', `cannot read: ${(e as Error).message}`, { location: { file: sqlFile } });
  }
  // Without a schema the input stream has no columns, so a column reference to it fails.
  const input = schemaFile ? readSchema(schemaFile) : { name: 'SOURCE_SQL_STREAM_001', columns: [] };
  try {
    const compiled = compileApplication({ sql, inputs: [input], references: schemaFile ? readReferenceTables(schemaFile) : [] });
    return `${sqlFile}: OK (${compiled.streams.length} stream(s), ${compiled.plan.pumps.length} pump(s))`;
  } catch (e) {
    if ((e instanceof SqlSyntaxError || e instanceof PlanError) && e.line !== undefined && e.column !== undefined) {
      e.message = `${sqlFile}:${e.line}:${e.column}: ${e.message}`;
    }
    throw e;
  }
}
