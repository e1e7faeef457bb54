import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../exit-codes.js';
import { validateCommand } from './index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'validate-'));
const schema = path.join(dir, 'schema.json');
writeFileSync(schema, JSON.stringify({ columns: [{ name: 'TICKER', sqlType: 'VARCHAR(4)' }, { name: 'PRICE', sqlType: 'DOUBLE' }] }));

function validate(sql: string): { code: number; out: string; err: string; file: string } {
  const file = path.join(dir, `app-${Math.random().toString(36).slice(2)}.sql`);
  writeFileSync(file, sql);
  let out = '';
  let err = '';
  const code = validateCommand(file, { schema }, (s) => (out += s), (s) => (err += s));
  return { code, out, err, file };
}

describe('validate', () => {
  it('accepts a valid application', () => {
    const r = validate('CREATE STREAM "D" (T VARCHAR(4), P DOUBLE);\nCREATE PUMP "P" AS INSERT INTO "D" SELECT STREAM TICKER, PRICE FROM "SOURCE_SQL_STREAM_001";');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/OK \(1 stream\(s\), 1 pump\(s\)\)/);
  });
  it('rejects a bad one with the line and column', () => {
    const r = validate('CREATE STREAM "D" (T VARCHAR(4));\nCREATE PUMP "P" AS INSERT INTO "D"\n  SELECT STREAM TICKR FROM "SOURCE_SQL_STREAM_001";');
    expect(r.code).toBe(ExitCode.INVALID_APPLICATION);
    expect(r.err).toContain(`PlanError: ${r.file}:3:17: line 3, column 17: unknown column TICKR`);
  });
  it('rejects a syntax error with the line and column', () => {
    const r = validate('CREATE STREAM "D" (T VARCHAR(4)\nCREATE PUMP');
    expect(r.code).toBe(ExitCode.INVALID_APPLICATION);
    expect(r.err).toContain(`SqlSyntaxError: ${r.file}:2:1: line 2, column 1: expected`);
  });
});

describe('validate an application file: positions in the file come from the error fields', () => {
  const app = (name: string, body: string) => {
    const f = path.join(dir, name);
    writeFileSync(f, body);
    let err = '';
    const code = validateCommand(f, {}, () => {}, (s) => (err += s));
    return { code, err, f };
  };
  const head = 'name: t\ninput:\n  namePrefix: IN\n  format: JSON\n  columns:\n    - { name: A, sqlType: INTEGER, mapping: $.A }\n';
  it('a SQL error inside the YAML names the YAML line and column, then the SQL line and column', () => {
    const r = app('sql-error.yaml', `${head}sql: CREATE STREAM "D" (A INTEGER); CREATE PUMP "P" AS INSERT INTO "D" SELECT STREAM B FROM "IN_001";\n`);
    expect(r.code).toBe(ExitCode.INVALID_APPLICATION);
    const column = 'sql: '.length + 'CREATE STREAM "D" (A INTEGER); CREATE PUMP "P" AS INSERT INTO "D" SELECT STREAM '.length + 1;
    expect(r.err).toBe(`PlanError: ${r.f}:7:${column}: line 1, column ${column - 'sql: '.length}: unknown column B\n`);
  });
  it('a configuration error names the file, line and column, then the field', () => {
    const r = app('config-error.yaml', head.replace('format: JSON', 'format: XML') + 'sql: SELECT 1\n');
    expect(r.code).toBe(ExitCode.INVALID_APPLICATION);
    expect(r.err).toMatch(new RegExp(`^ConfigError: ${r.f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4:\\d+: input\\.format: must be one of`));
  });
});

describe('validate --schema formats', () => {
  const sql = path.join(dir, 'kda.sql');
  writeFileSync(sql, 'CREATE STREAM "D" (T VARCHAR(4));\nCREATE PUMP "P" AS INSERT INTO "D" SELECT STREAM "ticker" FROM "IN_001";');
  const run = (name: string, content: string) => {
    const f = path.join(dir, name);
    writeFileSync(f, content);
    let err = '';
    const code = validateCommand(sql, { schema: f }, () => {}, (s) => (err += s));
    return { code, err };
  };
  it('reads a KDA DescribeApplication response', () => {
    const r = run('describe.json', JSON.stringify({ ApplicationDetail: { InputDescriptions: [{ NamePrefix: 'IN', InputSchema: { RecordColumns: [{ Name: 'ticker', SqlType: 'VARCHAR(4)' }] } }] } }));
    expect(r).toEqual({ code: 0, err: '' });
  });
  it('reads a KDA InputSchema', () => {
    expect(run('input-schema.json', JSON.stringify({ NamePrefix: 'IN', InputSchema: { RecordColumns: [{ Name: 'ticker', SqlType: 'VARCHAR(4)' }] } })).code).toBe(0);
  });
  it('reads an application YAML file', () => {
    expect(run('app.yaml', 'input:\n  namePrefix: IN\n  columns:\n    - { name: ticker, sqlType: VARCHAR(4) }\n').code).toBe(0);
  });
  it('reports the name prefix mismatch as an unknown stream', () => {
    const r = run('plain.json', JSON.stringify({ columns: [{ name: 'ticker', sqlType: 'VARCHAR(4)' }] }));
    expect(r.code).toBe(ExitCode.INVALID_APPLICATION);
    expect(r.err).toMatch(/line 2, column \d+: unknown stream "IN_001"/);
  });
  it('a schema without columns is an invalid application, naming the file', () => {
    const r = run('empty.json', '{}');
    expect(r.code).toBe(ExitCode.INVALID_APPLICATION);
    expect(r.err).toContain('empty.json has no input columns');
  });
  it('a case file as schema brings its reference tables, so a join to them validates', () => {
    const caseFile = path.join(dir, 'case.json');
    writeFileSync(caseFile, JSON.stringify({
      input: { columns: [{ name: 'TICKER', sqlType: 'VARCHAR(4)' }] },
      reference: [{ tableName: 'Company', columns: [{ name: 'T', sqlType: 'VARCHAR(4)' }, { name: 'N', sqlType: 'VARCHAR(8)' }] }],
    }));
    const file = path.join(dir, 'join.sql');
    writeFileSync(file, 'CREATE STREAM "D" (T VARCHAR(4), N VARCHAR(8));\nCREATE PUMP "P" AS INSERT INTO "D" SELECT STREAM s.TICKER, c."N" FROM "SOURCE_SQL_STREAM_001" s JOIN "Company" c ON s.TICKER = c."T";');
    let out = '';
    expect(validateCommand(file, { schema: caseFile }, (x) => (out += x), () => undefined)).toBe(0);
    expect(out).toMatch(/OK/);
  });
});

describe('validate refuses what run refuses (the checks live in the definition loader both use)', () => {
  it('an output prefix that escapes its folder: exit 3 at the prefix field', () => {
    const text = 'name: app\nsql: |\n  CREATE STREAM "D" (A INTEGER);\n  CREATE PUMP "P" AS INSERT INTO "D" SELECT STREAM A FROM "SOURCE_SQL_STREAM_001";\ninput:\n  format: JSON\n  columns: [{ name: A, sqlType: INTEGER, mapping: $.a }]\noutputs:\n  - { stream: D, destination: out, prefix: ../x/ }\n';
    const file = path.join(dir, 'prefix.yaml');
    writeFileSync(file, text);
    let err = '';
    const code = validateCommand(file, {}, () => undefined, (s) => (err += s));
    expect(code).toBe(ExitCode.INVALID_APPLICATION);
    expect(err).toContain(`ConfigError: ${file}:9:44: outputs[0].prefix: a key prefix must be relative`);
  });

  it('an output whose stream the SQL never creates: exit 3 at the stream field', () => {
    const text = 'name: app\nsql: CREATE STREAM "D" (A INTEGER);\ninput:\n  format: JSON\n  columns: [{ name: A, sqlType: INTEGER, mapping: $.a }]\noutputs:\n  - { stream: E, destination: out }\n';
    const file = path.join(dir, 'stream.yaml');
    writeFileSync(file, text);
    let err = '';
    expect(validateCommand(file, {}, () => undefined, (s) => (err += s))).toBe(ExitCode.INVALID_APPLICATION);
    expect(err).toContain(`ConfigError: ${file}:7:15: outputs[0].stream: the SQL creates no stream "E"`);
  });
});
