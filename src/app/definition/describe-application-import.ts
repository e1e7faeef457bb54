/**
 * Reads a KDA application from the JSON that `aws kinesisanalytics describe-application` prints
 * (`{"ApplicationDetail": {...}}`), or `aws kinesisanalyticsv2 describe-application` for an application with
 * the SQL runtime (SQL-1_0; the SQL and the inputs sit under ApplicationConfigurationDescription), mapping the
 * AWS resources it names through ImportOptions.
 */
import type { ReferenceDefinition, StartingPosition } from '../../spec/app-definition.js';
import { DEFAULT_NAME_PREFIX } from '../../spec/app-definition.js';
import type { ImportOptions } from './import-options.js';
import { bucketFromArn, importOutput, importPreprocessor } from './kda-application-parts.js';
import { isObject, readKdaSchema } from './kda-schema.js';
import { fieldSite, optionSite, type ReadDefinition, type Site } from './definition-sites.js';
import type { FieldPath, SourceDocument } from './source-document.js';

export function isDescribeApplication(value: unknown): boolean {
  return isObject(value) && isObject(value.ApplicationDetail);
}

/* eslint-disable @typescript-eslint/no-explicit-any -- untyped JSON, checked field by field */
export function readDescribeApplication(src: SourceDocument, options: ImportOptions = {}): ReadDefinition {
  const detail = (src.value as any).ApplicationDetail;
  const base: FieldPath = ['ApplicationDetail'];
  // V2 (kinesisanalyticsv2) nests the SQL and the inputs, outputs and references; V1 has them at the top.
  const v2 = detail.RuntimeEnvironment !== undefined || detail.ApplicationConfigurationDescription !== undefined;
  let codePath: FieldPath = [...base, 'ApplicationCode'];
  let sqlBase: FieldPath = base;
  if (v2) {
    if (detail.RuntimeEnvironment !== 'SQL-1_0') {
      throw src.error([...base, 'RuntimeEnvironment'], `only SQL applications (RuntimeEnvironment SQL-1_0) run here. Received ${JSON.stringify(detail.RuntimeEnvironment)}`);
    }
    codePath = [...base, 'ApplicationConfigurationDescription', 'ApplicationCodeConfigurationDescription', 'CodeContentDescription', 'TextContent'];
    sqlBase = [...base, 'ApplicationConfigurationDescription', 'SqlApplicationConfigurationDescription'];
  }
  const get = (path: FieldPath): any => path.reduce((v: any, p) => v?.[p], src.value);
  const d = get(sqlBase) ?? {};
  const code = get(codePath);
  if (typeof code !== 'string' || code.trim() === '') {
    throw src.error(codePath, 'is required: the application has no SQL code');
  }
  const inputs = d.InputDescriptions;
  if (!Array.isArray(inputs) || inputs.length !== 1) {
    throw src.error([...sqlBase, 'InputDescriptions'], `a KDA application has exactly one streaming input. Received ${Array.isArray(inputs) ? inputs.length : 'none'}`);
  }
  const input = inputs[0];
  const inPath = [...sqlBase, 'InputDescriptions', 0];
  const schema = readKdaSchema(src, input.InputSchema, [...inPath, 'InputSchema']);
  const position = input.InputStartingPositionConfiguration?.InputStartingPosition as StartingPosition | undefined;

  const outputSites: Site[] = [];
  const outputs = (Array.isArray(d.OutputDescriptions) ? d.OutputDescriptions : []).map((o: any, i: number) => {
    const at = [...sqlBase, 'OutputDescriptions', i, 'Name'];
    if (typeof o?.Name !== 'string') throw src.error(at, 'must be the name of an in-application stream');
    outputSites.push(fieldSite(src, at));
    return importOutput(o.Name, o.DestinationSchema?.RecordFormatType, options);
  });
  const referenceSites: Site[] = [];
  const references = (Array.isArray(d.ReferenceDataSourceDescriptions) ? d.ReferenceDataSourceDescriptions : []).map(
    (r: any, i: number): ReferenceDefinition => {
      const at = [...sqlBase, 'ReferenceDataSourceDescriptions', i];
      if (typeof r?.TableName !== 'string') throw src.error([...at, 'TableName'], 'must be a table name');
      const s3 = r.S3ReferenceDataSourceDescription ?? {};
      const bucket = bucketFromArn(s3.BucketARN);
      const location = options.references?.[r.TableName] ?? (bucket && typeof s3.FileKey === 'string' ? `s3://${bucket}/${s3.FileKey}` : undefined);
      if (location === undefined) throw src.error([...at, 'S3ReferenceDataSourceDescription'], `cannot locate the S3 object of reference table ${r.TableName}; give its location with --reference ${r.TableName}=<file or s3://bucket/key>`);
      referenceSites.push(options.references?.[r.TableName] !== undefined ? optionSite(`--reference ${r.TableName}`) : fieldSite(src, [...at, 'S3ReferenceDataSourceDescription']));
      return { tableName: r.TableName, location, ...readKdaSchema(src, r.ReferenceSchema, [...at, 'ReferenceSchema']) };
    },
  );
  const at = src.locateText(codePath);
  const definition = {
    name: typeof detail.ApplicationName === 'string' ? detail.ApplicationName : 'application',
    sql: code,
    input: {
      ...schema,
      namePrefix: typeof input.NamePrefix === 'string' ? input.NamePrefix : DEFAULT_NAME_PREFIX,
      source: options.source ?? { type: 'embedded' },
      startingPosition: options.startingPosition ?? position ?? 'TRIM_HORIZON',
      preprocessor: importPreprocessor(input.InputProcessingConfigurationDescription !== undefined, options),
    },
    references,
    outputs,
    // A JSON string holds the SQL with escaped newlines: positions map through the string as written.
    origin: { file: src.file, form: 'describe-application' as const, sqlStart: at && { line: at.line, column: at.column }, sqlQuoted: at?.quoted },
  };
  return {
    definition,
    sites: {
      sql: fieldSite(src, codePath),
      outputStreams: outputSites,
      outputPrefixes: outputs.map(() => undefined),
      referenceLocations: referenceSites,
      preprocessorModule: options.preprocessor?.type === 'module' ? optionSite('--preprocessor') : undefined,
    },
  };
}
/* eslint-enable @typescript-eslint/no-explicit-any */
