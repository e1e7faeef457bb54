/**
 * Reads a KDA application from a Terraform file holding an `aws_kinesis_analytics_application` resource (its
 * `code`, one `inputs` block with `schema`, `processing_configuration` and `starting_position_configuration`,
 * `outputs` and `reference_data_sources`). Variables come from `--var name=value`, `--var-file` .tfvars files
 * (later ones win, as in Terraform) and the `variable` blocks' defaults; a variable the application needs but
 * that has no value is named with how to give it. Errors name the file, line and column as for the other forms.
 */
import { resolve } from 'node:path';
import { ConfigError } from '../../errors.js';
import type { ColumnDefinition, RecordFormatDefinition, ReferenceDefinition, StartingPosition } from '../../spec/app-definition.js';
import { DEFAULT_NAME_PREFIX } from '../../spec/app-definition.js';
import { checkRecordFormat } from './check-record-format.js';
import { optionSite, type ReadDefinition, type Site } from './definition-sites.js';
import { children, HclDocument, HclEvaluator, heredocIndent, HclUnresolved, moduleDirOf, type HclBlock, type HclNode, type HclValue } from './hcl-document.js';
import type { ImportOptions } from './import-options.js';
import { bucketFromArn, importOutput, importPreprocessor } from './kda-application-parts.js';
import { formatPath, type ErrorSite, type FieldPath } from './source-document.js';

const RESOURCE = 'aws_kinesis_analytics_application';

export function isTerraformFile(file: string): boolean {
  return /\.tf$/i.test(file);
}

/** Where each field read so far sits in the file, so that later checks (the record format) keep positions. */
class Fields implements ErrorSite {
  private readonly at = new Map<string, number>();
  constructor(private readonly doc: HclDocument) {}
  note(path: FieldPath, offset: number): void {
    this.at.set(formatPath(path), offset);
  }
  error(path: FieldPath, message: string): ConfigError {
    for (let n = path.length; n >= 0; n--) {
      const offset = this.at.get(formatPath(path.slice(0, n)));
      if (offset !== undefined) return this.doc.error(offset, formatPath(path), message);
    }
    return this.doc.error(0, formatPath(path), message);
  }
}

export function readTerraform(file: string, options: ImportOptions = {}): ReadDefinition {
  const doc = HclDocument.read(file);
  const blocks = doc.blocks();
  const given = { ...readVarFiles(options.varFiles ?? []), ...(options.variables ?? {}) };
  const declared = new Map(blocks.filter((b) => b.type === 'variable' && b.labels.length === 1).map((b) => [b.labels[0], b]));
  for (const name of Object.keys(given)) {
    if (!declared.has(name)) throw new ConfigError(`--var ${name}`, `${file} declares no variable "${name}"${declared.size > 0 ? ` (it declares ${[...declared.keys()].join(', ')})` : ''}`);
  }
  const localNodes = new Map<string, HclNode>();
  for (const b of blocks.filter((x) => x.type === 'locals' && x.body)) for (const [k, a] of doc.attributes(b.body!)) localNodes.set(k, a);
  const locals = new Map<string, HclValue>();
  const evaluating = new Set<string>();

  const ev: HclEvaluator = new HclEvaluator(doc, {
    moduleDir: moduleDirOf(file),
    variable: (name, at) => {
      const decl = declared.get(name);
      if (!decl) return new HclUnresolved(at, `var.${name}: ${file} declares no variable "${name}"`);
      const attrs = decl.body ? doc.attributes(decl.body) : new Map<string, HclNode>();
      if (name in given) return convertVariable(doc, name, given[name], attrs);
      const def = attrs.get('default');
      if (def) return ev.evaluate(def.getChild('Expression')!);
      return new HclUnresolved(at, `variable "${name}" has no value (and no default): give it with --var ${name}=<value> or in a .tfvars file with --var-file`);
    },
    local: (name, at) => {
      if (locals.has(name)) return locals.get(name)!;
      const node = localNodes.get(name);
      if (!node) return new HclUnresolved(at, `local.${name}: no such local value in ${file}`);
      if (evaluating.has(name)) return new HclUnresolved(at, `local.${name} refers to itself`);
      evaluating.add(name);
      const v = ev.evaluate(node.getChild('Expression')!);
      evaluating.delete(name);
      locals.set(name, v);
      return v;
    },
  });

  const apps = blocks.filter((b) => b.type === 'resource' && b.labels[0] === RESOURCE && exists(doc, ev, b));
  if (apps.length === 0) throw doc.error(0, '(file)', `no resource "${RESOURCE}" in this file, so there is no application to run`);
  if (apps.length > 1) throw doc.error(apps[1].at, `${RESOURCE}.${apps[1].labels[1]}`, `the file has ${apps.length} ${RESOURCE} resources; give a file with one`);
  const app = apps[0];
  const base: FieldPath = [RESOURCE, app.labels[1] ?? 'app'];
  const fields = new Fields(doc);
  fields.note(base, app.at);
  const r = new Reader(doc, ev, fields);
  const body = app.body!;

  const name = r.string(body, base, 'name', true)!;
  const codeAttr = doc.attributes(body).get('code');
  if (!codeAttr) throw fields.error(base, 'has no `code`: the application has no SQL');
  const sql = r.string(body, base, 'code', true)!;

  const inputs = r.blocks(body, base, 'inputs');
  if (inputs.length !== 1) throw fields.error([...base, 'inputs'], `a KDA application has exactly one streaming input (one inputs block). Received ${inputs.length}`);
  const inPath = [...base, 'inputs'];
  const input = inputs[0].body!;
  const schema = r.schema(input, inPath);
  const namePrefix = r.string(input, inPath, 'name_prefix') ?? DEFAULT_NAME_PREFIX;
  const start = r.blocks(input, inPath, 'starting_position_configuration')[0];
  const position = start?.body ? (r.string(start.body, [...inPath, 'starting_position_configuration'], 'starting_position') as StartingPosition | undefined) : undefined;
  const hasLambda = r.blocks(input, inPath, 'processing_configuration').length > 0;

  const outputSites: Site[] = [];
  const outputs = r.blocks(body, base, 'outputs').map((o, i) => {
    const at = [...base, 'outputs', i];
    const stream = r.string(o.body!, at, 'name', true)!;
    const s = r.blocks(o.body!, at, 'schema')[0];
    const format = s?.body ? r.string(s.body, [...at, 'schema'], 'record_format_type') : undefined;
    outputSites.push((message) => fields.error([...at, 'name'], message));
    return importOutput(stream, format, options);
  });

  const referenceSites: Site[] = [];
  const references = r.blocks(body, base, 'reference_data_sources').map((ref, i): ReferenceDefinition => {
    const at = [...base, 'reference_data_sources', i];
    const table = r.string(ref.body!, at, 'table_name', true)!;
    const s3 = r.blocks(ref.body!, at, 's3')[0];
    const bucket = s3?.body ? bucketFromArn(r.value(s3.body, [...at, 's3'], 'bucket_arn')) : undefined;
    const key = s3?.body ? r.value(s3.body, [...at, 's3'], 'file_key') : undefined;
    const givenLocation = options.references?.[table];
    const location = givenLocation ?? (bucket && typeof key === 'string' ? `s3://${bucket}/${key}` : undefined);
    if (location === undefined) throw fields.error([...at, 's3'], `the S3 object of reference table ${table} cannot be resolved locally; give its location with --reference ${table}=<file or s3://bucket/key>`);
    referenceSites.push(givenLocation !== undefined ? optionSite(`--reference ${table}`) : (message) => fields.error([...at, 's3'], message));
    return { tableName: table, location, ...r.schema(ref.body!, at) };
  });

  return {
    definition: {
      name,
      sql,
      input: {
        ...schema,
        namePrefix,
        source: options.source ?? { type: 'embedded' },
        startingPosition: options.startingPosition ?? position ?? 'TRIM_HORIZON',
        preprocessor: importPreprocessor(hasLambda, options),
      },
      references,
      outputs,
      origin: { file, form: 'terraform', ...sqlOrigin(doc, ev, codeAttr) },
    },
    sites: {
      sql: (message) => fields.error([...base, 'code'], message),
      outputStreams: outputSites,
      outputPrefixes: outputs.map(() => undefined),
      referenceLocations: referenceSites,
      preprocessorModule: options.preprocessor?.type === 'module' ? optionSite('--preprocessor') : undefined,
    },
  };
}

/** `count = 0` (often `var.enabled ? 1 : 0`) means the resource does not exist. */
function exists(doc: HclDocument, ev: HclEvaluator, b: HclBlock): boolean {
  const count = b.body ? doc.attributes(b.body).get('count') : undefined;
  if (!count) return true;
  const v = ev.evaluate(count.getChild('Expression')!);
  if (v instanceof HclUnresolved) throw doc.error(v.offset, 'count', v.message);
  if (Number(v) > 1) throw doc.error(count.from, 'count', `${RESOURCE} with count ${String(v)}: give one application`);
  return Number(v) === 1;
}

/** Reads attributes and nested blocks of the resource, noting each field's position. */
class Reader {
  constructor(
    private readonly doc: HclDocument,
    private readonly ev: HclEvaluator,
    private readonly fields: Fields,
  ) {}

  value(body: HclNode, at: FieldPath, name: string): HclValue | undefined {
    const a = this.doc.attributes(body).get(name);
    if (!a) return undefined;
    const expr = a.getChild('Expression')!;
    this.fields.note([...at, name], expr.from);
    return this.ev.evaluate(expr);
  }

  string(body: HclNode, at: FieldPath, name: string, required = false): string | undefined {
    const v = this.value(body, at, name);
    if (v === undefined) {
      if (required) throw this.fields.error([...at, name], 'is required');
      return undefined;
    }
    if (v instanceof HclUnresolved) throw this.doc.error(v.offset, formatPath([...at, name]), v.message);
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') throw this.fields.error([...at, name], `must be a string. Received ${JSON.stringify(v)}`);
    return String(v);
  }

  blocks(body: HclNode, at: FieldPath, type: string): HclBlock[] {
    const found: HclBlock[] = [];
    for (const b of this.doc.blocks(body)) {
      if (b.type === type) found.push(b);
      else if (b.type === 'dynamic' && b.labels[0] === type && b.body) found.push(...this.dynamic(b, [...at, type]));
    }
    found.forEach((b, i) => {
      this.fields.note([...at, type], found[0].at);
      this.fields.note([...at, type, i], b.at);
    });
    return found;
  }

  /** `dynamic "x" { for_each = ..., content {...} }`: one block per element (none for an empty list). */
  private dynamic(b: HclBlock, at: FieldPath): HclBlock[] {
    const forEach = this.doc.attributes(b.body!).get('for_each');
    const content = this.doc.blocks(b.body!).find((c) => c.type === 'content');
    if (!forEach || !content) throw this.fields.error(at, 'a dynamic block needs for_each and a content block');
    const v = this.ev.evaluate(forEach.getChild('Expression')!);
    if (v instanceof HclUnresolved) throw this.doc.error(v.offset, formatPath([...at, 'for_each']), v.message);
    const n = Array.isArray(v) ? v.length : v !== null && typeof v === 'object' ? Object.keys(v).length : 0;
    return Array.from({ length: n }, () => ({ ...content, type: b.labels[0] }));
  }

  /** A `schema` block (record_columns, record_encoding, record_format) as a checked RecordFormatDefinition. */
  schema(parent: HclNode, parentAt: FieldPath): RecordFormatDefinition {
    const s = this.blocks(parent, parentAt, 'schema')[0];
    const at = [...parentAt, 'schema'];
    if (!s?.body) throw this.fields.error(at, 'is required: a schema block with record_columns and record_format');
    const columns = this.blocks(s.body, at, 'record_columns').map((c, i): ColumnDefinition => {
      const cAt = [...at, 'record_columns', i];
      const mapping = this.string(c.body!, cAt, 'mapping');
      return { name: this.string(c.body!, cAt, 'name', true)!, sqlType: this.string(c.body!, cAt, 'sql_type', true)!, ...(mapping !== undefined ? { mapping } : {}) };
    });
    if (columns.length === 0) throw this.fields.error(at, 'needs at least one record_columns block');
    const encoding = this.string(s.body, at, 'record_encoding');
    if (encoding !== undefined && encoding.toUpperCase() !== 'UTF-8') throw this.fields.error([...at, 'record_encoding'], `only UTF-8 is supported (as in KDA). Received "${encoding}"`);
    const rf = this.blocks(s.body, at, 'record_format')[0];
    const fAt = [...at, 'record_format'];
    const mp = rf?.body ? this.blocks(rf.body, fAt, 'mapping_parameters')[0] : undefined;
    const mAt = [...fAt, 'mapping_parameters'];
    const json = mp?.body ? this.blocks(mp.body, mAt, 'json')[0] : undefined;
    const csv = mp?.body ? this.blocks(mp.body, mAt, 'csv')[0] : undefined;
    if (!json && !csv) throw this.fields.error(fAt, 'needs record_format { mapping_parameters { json {...} } } or { csv {...} }');
    const format: RecordFormatDefinition = json
      ? { format: 'JSON', columns, ...opt('recordRowPath', json.body && this.string(json.body, [...mAt, 'json'], 'record_row_path')) }
      : {
          format: 'CSV',
          columns,
          ...opt('rowDelimiter', csv!.body && this.string(csv!.body, [...mAt, 'csv'], 'record_row_delimiter')),
          ...opt('columnDelimiter', csv!.body && this.string(csv!.body, [...mAt, 'csv'], 'record_column_delimiter')),
        };
    const csvOrJson = json ? 'json' : 'csv';
    checkRecordFormat(this.fields, format, ([head, index, leaf]) => {
      if (head === 'columns') return [...at, 'record_columns', ...(index === undefined ? [] : [index, ...(leaf === undefined ? [] : [{ name: 'name', sqlType: 'sql_type', mapping: 'mapping' }[leaf as string] ?? leaf])])];
      const leafName = { recordRowPath: 'record_row_path', rowDelimiter: 'record_row_delimiter', columnDelimiter: 'record_column_delimiter' }[head as string];
      return leafName ? [...mAt, csvOrJson, leafName] : fAt;
    });
    return format;
  }
}

function opt<K extends string>(key: K, v: string | null | undefined): Partial<Record<K, string>> {
  return v === undefined || v === null ? {} : ({ [key]: v } as Record<K, string>);
}

/** A `--var` value as its variable's type asks (number, bool; anything else stays text). */
function convertVariable(doc: HclDocument, name: string, raw: HclValue, attrs: Map<string, HclNode>): HclValue {
  const typeNode = attrs.get('type');
  const type = typeNode ? doc.slice(typeNode.getChild('Expression')!) : 'string';
  if (typeof raw !== 'string') return raw;
  if (type === 'number') {
    if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(raw)) throw doc.error(typeNode!.getChild('Expression')!.from, `variable.${name}`, `--var ${name}=${raw}: a number is required (type = number)`);
    return Number(raw);
  }
  if (type === 'bool') {
    if (raw !== 'true' && raw !== 'false') throw doc.error(typeNode!.getChild('Expression')!.from, `variable.${name}`, `--var ${name}=${raw}: true or false is required (type = bool)`);
    return raw === 'true';
  }
  return raw;
}

/** The values of .tfvars files (`name = value` lines in HCL), later files overriding earlier ones. */
function readVarFiles(files: readonly string[]): Record<string, HclValue> {
  const out: Record<string, HclValue> = {};
  for (const f of files) {
    const doc = HclDocument.read(resolve(f));
    const ev = new HclEvaluator(doc, {
      moduleDir: moduleDirOf(f),
      variable: (n, at) => new HclUnresolved(at, `a .tfvars file cannot refer to var.${n}`),
      local: (n, at) => new HclUnresolved(at, `a .tfvars file cannot refer to local.${n}`),
    });
    for (const [name, a] of doc.attributes(doc.tree.topNode.getChild('Body') ?? doc.tree.topNode)) {
      const v = ev.evaluate(a.getChild('Expression')!);
      if (v instanceof HclUnresolved) throw doc.error(v.offset, name, v.message);
      out[name] = v;
    }
  }
  return out;
}

/** Where the SQL of `code` starts in the file: a heredoc's first line, a quoted string, or a file(). */
function sqlOrigin(doc: HclDocument, ev: HclEvaluator, attr: HclNode): Record<string, unknown> {
  const expr = attr.getChild('Expression')!;
  const heredoc = findHeredoc(expr);
  if (heredoc) {
    const lit = children(heredoc, 'TemplateLiteral')[0];
    if (!lit) return {};
    const flush = doc.slice(heredoc.getChild('HeredocStart')!) === '<<-';
    const indent = flush ? heredocIndent(doc.slice(lit)) : 0;
    const first = doc.position(lit.from + 1);
    return { sqlStart: { line: first.line, column: indent + 1 }, sqlIndent: indent };
  }
  const call = expr.firstChild?.name === 'FunctionCall' ? expr.firstChild : null;
  if (call && doc.slice(call.getChild('FunctionName')!) === 'file') {
    const arg = call.getChild('FunctionArguments')?.getChild('Expression');
    const path = arg ? ev.evaluate(arg) : undefined;
    if (typeof path === 'string') return { sqlFile: resolve(moduleDirOf(doc.file), path), sqlStart: { line: 1, column: 1 } };
    return {};
  }
  const text = doc.slice(expr);
  if (text.startsWith('"') && !text.includes('${')) {
    const start = doc.position(expr.from + 1);
    return { sqlStart: start, sqlQuoted: { style: 'double', text: text.slice(1, -1) } };
  }
  return {};
}

function findHeredoc(node: HclNode): HclNode | null {
  if (node.name === 'HeredocTemplate') return node;
  for (let c = node.firstChild; c; c = c.nextSibling) {
    const h = findHeredoc(c);
    if (h) return h;
  }
  return null;
}
