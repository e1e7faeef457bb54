import { describe, expect, it } from 'vitest';
import { PlanError } from '../../errors.js';
import { planRegexLogParse } from './regex-log-parse.js';

/** REGEX_LOG_PARSE's groups for a Java pattern (translated by the functions library's translateJavaRegex). */
function groups(pattern: string, input: string) {
  return planRegexLogParse(pattern).parse(input);
}

describe('REGEX_LOG_PARSE reads Java regular expressions', () => {
  it('keeps ordinary syntax and counts groups, named ones included', () => {
    expect(groups('(\\d+)-(?<word>[a-z]+)(?:x)?', 'id 12-ab')).toEqual(['12', 'ab']);
    expect(planRegexLogParse('(a)(?:b)(?=c)(?<n>d)').fields).toHaveLength(2);
    expect(groups('([^]]+)', ']ab]')).toEqual(['ab']);
  });

  it('emulates possessive quantifiers and atomic groups (no giving back)', () => {
    expect(groups('(a++)b', 'aaab')).toEqual(['aaa']);
    expect(groups('(a*+)a', 'aaaa')).toBeNull();
    expect(groups('(\\w+)++x', 'abx')).toBeNull();
    expect(groups('(?>a|ab)(c)', 'abc')).toBeNull();
    expect(groups('(?>ab|a)(c)', 'abc')).toEqual(['c']);
    expect(groups('"([^"]*+)"', 'x "quoted" y')).toEqual(['quoted']);
  });

  it('keeps group numbering for back references after emulation groups', () => {
    expect(groups('(?>x)(a)(b)\\2\\1', 'xabba')).toEqual(['a', 'b']);
    expect(groups('(?<q>[\'"]).*?\\k<q>(.)', `'abc'd`)).toEqual(["'", 'd']);
  });

  it('translates \\Q..\\E, \\A, \\z, \\Z and Java $ before a final line terminator', () => {
    expect(groups('\\Q(a+)\\E(\\d)', 'x(a+)7')).toEqual(['7']);
    expect(groups('\\A(\\w+)', ' ab')).toBeNull();
    expect(groups('(\\w+)$', 'ab\n')).toEqual(['ab']);
    expect(groups('(\\w+)\\z', 'ab\n')).toBeNull();
    expect(groups('(\\w+)\\Z', 'ab\n')).toEqual(['ab']);
  });

  it('expands POSIX classes, also inside a class, and \\h; a group that does not take part is NULL', () => {
    expect(groups('(\\p{Alpha}+)(\\p{Digit}+)', '--abc123')).toEqual(['abc', '123']);
    expect(groups('([\\p{Upper}_]+)', 'abC_D')).toEqual(['C_D']);
    expect(groups('(\\P{Alnum}+)', 'ab!?c')).toEqual(['!?']);
    expect(groups('a\\h+(b)', 'a \t b')).toEqual(['b']);
    expect(groups('(a)|(b)', 'b')).toEqual([null, 'b']);
  });

  it('applies inline flags and class intersections as Java does', () => {
    expect(groups('(?i)(abc)', 'xABC')).toEqual(['ABC']);
    expect(groups('(?s)a(.)b', 'a\nb')).toEqual(['\n']);
    expect(groups('(?x) ( a b )  # comment', 'ab')).toEqual(['ab']);
    expect(groups('([a-z&&[^e]]+)', 'hello')).toEqual(['h']);
  });

  it('rejects patterns Java rejects or JavaScript cannot express as PlanError naming the function', () => {
    for (const bad of ['(a', '*a', '\\p{InGreek}(a)', 'no groups']) {
      expect(() => planRegexLogParse(bad), bad).toThrow(PlanError);
      expect(() => planRegexLogParse(bad), bad).toThrow(/REGEX_LOG_PARSE/);
    }
  });
});
