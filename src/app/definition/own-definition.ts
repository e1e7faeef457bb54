/**
 * Reads the project's own definition form (YAML or JSON) into an ApplicationDefinition.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { ConfigError } from '../../errors.js';
import {
  DEFAULT_BUFFER_INTERVAL_MS,
  DEFAULT_BUFFER_SIZE_BYTES,
  DEFAULT_ERROR_PREFIX,
  DEFAULT_NAME_PREFIX,
  type ApplicationDefinition,
  type DefinitionOrigin,
  type OutputDefinition,
  type PreprocessorDefinition,
  type ReferenceDefinition,
  type SourceDefinition,
} from '../../spec/app-definition.js';
import { definitionSchema } from './definition-schema.js';
import { fieldSite, fileSite, type ReadDefinition } from './definition-sites.js';
import { checkRecordFormat, ownFields } from './check-record-format.js';
import { parseDestination } from './destination.js';
import { formatPath, type FieldPath, type SourceDocument } from './source-document.js';

const validate = new Ajv({ allErrors: true, strict: true }).compile(definitionSchema);

/* eslint-disable @typescript-eslint/no-explicit-any -- the document was validated against the schema above */
export function readOwnDefinition(src: SourceDocument): ReadDefinition {
  if (!validate(src.value)) throw schemaError(src, validate.errors ?? []);
  const v = src.value as any;
  const base = dirname(src.file);
  if ((v.sql === undefined) === (v.sqlFile === undefined)) {
    throw src.error(['sql'], 'give the application SQL either inline as `sql` or as a path in `sqlFile`, exactly one of them');
  }
  let sql: string;
  let origin: DefinitionOrigin;
  if (v.sqlFile !== undefined) {
    const sqlFile = resolve(base, v.sqlFile);
    try {
      sql = readFileSync(sqlFile, 'utf8');
    } catch (e) {
      throw src.error(['sqlFile'], `cannot read the SQL file ${sqlFile}: ${(e as Error).message}`);
    }
    origin = { file: src.file, form: 'definition', sqlFile, sqlStart: { line: 1, column: 1 } };
  } else {
    sql = v.sql;
    const at = src.locateText(['sql']);
    origin = { file: src.file, form: 'definition', sqlStart: at && { line: at.line, column: at.column }, sqlIndent: at?.indent, sqlQuoted: at?.quoted };
  }
  const input = v.input;
  checkRecordFormat(src, input, ownFields(['input']));
  (v.reference ?? []).forEach((r: any, i: number) => checkRecordFormat(src, r, ownFields(['reference', i])));
  const outputs: any[] = v.outputs ?? [];
  const definition: ApplicationDefinition = {
    name: v.name ?? 'application',
    sql,
    input: {
      namePrefix: input.namePrefix ?? DEFAULT_NAME_PREFIX,
      source: readSource(input.source),
      startingPosition: input.startingPosition ?? 'TRIM_HORIZON',
      preprocessor: readPreprocessor(input.preprocessor, base),
      format: input.format,
      recordRowPath: input.recordRowPath,
      rowDelimiter: input.rowDelimiter,
      columnDelimiter: input.columnDelimiter,
      columns: input.columns,
    },
    references: (v.reference ?? []).map(
      (r: any): ReferenceDefinition => ({ ...r, location: r.location.startsWith('s3://') ? r.location : resolve(base, r.location) }),
    ),
    outputs: outputs.map((o: any, i: number) => readOutput(src, o, ['outputs', i])),
    origin,
  };
  return {
    definition,
    sites: {
      sql: v.sqlFile !== undefined ? fileSite(origin.sqlFile ?? src.file) : fieldSite(src, ['sql']),
      outputStreams: outputs.map((_o, i) => fieldSite(src, ['outputs', i, 'stream'])),
      outputPrefixes: outputs.map((o, i) => (o.prefix === undefined ? undefined : fieldSite(src, ['outputs', i, 'prefix']))),
      referenceLocations: (v.reference ?? []).map((_r: unknown, i: number) => fieldSite(src, ['reference', i, 'location'])),
      preprocessorModule: typeof input.preprocessor === 'object' ? fieldSite(src, ['input', 'preprocessor', 'module']) : undefined,
    },
  };
}

function readSource(s: any): SourceDefinition {
  if (s === undefined || s === 'embedded') return { type: 'embedded' };
  return s;
}

function readPreprocessor(p: any, base: string): PreprocessorDefinition {
  if (p === undefined || p === 'none') return { type: 'none' };
  if (p === 'kpl') return { type: 'kpl' };
  return { type: 'module', path: resolve(base, p.module), ...(typeof p.timeoutSeconds === 'number' ? { timeoutMs: p.timeoutSeconds * 1000 } : {}) };
}

function readOutput(src: SourceDocument, o: any, path: FieldPath): OutputDefinition {
  let destination;
  try {
    destination = parseDestination(o.destination, formatPath([...path, 'destination']), { endpoint: o.endpoint, region: o.region });
  } catch (e) {
    throw src.error([...path, 'destination'], (e as ConfigError).detail ?? (e as Error).message);
  }
  return {
    stream: o.stream,
    destination,
    format: o.format ?? 'JSON',
    bufferSizeBytes: o.bufferSizeBytes ?? DEFAULT_BUFFER_SIZE_BYTES,
    bufferIntervalMs: o.bufferIntervalMs ?? DEFAULT_BUFFER_INTERVAL_MS,
    prefix: o.prefix ?? (o.stream.toLowerCase() === 'error_stream' ? DEFAULT_ERROR_PREFIX : ''),
    ...(o.includeRowtime === true ? { includeRowtime: true } : {}),
  };
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/** ajv's first error as a ConfigError naming the field, in words a user can act on. */
function schemaError(src: SourceDocument, errors: ErrorObject[]): ConfigError {
  // An unknown field is usually a typo of the field another error misses, so it explains best; after that, with
  // oneOf, the most specific error is usually the deepest one.
  const rank = (x: ErrorObject) => (x.keyword === 'additionalProperties' ? 1e6 : 0) + x.instancePath.length;
  const e = [...errors].sort((a, b) => rank(b) - rank(a))[0];
  if (!e) return new ConfigError('(root)', 'invalid application definition', { location: { file: src.file } });
  const path: (string | number)[] = e.instancePath
    .split('/')
    .slice(1)
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p.replace(/~1/g, '/').replace(/~0/g, '~')));
  let message = e.message ?? 'is not valid';
  if (e.keyword === 'additionalProperties') {
    const extra = (e.params as { additionalProperty: string }).additionalProperty;
    path.push(extra);
    message = `unknown field '${extra}'`;
  } else if (e.keyword === 'required') {
    const missing = (e.params as { missingProperty: string }).missingProperty;
    path.push(missing);
    message = `is required`;
  } else if (e.keyword === 'enum') {
    message = `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((x) => JSON.stringify(x)).join(', ')}`;
  }
  return src.error(path, message);
}
