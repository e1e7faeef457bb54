import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../errors.js';
import type { ImportOptions } from './import-options.js';
import { loadApplicationDefinition } from './load-app-definition.js';

const dir = mkdtempSync(join(tmpdir(), 'sa-check-'));
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

/** 1-based line and column of `needle` in `text`. */
function positionOf(text: string, needle: string): { line: number; column: number } {
  const before = text.slice(0, text.indexOf(needle)).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

const SQL = 'CREATE OR REPLACE STREAM "DEST" (A INTEGER);\nCREATE OR REPLACE PUMP "P" AS INSERT INTO "DEST" SELECT STREAM A FROM "SOURCE_SQL_STREAM_001";\n';
const INPUT = 'input:\n  format: JSON\n  columns: [{ name: A, sqlType: INTEGER, mapping: $.a }]\n';

function definition(o: { sql?: string; sqlFile?: string; extra?: string; outputs?: string }): string {
  const sql = o.sqlFile !== undefined ? `sqlFile: ${o.sqlFile}\n` : `sql: |\n${(o.sql ?? SQL).replace(/^/gm, '  ')}\n`;
  return `name: app\n${sql}${INPUT}${o.extra ?? ''}${o.outputs !== undefined ? `outputs:\n${o.outputs}` : ''}`;
}

describe('whole-application checks made when any form is loaded (so run and validate agree)', () => {
  it('an output whose stream the SQL never creates, at the field naming it; error_stream and the input stream are known', () => {
    const text = definition({ outputs: '  - { stream: DEST, destination: out }\n  - { stream: DSET, destination: out }\n' });
    const f = write('a.yaml', text);
    const e = refusal(f);
    expect(e.message).toContain('outputs[1].stream: the SQL creates no stream "DSET", so this output would never receive a row');
    expect(e.location).toEqual({ file: f, ...positionOf(text, 'DSET') });
    const caseOnly = write('b.yaml', definition({ outputs: '  - { stream: dest, destination: out }\n' }));
    expect(refusal(caseOnly).message).toContain('stream names are case-sensitive: the SQL creates "DEST"');
    const fine = write('c.yaml', definition({ outputs: '  - { stream: DEST, destination: out }\n  - { stream: error_stream, destination: out }\n  - { stream: SOURCE_SQL_STREAM_001, destination: out }\n' }));
    expect(loadApplicationDefinition(fine).outputs).toHaveLength(3);
  });

  it('the same in a CloudFormation template: at the output resource\'s Name', () => {
    const text = [
      'Resources:',
      '  App:',
      '    Type: AWS::KinesisAnalytics::Application',
      '    Properties:',
      `      ApplicationCode: ${JSON.stringify(SQL)}`,
      '      Inputs:',
      '        - NamePrefix: SOURCE_SQL_STREAM',
      '          InputSchema: { RecordFormat: { RecordFormatType: JSON }, RecordColumns: [{ Name: A, SqlType: INTEGER, Mapping: $.a }] }',
      '  Out:',
      '    Type: AWS::KinesisAnalytics::ApplicationOutput',
      '    Properties:',
      '      ApplicationName: !Ref App',
      '      Output: { Name: DESTINATION_SQL_STREAM, DestinationSchema: { RecordFormatType: JSON } }',
      '',
    ].join('\n');
    const f = write('t.yaml', text);
    const e = refusal(f);
    expect(e.message).toContain('Resources.Out.Properties.Output.Name: the SQL creates no stream "DESTINATION_SQL_STREAM"');
    expect(e.location).toEqual({ file: f, ...positionOf(text, 'DESTINATION_SQL_STREAM') });
  });

  it('an empty SQL file, at the file; SQL with only comments, at its field', () => {
    const empty = write('empty.sql', '\n  \n');
    const f = write('a.yaml', definition({ sqlFile: empty }));
    const e = refusal(f);
    expect(e.message).toContain('the application SQL is empty');
    expect(e.location).toEqual({ file: empty, line: 1, column: 1 });
    const text = definition({ sql: '-- CREATE STREAM "DEST" (A INTEGER);\n/* nothing else */' });
    const g = write('b.yaml', text);
    const c = refusal(g);
    expect(c.message).toContain('sql: the application SQL holds only comments');
    expect(c.location).toEqual({ file: g, ...positionOf(text, '|') });
  });

  it("an output prefix with '..' or a leading '/', at the prefix field", () => {
    for (const prefix of ['../escape/', '/abs/', 'a/./b/']) {
      const text = definition({ outputs: `  - { stream: DEST, destination: out, prefix: '${prefix}' }\n` });
      const f = write('p.yaml', text);
      const e = refusal(f);
      expect(e.message, prefix).toContain(`outputs[0].prefix: a key prefix must be relative and hold no '.' or '..' segments; received '${prefix}'`);
      expect(e.location, prefix).toEqual({ file: f, ...positionOf(text, `'${prefix}'`) });
    }
  });

  it('a missing reference file and a missing preprocessor module, at their fields; given on the command line, named as the option', () => {
    const ref = `reference:\n  - { tableName: T, location: no-such.csv, format: CSV, columns: [{ name: X, sqlType: INTEGER }] }\n`;
    const text = definition({ extra: ref });
    const f = write('r.yaml', text);
    const e = refusal(f);
    expect(e.message).toMatch(/reference\[0\]\.location: the data file of reference table T does not exist: .*no-such\.csv/);
    expect(e.location).toEqual({ file: f, ...positionOf(text, 'no-such.csv') });
    const present = write('t.csv', '1\n');
    expect(loadApplicationDefinition(f, { references: { T: present } }).references[0].location).toBe(present);
    expect(refusal(f, { references: { T: join(dir, 'gone.csv') } }).message).toMatch(/^--reference T: the data file of reference table T does not exist/);

    const pre = definition({ sql: SQL }).replace('  format: JSON\n', '  format: JSON\n  preprocessor: { module: ./missing-preprocessor.mjs }\n');
    const g = write('m.yaml', pre);
    const m = refusal(g);
    expect(m.message).toMatch(/input\.preprocessor\.module: the preprocessor module does not exist: .*missing-preprocessor\.mjs/);
    expect(m.location).toEqual({ file: g, ...positionOf(pre, './missing-preprocessor.mjs') });
    expect(refusal(write('n.yaml', definition({})), { preprocessor: { type: 'module', path: join(dir, 'nope.mjs') } }).message).toMatch(/^--preprocessor: the preprocessor module does not exist/);
  });

});
