/**
 * Reads a KDA application from a CloudFormation template like the original project's streaming-app.yaml: an
 * `AWS::KinesisAnalytics::Application`, or an `AWS::KinesisAnalyticsV2::Application` with the SQL runtime
 * (SQL-1_0), with the ApplicationOutput and ApplicationReferenceDataSource resources (V1 or V2) that name it.
 * Parameters are checked and intrinsics resolved as CloudFormation would (cloudformation-parameters.ts,
 * cloudformation-intrinsics.ts); resources whose Condition is false do not exist. The AWS resources the
 * application names are mapped to local ones through ImportOptions; the SQL and the schema run unchanged.
 */
import type { ReferenceDefinition } from '../../spec/app-definition.js';
import { DEFAULT_NAME_PREFIX } from '../../spec/app-definition.js';
import { firstUnresolved, TemplateResolver, Unresolved } from './cloudformation-intrinsics.js';
import { TemplateParameters } from './cloudformation-parameters.js';
import { fieldSite, optionSite, type ReadDefinition, type Site } from './definition-sites.js';
import type { ImportOptions } from './import-options.js';
import { bucketFromArn, importOutput, importPreprocessor } from './kda-application-parts.js';
import { isObject, readKdaSchema } from './kda-schema.js';
import type { ErrorSite, FieldPath, SourceDocument } from './source-document.js';

const APP_V1 = 'AWS::KinesisAnalytics::Application';
const APP_V2 = 'AWS::KinesisAnalyticsV2::Application';
const OUTPUT_TYPES = ['AWS::KinesisAnalytics::ApplicationOutput', 'AWS::KinesisAnalyticsV2::ApplicationOutput'];
const REFERENCE_TYPES = ['AWS::KinesisAnalytics::ApplicationReferenceDataSource', 'AWS::KinesisAnalyticsV2::ApplicationReferenceDataSource'];
/** The one runtime of KDA for SQL applications in the V2 API; the others are Apache Flink's. */
const SQL_RUNTIME = 'SQL-1_0';

export function isCloudFormationTemplate(value: unknown): boolean {
  return isObject(value) && isObject(value.Resources);
}

/* eslint-disable @typescript-eslint/no-explicit-any -- untyped template, checked field by field */
export function readCloudFormation(src: SourceDocument, options: ImportOptions = {}): ReadDefinition {
  const t = src.value as any;
  const r = new TemplateResolver(src, new TemplateParameters(src, options.parameters ?? {}));
  const exists = (id: string): boolean => {
    const c = t.Resources[id]?.Condition;
    if (c === undefined) return true;
    const holds = typeof c === 'string' ? r.condition(c, ['Resources', id, 'Condition']) : new Unresolved(['Resources', id, 'Condition'], 'must be a condition name');
    if (holds instanceof Unresolved) throw r.error(holds);
    return holds;
  };
  const resources = Object.entries(t.Resources as Record<string, any>).filter(([id]) => exists(id));
  const apps = resources.filter(([, res]) => res?.Type === APP_V1 || res?.Type === APP_V2);
  if (apps.length === 0) {
    throw src.error(['Resources'], `no ${APP_V1} (or ${APP_V2} with RuntimeEnvironment ${SQL_RUNTIME}) resource in this template, so there is no application to run`);
  }
  if (apps.length > 1) {
    throw src.error(['Resources', apps[1][0]], `the template has ${apps.length} KDA applications (${apps.map(([id]) => id).join(', ')}); give a template with one`);
  }
  const [appId, app] = apps[0];
  const base: FieldPath = ['Resources', appId, 'Properties'];
  const props = r.resolve(base);
  if (!isObject(props)) throw src.error(base, 'the application has no Properties');
  const at = view(r, props, base);
  const need = (v: unknown, path: FieldPath, what: string): string => {
    if (v instanceof Unresolved) throw r.error(v);
    if (typeof v !== 'string') throw at.error(path, `must be ${what}. Received ${JSON.stringify(v)?.slice(0, 80)}`);
    return v;
  };

  const v2 = app.Type === APP_V2;
  let codePath: FieldPath;
  let inputsPath: FieldPath;
  if (v2) {
    const runtime = need(props.RuntimeEnvironment, [...base, 'RuntimeEnvironment'], `the runtime ${SQL_RUNTIME}`);
    if (runtime !== SQL_RUNTIME) throw at.error([...base, 'RuntimeEnvironment'], `only SQL applications (RuntimeEnvironment ${SQL_RUNTIME}) run here. Received ${JSON.stringify(runtime)}`);
    const code = props.ApplicationConfiguration?.ApplicationCodeConfiguration;
    const codeAt = [...base, 'ApplicationConfiguration', 'ApplicationCodeConfiguration'];
    if (code?.CodeContent?.S3ContentLocation !== undefined) {
      throw at.error([...codeAt, 'CodeContent', 'S3ContentLocation'], 'the SQL is an S3 object, which cannot be read here; put it in CodeContent.TextContent');
    }
    codePath = [...codeAt, 'CodeContent', 'TextContent'];
    inputsPath = [...base, 'ApplicationConfiguration', 'SqlApplicationConfiguration', 'Inputs'];
  } else {
    codePath = [...base, 'ApplicationCode'];
    inputsPath = [...base, 'Inputs'];
  }
  const sql = need(get(props, codePath.slice(base.length)), codePath, 'the SQL of the application (a string)');
  const inputs = get(props, inputsPath.slice(base.length));
  if (inputs instanceof Unresolved) throw r.error(inputs);
  if (!Array.isArray(inputs) || inputs.length !== 1) {
    throw at.error(inputsPath, `a KDA application has exactly one streaming input. Received ${Array.isArray(inputs) ? inputs.length : 'none'}`);
  }
  const input = inputs[0];
  const inPath = [...inputsPath, 0];
  const schema = readKdaSchema(at, resolved(r, input.InputSchema), [...inPath, 'InputSchema']);
  const namePrefix = input.NamePrefix === undefined ? DEFAULT_NAME_PREFIX : need(input.NamePrefix, [...inPath, 'NamePrefix'], 'a string');
  const name = props.ApplicationName === undefined ? appId : need(props.ApplicationName, [...base, 'ApplicationName'], 'a string');

  const linked = (types: string[]) =>
    resources.filter(([, res]) => types.includes(res?.Type) && refersTo(res.Properties?.ApplicationName, appId, name));

  const outputSites: Site[] = [];
  const outputs = linked(OUTPUT_TYPES).map(([id]) => {
    const path: FieldPath = ['Resources', id, 'Properties', 'Output'];
    const o = r.resolve(path);
    if (!isObject(o)) throw src.error(path, 'must be an object with Name and DestinationSchema');
    const oAt = view(r, o, path);
    if (o.Name instanceof Unresolved) throw r.error(o.Name);
    if (typeof o.Name !== 'string') throw oAt.error([...path, 'Name'], 'must be the name of an in-application stream');
    outputSites.push(fieldSite(oAt, [...path, 'Name']));
    const format = o.DestinationSchema?.RecordFormatType;
    if (format instanceof Unresolved) throw r.error(format);
    return importOutput(o.Name, format, options);
  });

  const referenceSites: Site[] = [];
  const references = linked(REFERENCE_TYPES).map(([id]): ReferenceDefinition => {
    const path: FieldPath = ['Resources', id, 'Properties', 'ReferenceDataSource'];
    const ref = r.resolve(path);
    if (!isObject(ref)) throw src.error(path, 'must be an object with TableName, S3ReferenceDataSource and ReferenceSchema');
    const refAt = view(r, ref, path);
    if (ref.TableName instanceof Unresolved) throw r.error(ref.TableName);
    if (typeof ref.TableName !== 'string') throw refAt.error([...path, 'TableName'], 'must be a table name');
    const s3 = isObject(ref.S3ReferenceDataSource) ? ref.S3ReferenceDataSource : {};
    const bucket = bucketFromArn(s3.BucketARN);
    const given = options.references?.[ref.TableName];
    const location = given ?? (bucket && typeof s3.FileKey === 'string' ? `s3://${bucket}/${s3.FileKey}` : undefined);
    if (location === undefined) {
      const why = firstUnresolved(s3);
      throw refAt.error(
        [...path, 'S3ReferenceDataSource'],
        `the S3 object of reference table ${ref.TableName} cannot be resolved locally${why ? ` (${why.message})` : ''}; give its location with --reference ${ref.TableName}=<file or s3://bucket/key>`,
      );
    }
    referenceSites.push(given !== undefined ? optionSite(`--reference ${ref.TableName}`) : fieldSite(refAt, [...path, 'S3ReferenceDataSource']));
    return { tableName: ref.TableName, location, ...readKdaSchema(refAt, resolved(r, ref.ReferenceSchema), [...path, 'ReferenceSchema']) };
  });

  const raw = get(t, codePath);
  const textPath = isObject(raw) && 'Fn::Sub' in raw ? [...codePath, 'Fn::Sub', ...(Array.isArray(raw['Fn::Sub']) ? [0] : [])] : codePath;
  const text = src.locateText(textPath);
  return {
    definition: {
      name,
      sql,
      input: {
        ...schema,
        namePrefix,
        source: options.source ?? { type: 'embedded' },
        startingPosition: options.startingPosition ?? 'TRIM_HORIZON',
        // A condition can remove the input Lambda (Fn::If [..., AWS::NoValue]): then records are not de-aggregated.
        preprocessor: importPreprocessor(input.InputProcessingConfiguration !== undefined, options),
      },
      references,
      outputs,
      origin: { file: src.file, form: 'cloudformation', sqlStart: text && { line: text.line, column: text.column }, sqlIndent: text?.indent, sqlQuoted: text?.quoted },
    },
    sites: {
      sql: fieldSite(src, codePath),
      outputStreams: outputSites,
      outputPrefixes: outputs.map(() => undefined),
      referenceLocations: referenceSites,
      preprocessorModule: options.preprocessor?.type === 'module' ? optionSite('--preprocessor') : undefined,
    },
  };
}

function get(v: any, path: FieldPath): any {
  for (const p of path) v = v?.[p];
  return v;
}

/** Errors at paths into a resolved value, placed where its parts came from in the file. */
function view(r: TemplateResolver, root: unknown, rootAt: FieldPath): ErrorSite {
  return { error: (path, message) => r.src.error(r.filePath(root, rootAt, path.slice(rootAt.length)), message) };
}

/** A schema must be fully known: the first unresolvable value in it is the error. */
function resolved(r: TemplateResolver, v: unknown): unknown {
  const u = firstUnresolved(v);
  if (u) throw r.error(u);
  return v;
}

/** ApplicationName `!Ref App` (or the application's name as text) links an output or reference resource to its application. */
function refersTo(v: unknown, appId: string, appName: string): boolean {
  if (isObject(v) && v.Ref === appId) return true;
  return typeof v === 'string' && v === appName;
}
/* eslint-enable @typescript-eslint/no-explicit-any */
