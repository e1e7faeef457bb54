import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../errors.js';
import type { ImportOptions } from './import-options.js';
import { loadApplicationDefinition } from './load-app-definition.js';
import { sqlPositionInFile } from '../../spec/sql-position.js';

const EXAMPLE = resolve(import.meta.dirname, '../../../examples/kda-terraform');
const MAIN = join(EXAMPLE, 'main.tf');
const VARS = join(EXAMPLE, 'terraform.tfvars');
const dir = mkdtempSync(join(tmpdir(), 'sa-tf-'));
let n = 0;

function write(name: string, text: string): string {
  const f = join(dir, `${n++}-${name}`);
  writeFileSync(f, text);
  return f;
}

function refusal(file: string, options: ImportOptions = {}): ConfigError {
  try {
    loadApplicationDefinition(file, options);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error(`${file} was accepted`);
}

function positionOf(text: string, needle: string, after = ''): { line: number; column: number } {
  const i = text.indexOf(needle, after === '' ? 0 : text.indexOf(after));
  if (i < 0) throw new Error(`'${needle}' not found`);
  const before = text.slice(0, i).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

/** A minimal resource; `code` and `name` are HCL expressions, `extra` more of the file. */
function tf(o: { name?: string; code?: string; extra?: string; column?: string }): string {
  return `${o.extra ?? ''}
resource "aws_kinesis_analytics_application" "app" {
  name = ${o.name ?? '"app"'}
  code = ${o.code ?? '"CREATE STREAM \\"OUT\\" (A INTEGER); CREATE PUMP \\"P\\" AS INSERT INTO \\"OUT\\" SELECT STREAM A FROM \\"SOURCE_SQL_STREAM_001\\";"'}
  inputs {
    name_prefix = "SOURCE_SQL_STREAM"
    schema {
      record_columns {
        name     = "A"
        sql_type = ${o.column ?? '"INTEGER"'}
      }
      record_format {
        mapping_parameters {
          csv {
            record_row_delimiter    = "\\n"
            record_column_delimiter = ";"
          }
        }
      }
    }
  }
  outputs {
    name = "OUT"
    schema { record_format_type = "CSV" }
  }
}
`;
}

describe('Terraform aws_kinesis_analytics_application', () => {
  it('reads the example with its .tfvars: SQL from a flush heredoc with interpolations, schema, outputs, positions', () => {
    const d = loadApplicationDefinition(MAIN, { varFiles: [VARS] });
    expect(d).toMatchObject({ name: 'ticker-analytics-tf', origin: { form: 'terraform' }, input: { namePrefix: 'SOURCE_SQL_STREAM', startingPosition: 'TRIM_HORIZON', preprocessor: { type: 'kpl' }, format: 'JSON', recordRowPath: '$' } });
    expect(d.input.columns[3]).toEqual({ name: 'PRICE', sqlType: 'REAL', mapping: '$.PRICE' });
    expect(d.outputs.map((o) => [o.stream, o.format])).toEqual([['DESTINATION_SQL_STREAM', 'JSON'], ['error_stream', 'JSON']]);
    expect(d.sql.startsWith('CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (\n  TICKER_SYMBOL VARCHAR(4),')).toBe(true);
    expect(d.sql).toContain("INTERVAL '10' SECOND");
    // SQL line 2 column 3 is TICKER_SYMBOL, indented in the file by the heredoc's 4 plus 2.
    const text = readFileSync(MAIN, 'utf8');
    expect(sqlPositionInFile(d.origin, 2, 3)).toEqual({ file: MAIN, ...positionOf(text, 'TICKER_SYMBOL VARCHAR(4)') });
  });

  it('--var overrides .tfvars and defaults, converted to the variable type; a dynamic block follows its for_each', () => {
    const d = loadApplicationDefinition(MAIN, { varFiles: [VARS], variables: { window_seconds: '60', source_records_aggregation: 'false' } });
    expect(d.sql).toContain("INTERVAL '60' SECOND");
    expect(d.input.preprocessor).toEqual({ type: 'none' });
    const text = readFileSync(MAIN, 'utf8');
    const e = refusal(MAIN, { variables: { window_seconds: 'ten' } });
    expect(e.message).toContain('--var window_seconds=ten: a number is required (type = number)');
    expect(e.location).toEqual({ file: MAIN, ...positionOf(text, 'number', 'variable "window_seconds"') });
    expect(refusal(MAIN, { variables: { windowSeconds: '5' } }).message).toMatch(/^--var windowSeconds: .*declares no variable "windowSeconds" \(it declares application_name, window_seconds/);
  });

  it('a variable the application needs but that has no value is named with how to give it, at the reference', () => {
    const text = tf({ name: 'var.app_name', extra: 'variable "app_name" {\n  type = string\n}\n' });
    const f = write('main.tf', text);
    const e = refusal(f);
    expect(e.message).toContain('variable "app_name" has no value (and no default): give it with --var app_name=<value> or in a .tfvars file with --var-file');
    expect(e.location).toEqual({ file: f, ...positionOf(text, 'var.app_name') });
    const vars = write('x.tfvars', 'app_name = "from-file"\n');
    expect(loadApplicationDefinition(f, { varFiles: [vars] }).name).toBe('from-file');
    expect(loadApplicationDefinition(f, { varFiles: [vars], variables: { app_name: 'from-var' } }).name).toBe('from-var');
  });

  it('what only terraform apply knows, where the application needs it, is an error at its line and column', () => {
    const text = tf({ name: 'aws_iam_role.kda.name' });
    const f = write('main.tf', text);
    const e = refusal(f);
    expect(e.message).toContain('aws_iam_role.kda.name is known only once Terraform has applied the configuration');
    expect(e.location).toEqual({ file: f, ...positionOf(text, 'aws_iam_role.kda.name') });
  });

  it('schema errors at the field, named as Terraform names it; HCL syntax errors at their position', () => {
    const text = tf({ column: '"REALLY"' });
    const f = write('main.tf', text);
    const e = refusal(f);
    expect(e.message).toContain('aws_kinesis_analytics_application.app.inputs.schema.record_columns[0].sql_type: unknown SQL type');
    expect(e.location).toEqual({ file: f, ...positionOf(text, '"REALLY"') });
    const bad = tf({}).replace('name_prefix = "SOURCE_SQL_STREAM"', 'name_prefix = = "X"');
    const g = write('bad.tf', bad);
    const s = refusal(g);
    expect(s.message).toMatch(/not valid HCL/);
    expect(s.location?.line).toBe(positionOf(bad, '= = "X"').line);
  });

  it('code as a quoted string or from file(): SQL positions map to the string or the SQL file', () => {
    const text = tf({});
    const f = write('main.tf', text);
    const d = loadApplicationDefinition(f);
    expect(d.input).toMatchObject({ format: 'CSV', rowDelimiter: '\n', columnDelimiter: ';' });
    // SQL column 15 is `"OUT"` of CREATE STREAM; in the file each \" is two characters.
    expect(sqlPositionInFile(d.origin, 1, 15)).toEqual({ file: f, ...positionOf(text, '\\"OUT\\" (A') });
    writeFileSync(join(dir, 'app.sql'), 'CREATE STREAM "OUT" (A INTEGER);\nCREATE PUMP "P" AS INSERT INTO "OUT" SELECT STREAM A FROM "SOURCE_SQL_STREAM_001";\n');
    const g = write('file.tf', tf({ code: 'file("${path.module}/app.sql")' }));
    const e = loadApplicationDefinition(g);
    expect(e.sql).toContain('CREATE PUMP');
    expect(sqlPositionInFile(e.origin, 2, 4)).toEqual({ file: join(dir, 'app.sql'), line: 2, column: 4 });
  });

  it('the whole-application checks apply: an output stream the SQL never creates, at the output name', () => {
    const text = tf({}).replace('name = "OUT"', 'name = "OTU"');
    const f = write('main.tf', text);
    const e = refusal(f);
    expect(e.message).toContain('outputs[0].name: the SQL creates no stream "OTU"');
    expect(e.location).toEqual({ file: f, ...positionOf(text, '"OTU"') });
  });
});
