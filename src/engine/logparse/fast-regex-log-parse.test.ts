import { describe, expect, it } from 'vitest';
import { PlanError } from '../../errors.js';
import { planFastRegexLogParse } from './fast-regex-log-parse.js';

describe('FAST_REGEX_LOG_PARSE', () => {
  it('splits the SQLREF first example the same way with both patterns', () => {
    for (const pattern of ['(.*)_+(.*)', '(.*)_+(<Alpha>.*)']) {
      const parser = planFastRegexLogParse(pattern);
      expect(parser.fields.map((f) => f.name)).toEqual(['COLUMN1', 'COLUMN2']);
      expect(parser.parse('Mary____had_a_little_lamb')).toEqual(['Mary', 'had_a_little_lamb']);
    }
  });

  it('is lazy: a group stops where the rest can continue', () => {
    expect(planFastRegexLogParse('(.*) (.*)').parse('a b c')).toEqual(['a', 'b c']);
    expect(planFastRegexLogParse('(<Digit>+)"."(<Digit>+)').parse('12.345')).toEqual(['12', '345']);
    // Lazy to the letter: when all that follows may be empty, the first group takes nothing.
    expect(planFastRegexLogParse('(.*) *(.*)').parse('ab  cd')).toEqual(['', 'ab  cd']);
    expect(planFastRegexLogParse('(<Alpha>*)(<Digit>*)').parse('abc123')).toEqual(['abc', '123']);
  });

  it('requires the whole input to be consumed, without backtracking', () => {
    expect(planFastRegexLogParse('(<Digit>+)\\.(<Digit>+)').parse('12.34x')).toBeNull();
    // The lazy first group stops at the first '-', and no backtracking lets it grow.
    expect(planFastRegexLogParse('(.*)-(<Alnum>*)').parse('x-y-z9')).toBeNull();
    expect(planFastRegexLogParse('(.*)-(.*)').parse('x-y-z9')).toEqual(['x', 'y-z9']);
  });

  it('supports classes, repetition, strings, intervals and the empty group', () => {
    const parser = planFastRegexLogParse('([a-c]{2,3})"::"(<1-12>)()(#|x)?');
    expect(parser.fields).toHaveLength(3);
    expect(parser.parse('ab::7')).toEqual(['ab', '7', '']);
    expect(parser.parse('ab::13')).toBeNull();
    expect(planFastRegexLogParse('([^ ]+) (@)').parse('GET /a b')).toEqual(['GET', '/a b']);
  });

  it('gives NULL for NULL', () => {
    expect(planFastRegexLogParse('(.*)').parse(null)).toBeNull();
  });

  it('rejects bad patterns and unsupported operators at plan time', () => {
    expect(() => planFastRegexLogParse('(a')).toThrow(PlanError);
    expect(() => planFastRegexLogParse('(a)&(b)')).toThrow(/intersection/);
    expect(() => planFastRegexLogParse('~(a)')).toThrow(/complement/);
    expect(() => planFastRegexLogParse('<Bogus>(a)')).toThrow(/unknown named pattern <Bogus>/);
    expect(() => planFastRegexLogParse('abc')).toThrow(/no top-level group/);
  });
});
