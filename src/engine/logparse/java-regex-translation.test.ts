import { describe, expect, it } from 'vitest';
import { JavaRegexTranslationError, translateJavaRegex } from './java-regex-translation.js';

function groups(pattern: string, input: string): (string | undefined)[] | null {
  const t = translateJavaRegex(pattern);
  const m = new RegExp(t.source, t.flags).exec(input);
  if (!m) return null;
  return Array.from({ length: t.groupCount }, (_, i) => m.groups?.[`__g${i + 1}`]);
}

describe('translateJavaRegex', () => {
  it('keeps ordinary syntax and counts groups, named ones included', () => {
    expect(groups('(\\d+)-(?<word>[a-z]+)(?:x)?', 'id 12-ab')).toEqual(['12', 'ab']);
    expect(translateJavaRegex('(a)(?:b)(?=c)(?<n>d)').groupCount).toBe(2);
    expect(groups('([]a]+)', 'x]a]')).toEqual([']a]']);
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

  it('keeps group numbering for backreferences after emulation groups', () => {
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

  it('expands POSIX classes, also inside a class, and \\h', () => {
    expect(groups('(\\p{Alpha}+)(\\p{Digit}+)', '--abc123')).toEqual(['abc', '123']);
    expect(groups('([\\p{Upper}_]+)', 'abC_D')).toEqual(['C_D']);
    expect(groups('(\\P{Alnum}+)', 'ab!?c')).toEqual(['!?']);
    expect(groups('a\\h+(b)', 'a \t b')).toEqual(['b']);
  });

  it('applies leading inline flags', () => {
    expect(groups('(?i)(abc)', 'xABC')).toEqual(['ABC']);
    expect(groups('(?s)a(.)b', 'a\nb')).toEqual(['\n']);
    expect(groups('(?x) ( a b )  # comment', 'ab')).toEqual(['ab']);
  });

  it('rejects what JavaScript cannot express, naming the position', () => {
    expect(() => translateJavaRegex('[a-z&&[^e]]')).toThrow(JavaRegexTranslationError);
    expect(() => translateJavaRegex('[a-z&&[^e]]')).toThrow(/intersection .* at index 4/);
    expect(() => translateJavaRegex('a(?i)b')).toThrow(/inline flags/);
    expect(() => translateJavaRegex('\\p{InGreek}')).toThrow(/not supported/);
    expect(() => translateJavaRegex('(a')).toThrow(/unclosed group/);
    expect(() => translateJavaRegex('*a')).toThrow(/quantifier/);
  });
});
