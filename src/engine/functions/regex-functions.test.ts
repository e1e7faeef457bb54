import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ExecutionError } from '../../errors.js';
import { regexReplace, substringRegex } from './regex-functions.js';

function errorName(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return e instanceof ExecutionError ? e.errorName : 'not an ExecutionError';
  }
  return undefined;
}

describe('REGEX_REPLACE', () => {
  it('SQLREF / case examples', () => {
    expect(regexReplace('TECHNOLOGY', 'TECHNOLOGY', 'INFORMATION TECHNOLOGY', 1, 0)).toBe('INFORMATION TECHNOLOGY');
    expect(regexReplace('FINANCIAL', 'TECHNOLOGY', 'INFORMATION TECHNOLOGY', 1, 0)).toBe('FINANCIAL');
    expect(regexReplace('a-b-c', '-', '+', 1, 0)).toBe('a+b+c');
    expect(regexReplace('2020-01-31', '(\\d+)-(\\d+)-(\\d+)', '$3/$2/$1', 1, 0)).toBe('31/01/2020');
    expect(regexReplace('abc', 'b', 'x', 10, 0)).toBe('abc');
  });

  it('occurrence n replaces only the n-th match; startPosition skips the head', () => {
    expect(regexReplace('a-b-c-d', '-', '+', 1, 2)).toBe('a-b+c-d');
    expect(regexReplace('a-b-c-d', '-', '+', 1, 9)).toBe('a-b-c-d');
    expect(regexReplace('a-b-c-d', '-', '+', 3, 0)).toBe('a-b+c+d');
    expect(regexReplace('a-b-c-d', '-', '+', 3, 1)).toBe('a-b+c-d');
  });

  it('Java replacement syntax: $0, ${name}, \\$ literal, multi-digit groups only when they exist', () => {
    expect(regexReplace('abc', 'b', '[$0]', 1, 0)).toBe('a[b]c');
    expect(regexReplace('2020-01', '(?<y>\\d+)-(?<m>\\d+)', '${m}/${y}', 1, 0)).toBe('01/2020');
    expect(regexReplace('abc', 'b', '\\$1', 1, 0)).toBe('a$1c');
    expect(regexReplace('abc', '(b)', '$10', 1, 0)).toBe('ab0c');
    expect(regexReplace('abc', '(x)?b', '[$1]', 1, 0)).toBe('a[]c');
  });

  it('empty matches are replaced at every position, as String.replaceAll does', () => {
    expect(regexReplace('abc', 'x*', '-', 1, 0)).toBe('-a-b-c-');
    expect(regexReplace('abc', 'b*', '-', 1, 0)).toBe('-a--c-');
  });

  it('bad arguments go to the error stream (ExecutionError)', () => {
    expect(errorName(() => regexReplace('abc', 'b', 'x', 0, 0))).toBe('INVALID_ARGUMENT');
    expect(errorName(() => regexReplace('abc', 'b', 'x', 1, -1))).toBe('INVALID_ARGUMENT');
    expect(errorName(() => regexReplace('abc', '(b', 'x', 1, 0))).toBe('INVALID_REGEX');
    expect(errorName(() => regexReplace('abc', 'b', '$2', 1, 0))).toBe('INVALID_ARGUMENT');
    expect(errorName(() => regexReplace('abc', 'b', 'x$', 1, 0))).toBe('INVALID_ARGUMENT');
    expect(errorName(() => regexReplace('abc', 'b', 'x\\', 1, 0))).toBe('INVALID_ARGUMENT');
    expect(errorName(() => regexReplace('abc', 'b', '${nope}', 1, 0))).toBe('INVALID_ARGUMENT');
    // Like Matcher.appendReplacement, a bad replacement only fails once something matches
    expect(regexReplace('abc', 'z', '$9', 1, 0)).toBe('abc');
  });

  it('NULL in gives NULL out', () => {
    expect(regexReplace(null, 'b', 'x', 1, 0)).toBeNull();
    expect(regexReplace('abc', null, 'x', 1, 0)).toBeNull();
    expect(regexReplace('abc', 'b', 'x', 1, null)).toBeNull();
  });

  it('with a literal pattern and replacement it equals split/join (replaceAll of plain text)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[abc-]{0,10}$/), fc.constantFrom('a', 'b', 'ab', '-'), fc.stringMatching(/^[xy]{0,2}$/), (s, needle, repl) => {
        expect(regexReplace(s, needle, repl, 1, 0)).toBe(s.split(needle).join(repl));
      }),
    );
  });
});

describe('SUBSTRING(s FROM regex)', () => {
  it('returns the first match or NULL (SQLREF examples)', () => {
    expect(substringRegex('TECHNOLOGY', 'L[A-Z]*')).toBe('LOGY');
    expect(substringRegex('TECHNOLOGY', 'FOO')).toBeNull();
    expect(substringRegex('TECHNOLOGY', 'O[A-Z]')).toBe('OL');
    expect(substringRegex(null, 'a')).toBeNull();
  });
});
