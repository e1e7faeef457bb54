/**
 * Reads a KDA application from a CloudFormation template like the seed's streaming-app.yaml:
 * an `AWS::KinesisAnalytics::Application` (or a `AWS::KinesisAnalyticsV2::Application` with the SQL runtime),
 * its ApplicationOutput and ApplicationReferenceDataSource resources. The AWS resources it names are mapped to
 * local ones through ImportOptions; the SQL and the schema run unchanged.
 */
import type { ApplicationDefinition, ReferenceDefinition } from '../../spec/app-definition.js';
import { DEFAULT_NAME_PREFIX } from '../../spec/app-definition.js';
import type { ImportOptions } from './import-options.js';
import { bucketFromArn, importOutput, importPreprocessor } from './kda-application-parts.js';
import { isObject, readKdaSchema } from './kda-schema.js';
import type { FieldPath, SourceDocument } from './source-document.js';

const APP_V1 = 'AWS::KinesisAnalytics::Application';
const APP_V2 = 'AWS::KinesisAnalyticsV2::Application';
const OUTPUT_TYPES = ['AWS::KinesisAnalytics::ApplicationOutput', 'AWS::KinesisAnalyticsV2::ApplicationOutput'];
const REFERENCE_TYPES = ['AWS::KinesisAnalytics::ApplicationReferenceDataSource', 'AWS::KinesisAnalyticsV2::ApplicationReferenceDataSource'];

export function isCloudFormationTemplate(value: unknown): boolean {
  return isObject(value) && isObject(value.Resources);
}

/* eslint-disable @typescript-eslint/no-explicit-any -- untyped template, checked field by field */
export function readCloudFormation(src: SourceDocument, options: ImportOptions = {}): ApplicationDefinition {
  const t = src.value as any;
  const resources: Record<string, any> = t.Resources;
  const apps = Object.entries(resources).filter(([, r]) => r?.Type === APP_V1 || r?.Type === APP_V2);
  if (apps.length === 0) {
    throw src.error(['Resources'], `no ${APP_V1} resource in this template, so there is no application to run`);
  }
  if (apps.length > 1) {
    throw src.error(['Resources', apps[1][0]], `the template has ${apps.length} KDA applications (${apps.map(([id]) => id).join(', ')}); give a template with one`);
  }
  const [appId, app] = apps[0];
  const props = app.Properties ?? {};
  const base: FieldPath = ['Resources', appId, 'Properties'];
  const params = parameterValues(t.Parameters, options.parameters ?? {});

  const v2 = app.Type === APP_V2;
  if (v2 && props.RuntimeEnvironment !== undefined && !String(props.RuntimeEnvironment).startsWith('SQL')) {
    throw src.error([...base, 'RuntimeEnvironment'], `only SQL applications run here. Received ${JSON.stringify(props.RuntimeEnvironment)}`);
  }
  const codePath: FieldPath = v2
    ? [...base, 'ApplicationConfiguration', 'ApplicationCodeConfiguration', 'CodeContent', 'TextContent']
    : [...base, 'ApplicationCode'];
  const inputsPath: FieldPath = v2 ? [...base, 'ApplicationConfiguration', 'SqlApplicationConfiguration', 'Inputs'] : [...base, 'Inputs'];
  const code = getIn(t, codePath);
  const sql = resolveString(src, code, codePath, params);
  const inputs = getIn(t, inputsPath);
  if (!Array.isArray(inputs) || inputs.length !== 1) {
    throw src.error(inputsPath, `a KDA application has exactly one streaming input. Received ${Array.isArray(inputs) ? inputs.length : 'none'}`);
  }
  const input = inputs[0];
  const inPath = [...inputsPath, 0];
  const schema = readKdaSchema(src, input.InputSchema, [...inPath, 'InputSchema']);
  const namePrefix = input.NamePrefix === undefined ? DEFAULT_NAME_PREFIX : resolveString(src, input.NamePrefix, [...inPath, 'NamePrefix'], params);

  const outputs = Object.entries(resources)
    .filter(([, r]) => OUTPUT_TYPES.includes(r?.Type) && refersTo(r.Properties?.ApplicationName, appId))
    .map(([id, r]) => {
      const o = r.Properties?.Output ?? {};
      if (typeof o.Name !== 'string') throw src.error(['Resources', id, 'Properties', 'Output', 'Name'], 'must be the name of an in-application stream');
      return importOutput(o.Name, o.DestinationSchema?.RecordFormatType, options);
    });

  const references = Object.entries(resources)
    .filter(([, r]) => REFERENCE_TYPES.includes(r?.Type) && refersTo(r.Properties?.ApplicationName, appId))
    .map(([id, r]): ReferenceDefinition => {
      const at: FieldPath = ['Resources', id, 'Properties', 'ReferenceDataSource'];
      const ref = r.Properties?.ReferenceDataSource ?? {};
      if (typeof ref.TableName !== 'string') throw src.error([...at, 'TableName'], 'must be a table name');
      const s3 = ref.S3ReferenceDataSource ?? {};
      const bucket = bucketFromArn(s3.BucketARN);
      const location = options.references?.[ref.TableName] ?? (bucket && typeof s3.FileKey === 'string' ? `s3://${bucket}/${s3.FileKey}` : undefined);
      if (location === undefined) {
        throw src.error([...at, 'S3ReferenceDataSource'], `the S3 object of reference table ${ref.TableName} cannot be resolved locally; give its location with --reference ${ref.TableName}=<file or s3://bucket/key>`);
      }
      return { tableName: ref.TableName, location, ...readKdaSchema(src, ref.ReferenceSchema, [...at, 'ReferenceSchema']) };
    });

  const plain = src.locateText(codePath);
  const at = plain ?? src.locateText([...codePath, 'Fn::Sub']);
  return {
    name: props.ApplicationName === undefined ? appId : resolveString(src, props.ApplicationName, [...base, 'ApplicationName'], params),
    sql,
    input: {
      ...schema,
      namePrefix,
      source: options.source ?? { type: 'embedded' },
      startingPosition: options.startingPosition ?? 'TRIM_HORIZON',
      preprocessor: importPreprocessor(input.InputProcessingConfiguration !== undefined, options),
    },
    references,
    outputs,
    origin: { file: src.file, form: 'cloudformation', sqlStart: at && { line: at.line, column: at.column }, sqlIndent: at?.indent, sqlQuoted: plain?.quoted },
  };
}

function parameterValues(declared: unknown, given: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = { 'AWS::Region': 'us-east-1', 'AWS::AccountId': '000000000000', 'AWS::StackName': 'local', 'AWS::Partition': 'aws' };
  if (isObject(declared)) for (const [k, p] of Object.entries(declared)) if (isObject(p) && p.Default !== undefined) out[k] = String(p.Default);
  return { ...out, ...given };
}

function getIn(v: any, path: FieldPath): any {
  for (const p of path) v = v?.[p];
  return v;
}

/** ApplicationName: !Ref App (or the literal name) links an output or reference resource to its application. */
function refersTo(v: unknown, appId: string): boolean {
  return isObject(v) ? v.Ref === appId : typeof v === 'string';
}

/** A string property, possibly built with Fn::Sub / Fn::Join / Ref over parameters; anything else cannot run locally. */
function resolveString(src: SourceDocument, v: any, path: FieldPath, params: Record<string, string>): string {
  if (typeof v === 'string') return v;
  if (isObject(v)) {
    if ('Ref' in v && typeof v.Ref === 'string' && v.Ref in params) return params[v.Ref];
    if ('Fn::Sub' in v) {
      const [text, vars] = Array.isArray(v['Fn::Sub']) ? v['Fn::Sub'] : [v['Fn::Sub'], {}];
      if (typeof text !== 'string') throw src.error([...path, 'Fn::Sub'], 'must be a string');
      return text.replace(/\$\{([^}!]+)\}/g, (whole: string, name: string) => {
        if (isObject(vars) && name in vars) return resolveString(src, vars[name], [...path, 'Fn::Sub', 1, name], params);
        if (name in params) return params[name];
        throw src.error([...path, 'Fn::Sub'], `\${${name}} cannot be resolved locally: give it with --parameter ${name}=<value>`);
      });
    }
    if ('Fn::Join' in v && Array.isArray(v['Fn::Join']) && Array.isArray(v['Fn::Join'][1])) {
      const [sep, parts] = v['Fn::Join'];
      return parts.map((p: any, i: number) => resolveString(src, p, [...path, 'Fn::Join', 1, i], params)).join(String(sep));
    }
  }
  throw src.error(path, `must be a string (or Fn::Sub/Fn::Join/Ref of parameters) to run locally. Received ${JSON.stringify(v)?.slice(0, 80)}`);
}
/* eslint-enable @typescript-eslint/no-explicit-any */
