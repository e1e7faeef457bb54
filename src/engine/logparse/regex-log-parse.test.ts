import { describe, expect, it } from 'vitest';
import { PlanError } from '../../errors.js';
import { SqlTypes } from '../../types/sql-type.js';
import { planRegexLogParse } from './regex-log-parse.js';

describe('REGEX_LOG_PARSE', () => {
  it('gives one VARCHAR(1024) column per group (SQLREF example 1: sector E. and R.*)', () => {
    const parser = planRegexLogParse('.*([E].).*([R].*)');
    expect(parser.fields).toEqual([
      { name: 'COLUMN1', type: SqlTypes.varchar(1024) },
      { name: 'COLUMN2', type: SqlTypes.varchar(1024) },
    ]);
    expect(parser.rowType.kind).toBe('ROW');
    // Greedy Java semantics: the first .* gives back as little as it can.
    expect(parser.parse('ENERGY')).toEqual(['EN', 'RGY']);
    expect(parser.parse('RETAIL')).toBeNull();
    expect(parser.parse('TECHNOLOGY')).toBeNull();
    expect(parser.parse('FINANCIAL SERVICES')).toBeNull();
    expect(parser.parse('HEALTHCARE')).toEqual(['EA', 'RE']);
  });

  it('parses the DG access-log example greedily', () => {
    const line = '203.0.113.24 - - [25/Mar/2018:15:25:37 -0700] "GET /index.php HTTP/1.1" 200 125 "-" "Mozilla/5.0 [en] Gecko/20100101 Firefox/52.0"';
    const row = planRegexLogParse('(\\w.+) (\\d.+) (\\w.+) (\\w.+)').parse(line);
    expect(row).toEqual([
      '203.0.113.24 - - [25/Mar/2018:15:25:37 -0700] "GET /index.php HTTP/1.1" 200',
      '125 "-" "Mozilla/5.0 [en]',
      'Gecko/20100101',
      'Firefox/52.0"',
    ]);
  });

  it('gives NULL for a NULL input, a non-matching input, and a group that did not take part', () => {
    const parser = planRegexLogParse('(a)|(b)');
    expect(parser.parse(null)).toBeNull();
    expect(parser.parse('xyz')).toBeNull();
    expect(parser.parse('b')).toEqual([null, 'b']);
  });

  it('cuts values to 1024 characters', () => {
    const row = planRegexLogParse('(x*)').parse('x'.repeat(2000)) as string[];
    expect(row[0]).toHaveLength(1024);
  });

  it('rejects invalid or group-less patterns at plan time', () => {
    expect(() => planRegexLogParse('(a')).toThrow(PlanError);
    expect(() => planRegexLogParse('abc')).toThrow(/no capturing group/);
    // Java's class intersection is translated (the functions library's translator); a Unicode block is not.
    expect(planRegexLogParse('([a-z&&[^b]])').parse('abc')).toEqual(['a']);
    expect(() => planRegexLogParse('\\p{InGreek}(c)')).toThrow(/REGEX_LOG_PARSE: /);
  });

  it('names and types the first groups from the optional column list', () => {
    const parser = planRegexLogParse('(\\w+)=(\\d+);(\\w+)', 'KEY, VAL INTEGER');
    expect(parser.fields).toEqual([
      { name: 'KEY', type: SqlTypes.varchar(1024) },
      { name: 'VAL', type: SqlTypes.INTEGER },
      { name: 'COLUMN3', type: SqlTypes.varchar(1024) },
    ]);
    expect(parser.parse('a=42;b')).toEqual(['a', 42, 'b']);
    expect(() => planRegexLogParse('(a)', 'X, Y')).toThrow(/only 1 groups/);
    expect(() => planRegexLogParse('(a)', 'X NOPE')).toThrow(/unknown SQL type/);
  });
});
