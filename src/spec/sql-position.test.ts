import { describe, expect, it } from 'vitest';
import { sqlPositionInFile } from './sql-position.js';

describe('sqlPositionInFile: a SQL position in the file that holds the SQL', () => {
  it('a JSON string: escaped newlines and quotes stay on the file line, columns count the escapes as written', () => {
    // In the file: "ApplicationCode": "SELECT 1;\n  SELECT \"X\"\u0020FROM T"  with the string starting at 7:24.
    const text = String.raw`SELECT 1;\n  SELECT \"X\"\u0020FROM T`;
    const origin = { file: 'app.json', form: 'describe-application' as const, sqlStart: { line: 7, column: 24 }, sqlQuoted: { style: 'double' as const, text } };
    expect(sqlPositionInFile(origin, 1, 8)).toEqual({ file: 'app.json', line: 7, column: 24 + 7 });
    // SQL line 2 column 3 is 'S' of the second SELECT: after `SELECT 1;\n  ` (13 characters as written).
    expect(sqlPositionInFile(origin, 2, 3)).toEqual({ file: 'app.json', line: 7, column: 24 + text.indexOf('SELECT \\"') });
    // 'F' of FROM comes after \"X\" and the 6-character \u0020.
    expect(sqlPositionInFile(origin, 2, 14)).toEqual({ file: 'app.json', line: 7, column: 24 + text.indexOf('FROM') });
  });

  it("a YAML single-quoted string: '' is one quote", () => {
    const origin = { file: 'a.yaml', form: 'definition' as const, sqlStart: { line: 3, column: 6 }, sqlQuoted: { style: 'single' as const, text: "SELECT 'it''s' X" } };
    expect(sqlPositionInFile(origin, 1, 15)).toEqual({ file: 'a.yaml', line: 3, column: 6 + 15 });
  });

  it('a YAML block scalar: later lines shift by its indentation', () => {
    const origin = { file: 't.yaml', form: 'cloudformation' as const, sqlStart: { line: 30, column: 9 }, sqlIndent: 8 };
    expect(sqlPositionInFile(origin, 1, 3)).toEqual({ file: 't.yaml', line: 30, column: 11 });
    expect(sqlPositionInFile(origin, 4, 5)).toEqual({ file: 't.yaml', line: 33, column: 13 });
  });

  it('a SQL file of its own: positions are its own', () => {
    const origin = { file: 'app.yaml', form: 'definition' as const, sqlFile: 'app.sql', sqlStart: { line: 1, column: 1 } };
    expect(sqlPositionInFile(origin, 12, 4)).toEqual({ file: 'app.sql', line: 12, column: 4 });
  });
});
