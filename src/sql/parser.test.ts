import { describe, expect, it } from 'vitest';
import { SqlSyntaxError } from '../errors.js';
import { MAX_CHAIN_DEPTH, MAX_NESTING_DEPTH, parseExpression, parseScript } from './parser.js';
import { tokenize } from './lexer.js';

function syntaxError(sql: string): SqlSyntaxError {
  try {
    parseScript(sql);
  } catch (e) {
    if (e instanceof SqlSyntaxError) return e;
    throw e;
  }
  throw new Error('expected a syntax error');
}

describe('lexer', () => {
  it('upper-cases unquoted identifiers and keeps quoted ones exact', () => {
    const t = tokenize('select "heartRate", heartRate -- comment\n/* block\ncomment */ x');
    expect(t.map((x) => [x.kind, x.text])).toEqual([
      ['ident', 'SELECT'],
      ['quoted', 'heartRate'],
      ['op', ','],
      ['ident', 'HEARTRATE'],
      ['ident', 'X'],
      ['eof', ''],
    ]);
    expect(t[4].line).toBe(3);
    expect(t[4].column).toBe(12);
  });
  it('unescapes doubled quotes in strings and identifiers', () => {
    const t = tokenize(`'it''s' "a""b"`);
    expect(t[0].text).toBe("it's");
    expect(t[1].text).toBe('a"b');
  });
  it('reports an unterminated string where it starts', () => {
    expect(() => tokenize("x\n  'abc")).toThrow(/line 2, column 3: unterminated string literal/);
  });
});

describe('parser', () => {
  it('parses streams, pumps and functions with positions', () => {
    const s = parseScript(`CREATE OR REPLACE STREAM "D" (a INTEGER NOT NULL, "b" VARCHAR(4)) DESCRIPTION 'x';
CREATE PUMP p AS INSERT INTO "D" (a, "b") SELECT STREAM x, y FROM s WHERE x > 1;
CREATE FUNCTION f(t TIMESTAMP) RETURNS TIMESTAMP CONTAINS SQL RETURNS NULL ON NULL INPUT RETURN t;`);
    expect(s.statements.map((x) => x.kind)).toEqual(['CreateStream', 'CreatePump', 'CreateFunction']);
    const st = s.statements[0];
    if (st.kind !== 'CreateStream') throw new Error();
    expect(st.columns.map((c) => [c.name.name, c.notNull])).toEqual([
      ['A', true],
      ['b', false],
    ]);
    expect(s.statements[1].pos).toEqual({ line: 2, column: 1 });
  });
  it('parses special forms into calls with keyword arguments', () => {
    const e = parseExpression("EXTRACT(HOUR FROM ts) + FLOOR(s.ROWTIME TO MINUTE) - STEP(ROWTIME BY INTERVAL '1' DAY)");
    expect(JSON.stringify(e)).toContain('"word":"HOUR"');
    expect(JSON.stringify(e)).toContain('"word":"MINUTE"');
    const t = parseExpression("TRIM(LEADING 'x' FROM s)");
    if (t.kind !== 'FunctionCall') throw new Error();
    expect(t.args.map((a) => a.kind)).toEqual(['Keyword', 'Literal', 'ColumnRef']);
  });
  it('parses window specifications and null treatment', () => {
    const e = parseExpression('LAG(price, 1, 0) IGNORE NULLS OVER (PARTITION BY t RANGE INTERVAL \'1\' MINUTE PRECEDING)');
    if (e.kind !== 'FunctionCall') throw new Error();
    expect(e.nullTreatment).toBe('IGNORE');
    expect(e.over?.frame?.unit).toBe('RANGE');
    expect(e.over?.frame?.start.kind).toBe('Preceding');
  });
  it('parses the interval qualifier after a parenthesised difference', () => {
    const e = parseExpression("(s.ROWTIME - TIMESTAMP '1970-01-01 00:00:00') SECOND / 10");
    expect(e.kind).toBe('Binary');
    if (e.kind !== 'Binary') throw new Error();
    expect(e.left.kind).toBe('IntervalOf');
  });
});

describe('syntax errors carry line, column and what was expected', () => {
  it('a missing FROM', () => {
    const e = syntaxError('CREATE PUMP p AS INSERT INTO d\nSELECT STREAM a b c WHERE x');
    expect(e.line).toBe(2);
    expect(e.column).toBe(19);
    expect(e.message).toMatch(/^line 2, column 19: expected FROM but found 'c'/);
  });
  it('an unknown statement', () => {
    const e = syntaxError('\n\n  CREATE TABLE t (a INT);');
    expect([e.line, e.column]).toEqual([3, 10]);
    expect(e.expected).toEqual(['STREAM', 'PUMP', 'FUNCTION']);
  });
  it('an unquoted reserved word as a column name', () => {
    const e = syntaxError('CREATE STREAM s (ticker VARCHAR(4),\n   year INTEGER);');
    expect([e.line, e.column]).toEqual([2, 4]);
    expect(e.message).toMatch(/'year' is a reserved word; quote it/);
  });
  it('INTERVAL as a column type', () => {
    const e = syntaxError('CREATE STREAM s (d INTERVAL DAY);');
    expect([e.line, e.column]).toEqual([1, 20]);
    expect(e.message).toMatch(/INTERVAL is allowed only in expressions/);
  });
  it('a missing closing parenthesis at end of input', () => {
    const e = syntaxError('CREATE STREAM s (a INTEGER');
    expect([e.line, e.column]).toEqual([1, 27]);
    expect(e.message).toMatch(/expected one of ',', '\)'|expected '\)' but found end of input/);
  });
  it('a missing semicolon between statements', () => {
    const e = syntaxError('CREATE STREAM s (a INTEGER)\nCREATE STREAM t (b INTEGER);');
    expect([e.line, e.column]).toEqual([2, 1]);
    expect(e.message).toMatch(/expected ';'/);
  });
});

describe('nesting limit', () => {
  const pump = (expr: string) => `CREATE STREAM "D" (A INTEGER);\nCREATE PUMP p AS INSERT INTO "D" SELECT STREAM ${expr} FROM "S";`;
  const prefix = 'CREATE PUMP p AS INSERT INTO "D" SELECT STREAM '.length;
  it('10,000 nested parentheses: a syntax error at the parenthesis that passes the limit, not a stack overflow', () => {
    const e = syntaxError(pump('('.repeat(10_000) + '1' + ')'.repeat(10_000)));
    expect(e.message).toMatch(new RegExp(`nesting deeper than ${MAX_NESTING_DEPTH} levels`));
    // Level k starts at parenthesis k (the select item is level 1): level MAX + 1 is reported where it starts.
    expect([e.line, e.column]).toEqual([2, prefix + MAX_NESTING_DEPTH + 1]);
  });
  it('a chain of 10,000 operators (a + a + ..., x OR y OR ...): a syntax error at the operator that passes the limit', () => {
    for (const op of ['+', 'OR', 'AND', '*', '||']) {
      const e = syntaxError(pump(Array(10_000).fill('A').join(` ${op} `)));
      expect(e.message).toMatch(new RegExp(`nested deeper than ${MAX_CHAIN_DEPTH} levels`));
      expect(e.line).toBe(2);
    }
    expect(() => parseScript(pump(Array(900).fill('A').join(' + ')))).not.toThrow();
  });
  it('other deep nests are refused the same way: calls, CAST, NOT, signs, subqueries, FROM parentheses', () => {
    const n = 10_000;
    for (const sql of [
      pump('ABS('.repeat(n) + '1' + ')'.repeat(n)),
      pump('CAST('.repeat(n) + '1' + ' AS INTEGER)'.repeat(n)),
      pump('NOT '.repeat(n) + 'TRUE'),
      pump('- '.repeat(n) + '1'),
      pump('CASE WHEN TRUE THEN '.repeat(n) + '1' + ' END'.repeat(n)),
      `CREATE PUMP p AS INSERT INTO "D" ${'(SELECT STREAM * FROM '.repeat(n)}"S"${')'.repeat(n)};`,
      `CREATE PUMP p AS INSERT INTO "D" SELECT STREAM * FROM ${'('.repeat(n)}"S"${')'.repeat(n)};`,
      `CREATE PUMP p AS INSERT INTO "D" SELECT STREAM * FROM "S" UNION ALL ${'('.repeat(n)}SELECT STREAM * FROM "S"${')'.repeat(n)};`,
    ]) {
      expect(syntaxError(sql).message, sql.slice(0, 60)).toMatch(/nesting deeper than/);
    }
  });
  it('nesting up to the limit parses', () => {
    const depth = MAX_NESTING_DEPTH - 1;
    expect(() => parseScript(pump('('.repeat(depth) + '1' + ')'.repeat(depth)))).not.toThrow();
  });
});
