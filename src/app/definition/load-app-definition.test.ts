import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../errors.js';
import { loadApplicationDefinition } from './load-app-definition.js';
import { sqlPositionInFile } from '../../spec/sql-position.js';

const examples = resolve(import.meta.dirname, '../../../examples');

function tempFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'sa-def-'));
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
}

function configError(f: () => unknown): ConfigError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('loadApplicationDefinition: the project form', () => {
  it('reads the ticker example from its directory, with defaults filled in', () => {
    const d = loadApplicationDefinition(join(examples, 'ticker'));
    expect(d.name).toBe('ticker');
    expect(d.sql).toContain('STEP("SOURCE_SQL_STREAM_001".ROWTIME BY INTERVAL \'10\' SECOND)');
    expect(d.input.namePrefix).toBe('SOURCE_SQL_STREAM');
    expect(d.input.preprocessor).toEqual({ type: 'kpl' });
    expect(d.input.source).toEqual({ type: 'embedded' });
    expect(d.input.columns.map((c) => c.name)).toEqual(['TICKER_SYMBOL', 'SECTOR', 'CHANGE', 'PRICE', 'EVENT_TIME']);
    expect(d.outputs[0].destination).toEqual({ type: 'local', path: 'output/analytics-bucket' });
    expect(d.outputs[1]).toMatchObject({ stream: 'error_stream', prefix: 'errors/' });
    expect(d.origin.sqlFile).toBe(join(examples, 'ticker', 'ticker.sql'));
  });

  it('names the field, the file, the line and the column of a schema error', () => {
    const f = tempFile('app.yaml', 'sql: SELECT 1\ninput:\n  format: JSON\n  columns:\n    - { name: A, sqlType: INTEGER, mapping: $.a }\n    - { name: B, sqltype: INTEGER }\n');
    const e = configError(() => loadApplicationDefinition(f));
    expect(e.field).toBe('input.columns[1].sqltype');
    expect(e.message).toContain("unknown field 'sqltype'");
    expect(e.location).toMatchObject({ file: f, line: 6 });
  });

  it('rejects a bad enum value with the allowed values', () => {
    const f = tempFile('app.yaml', 'sql: x\ninput:\n  format: XML\n  columns: [{ name: A, sqlType: INTEGER }]\n');
    const e = configError(() => loadApplicationDefinition(f));
    expect(e.field).toBe('input.format');
    expect(e.message).toMatch(/must be one of "JSON", "CSV"/);
    expect(e.location?.line).toBe(3);
  });

  it('rejects an unknown destination scheme and an invalid bucket name', () => {
    const base = 'sql: x\ninput:\n  format: JSON\n  columns: [{ name: A, sqlType: INTEGER, mapping: $.a }]\noutputs:\n';
    const e1 = configError(() => loadApplicationDefinition(tempFile('a.yaml', `${base}  - { stream: S, destination: 'ftp://x/y' }\n`)));
    expect(e1.field).toBe('outputs[0].destination');
    expect(e1.message).toContain('unknown destination scheme');
    const e2 = configError(() => loadApplicationDefinition(tempFile('a.yaml', `${base}  - { stream: S, destination: 's3://My_Bucket/p' }\n`)));
    expect(e2.message).toContain("'My_Bucket' is not a valid S3 bucket name");
  });

  it('requires exactly one of sql and sqlFile', () => {
    const e = configError(() => loadApplicationDefinition(tempFile('a.yaml', 'input:\n  format: JSON\n  columns: [{ name: A, sqlType: INTEGER }]\n')));
    expect(e.field).toBe('sql');
  });

  it('reports YAML syntax errors with their position', () => {
    const e = configError(() => loadApplicationDefinition(tempFile('a.yaml', 'input:\n  format: [JSON\n')));
    expect(e.message).toMatch(/not valid YAML or JSON/);
    expect(e.location?.file).toMatch(/a\.yaml$/);
  });

  it('maps inline SQL positions in a block scalar to file positions', () => {
    const f = tempFile('a.yaml', 'name: x\nsql: |\n  CREATE STREAM s (a INTEGER);\n  SELEC oops\ninput:\n  format: JSON\n  columns: [{ name: A, sqlType: INTEGER, mapping: $.a }]\n');
    const d = loadApplicationDefinition(f);
    expect(sqlPositionInFile(d.origin, 2, 1)).toEqual({ file: f, line: 4, column: 3 });
  });
});

describe('loadApplicationDefinition: AWS forms', () => {
  it('reads the seed-shaped CloudFormation template: SQL, schema, preprocessor, outputs', () => {
    const f = join(examples, 'kda-cloudformation', 'streaming-app.yaml');
    const d = loadApplicationDefinition(f);
    expect(d.name).toBe('ticker-analytics');
    expect(d.origin.form).toBe('cloudformation');
    expect(d.sql.startsWith('CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM"')).toBe(true);
    expect(d.input).toMatchObject({ namePrefix: 'SOURCE_SQL_STREAM', format: 'JSON', recordRowPath: '$', preprocessor: { type: 'kpl' } });
    expect(d.input.columns[3]).toEqual({ name: 'PRICE', sqlType: 'REAL', mapping: '$.PRICE' });
    expect(d.outputs.map((o) => [o.stream, o.destination, o.prefix])).toEqual([
      ['DESTINATION_SQL_STREAM', { type: 'local', path: 'output/destination-sql-stream' }, ''],
      ['error_stream', { type: 'local', path: 'output/error-stream' }, 'errors/'],
    ]);
    // The SQL starts on the line after `ApplicationCode: |`, indented by 8.
    expect(sqlPositionInFile(d.origin, 1, 1)).toEqual({ file: f, line: 30, column: 9 });
  });

  it('maps outputs and the source through options', () => {
    const d = loadApplicationDefinition(join(examples, 'kda-cloudformation', 'streaming-app.yaml'), {
      source: { type: 'kinesis', streamName: 'input-stream', endpoint: 'http://127.0.0.1:4567' },
      destinations: { DESTINATION_SQL_STREAM: { type: 's3', bucket: 'analytics', prefix: 'out/' } },
      preprocessor: { type: 'none' },
    });
    expect(d.input.source).toEqual({ type: 'kinesis', streamName: 'input-stream', endpoint: 'http://127.0.0.1:4567' });
    expect(d.input.preprocessor).toEqual({ type: 'none' });
    expect(d.outputs[0].destination).toEqual({ type: 's3', bucket: 'analytics', prefix: 'out/' });
  });

  it('reads describe-application JSON', () => {
    const d = loadApplicationDefinition(join(examples, 'kda-describe-application', 'ticker-analytics.json'));
    expect(d.origin.form).toBe('describe-application');
    expect(d.input.startingPosition).toBe('NOW');
    expect(d.input.preprocessor).toEqual({ type: 'kpl' });
    expect(d.outputs.map((o) => o.stream)).toEqual(['DESTINATION_SQL_STREAM', 'error_stream']);
    expect(d.sql).toContain('GROUP BY TICKER_SYMBOL');
  });

  it('names the field of a broken template', () => {
    const f = tempFile('t.yaml', 'Resources:\n  App:\n    Type: AWS::KinesisAnalytics::Application\n    Properties:\n      ApplicationCode: x\n      Inputs:\n        - InputSchema:\n            RecordFormat: { RecordFormatType: XML }\n            RecordColumns: [{ Name: A, SqlType: INTEGER }]\n');
    const e = configError(() => loadApplicationDefinition(f));
    expect(e.field).toBe('Resources.App.Properties.Inputs[0].InputSchema.RecordFormat.RecordFormatType');
    expect(e.location?.line).toBe(8);
  });

  it('asks for a parameter that a Fn::Sub in the SQL needs', () => {
    const f = tempFile('t.yaml', "Resources:\n  App:\n    Type: AWS::KinesisAnalytics::Application\n    Properties:\n      ApplicationCode: !Sub 'SELECT ${Missing}'\n      Inputs:\n        - InputSchema:\n            RecordFormat: { RecordFormatType: CSV }\n            RecordColumns: [{ Name: A, SqlType: INTEGER }]\n");
    const e = configError(() => loadApplicationDefinition(f));
    expect(e.message).toContain('--parameter Missing=<value>');
  });

  it('rejects a template without an application', () => {
    const e = configError(() => loadApplicationDefinition(tempFile('t.yaml', 'Resources:\n  B:\n    Type: AWS::S3::Bucket\n')));
    expect(e.message).toContain('no AWS::KinesisAnalytics::Application');
  });
});
