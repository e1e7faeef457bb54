/**
 * Reads a KDA application from the JSON that `aws kinesisanalytics describe-application` prints
 * (`{"ApplicationDetail": {...}}`), mapping the AWS resources it names through ImportOptions.
 */
import type { ApplicationDefinition, ReferenceDefinition, StartingPosition } from '../../spec/app-definition.js';
import { DEFAULT_NAME_PREFIX } from '../../spec/app-definition.js';
import type { ImportOptions } from './import-options.js';
import { bucketFromArn, importOutput, importPreprocessor } from './kda-application-parts.js';
import { isObject, readKdaSchema } from './kda-schema.js';
import type { SourceDocument } from './source-document.js';

export function isDescribeApplication(value: unknown): boolean {
  return isObject(value) && isObject(value.ApplicationDetail);
}

/* eslint-disable @typescript-eslint/no-explicit-any -- untyped JSON, checked field by field */
export function readDescribeApplication(src: SourceDocument, options: ImportOptions = {}): ApplicationDefinition {
  const d = (src.value as any).ApplicationDetail;
  const base = ['ApplicationDetail'];
  if (typeof d.ApplicationCode !== 'string' || d.ApplicationCode.trim() === '') {
    throw src.error([...base, 'ApplicationCode'], 'is required: the application has no SQL code');
  }
  const inputs = d.InputDescriptions;
  if (!Array.isArray(inputs) || inputs.length !== 1) {
    throw src.error([...base, 'InputDescriptions'], `a KDA application has exactly one streaming input. Received ${Array.isArray(inputs) ? inputs.length : 'none'}`);
  }
  const input = inputs[0];
  const inPath = [...base, 'InputDescriptions', 0];
  const schema = readKdaSchema(src, input.InputSchema, [...inPath, 'InputSchema']);
  const position = input.InputStartingPositionConfiguration?.InputStartingPosition as StartingPosition | undefined;

  const outputs = (Array.isArray(d.OutputDescriptions) ? d.OutputDescriptions : []).map((o: any, i: number) => {
    if (typeof o?.Name !== 'string') throw src.error([...base, 'OutputDescriptions', i, 'Name'], 'must be the name of an in-application stream');
    return importOutput(o.Name, o.DestinationSchema?.RecordFormatType, options);
  });
  const references = (Array.isArray(d.ReferenceDataSourceDescriptions) ? d.ReferenceDataSourceDescriptions : []).map(
    (r: any, i: number): ReferenceDefinition => {
      const at = [...base, 'ReferenceDataSourceDescriptions', i];
      if (typeof r?.TableName !== 'string') throw src.error([...at, 'TableName'], 'must be a table name');
      const s3 = r.S3ReferenceDataSourceDescription ?? {};
      const bucket = bucketFromArn(s3.BucketARN);
      const location = options.references?.[r.TableName] ?? (bucket && typeof s3.FileKey === 'string' ? `s3://${bucket}/${s3.FileKey}` : undefined);
      if (location === undefined) throw src.error([...at, 'S3ReferenceDataSourceDescription'], `cannot locate the S3 object of reference table ${r.TableName}`);
      return { tableName: r.TableName, location, ...readKdaSchema(src, r.ReferenceSchema, [...at, 'ReferenceSchema']) };
    },
  );
  const at = src.locateText([...base, 'ApplicationCode']);
  return {
    name: typeof d.ApplicationName === 'string' ? d.ApplicationName : 'application',
    sql: d.ApplicationCode,
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
    origin: { file: src.file, form: 'describe-application', sqlStart: at && { line: at.line, column: at.column }, sqlQuoted: at?.quoted },
  };
}
/* eslint-enable @typescript-eslint/no-explicit-any */
