import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ExecutionError } from '../../errors.js';
import { like, likeToRegExp, similarTo, similarToRegExp, substringSimilar } from './sql-patterns.js';

/** A direct, recursive LIKE matcher used as the reference. */
function referenceLike(s: string, p: string, escape?: string): boolean {
  const tokens: { kind: 'any' | 'many' | 'char'; ch?: string }[] = [];
  for (let i = 0; i < p.length; i++) {
    if (escape !== undefined && p[i] === escape) tokens.push({ kind: 'char', ch: p[++i] });
    else if (p[i] === '_') tokens.push({ kind: 'any' });
    else if (p[i] === '%') tokens.push({ kind: 'many' });
    else tokens.push({ kind: 'char', ch: p[i] });
  }
  const memo = new Map<string, boolean>();
  const go = (i: number, j: number): boolean => {
    const key = `${i},${j}`;
    if (memo.has(key)) return memo.get(key)!;
    let r: boolean;
    if (j === tokens.length) r = i === s.length;
    else if (tokens[j].kind === 'many') r = go(i, j + 1) || (i < s.length && go(i + 1, j));
    else if (i === s.length) r = false;
    else if (tokens[j].kind === 'any') r = go(i + 1, j + 1);
    else r = s[i] === tokens[j].ch && go(i + 1, j + 1);
    memo.set(key, r);
    return r;
  };
  return go(0, 0);
}

describe('LIKE', () => {
  it.each([
    // The SQLREF string-operator examples
    ['a', 'a', undefined, true],
    ['a', 'A', undefined, false],
    ['a', 'b', undefined, false],
    ['ab', 'a_', undefined, true],
    ['ab', 'a%', undefined, true],
    ['ab', 'a\\_', '\\', false],
    ['ab', 'a\\%', '\\', false],
    ['a_', 'a\\_', '\\', true],
    ['a%', 'a\\%', '\\', true],
    ['a', 'a_', undefined, false],
    ['a', 'a%', undefined, true],
    ['abcd', 'a_', undefined, false],
    ['abcd', 'a%', undefined, true],
    ['', '', undefined, true],
    ['1a', '_a', undefined, true],
    ['123aXYZ', '%a%', undefined, true],
    ['123aXYZ', '_%_a%_', undefined, true],
  ])('%j LIKE %j ESCAPE %j is %j', (s, p, e, expected) => {
    expect(like(s, p, e)).toBe(expected);
  });

  it('treats regex metacharacters and line breaks as ordinary characters', () => {
    expect(like('a.c', 'a.c')).toBe(true);
    expect(like('abc', 'a.c')).toBe(false);
    expect(like('(x)*[y]', '(x)*[y]')).toBe(true);
    expect(like('a\nb', 'a_b')).toBe(true);
    expect(like('a\nb', '%')).toBe(true);
  });

  it('the escape character escapes itself', () => {
    expect(like('a#b', 'a##b', '#')).toBe(true);
  });

  it('rejects a bad escape', () => {
    expect(() => likeToRegExp('a#b', '#')).toThrow(ExecutionError);
    expect(() => likeToRegExp('a#', '#')).toThrow(ExecutionError);
    expect(() => likeToRegExp('a', '##')).toThrow(/exactly one character/);
  });

  it('is NULL when an operand is NULL', () => {
    expect(like(null, 'a')).toBeNull();
    expect(like('a', null)).toBeNull();
    expect(like('a', 'a', null)).toBeNull();
  });

  it('agrees with a reference matcher', () => {
    const text = fc.stringMatching(/^[ab_%.#]{0,7}$/);
    const pattern = fc.stringMatching(/^[ab_%.]{0,6}$/);
    fc.assert(
      fc.property(text, pattern, (s, p) => {
        expect(like(s, p)).toBe(referenceLike(s, p));
      }),
      { numRuns: 500 },
    );
  });

  it('agrees with a reference matcher when an escape character is used', () => {
    const pattern = fc.array(fc.constantFrom('a', 'b', '_', '%', '#_', '#%', '##'), { maxLength: 5 }).map((a) => a.join(''));
    const text = fc.stringMatching(/^[ab_%#]{0,6}$/);
    fc.assert(
      fc.property(text, pattern, (s, p) => {
        expect(like(s, p, '#')).toBe(referenceLike(s, p, '#'));
      }),
      { numRuns: 500 },
    );
  });
});

describe('SIMILAR TO', () => {
  it('matches the whole string with % and _ (DG filter example)', () => {
    expect(similarTo('TECHNOLOGY', '%TECH%')).toBe(true);
    expect(similarTo('RETAIL', '%TECH%')).toBe(false);
    expect(similarTo('abc', 'a_c')).toBe(true);
  });

  it('supports alternation, grouping, repetition and classes', () => {
    expect(similarTo('abc', '(abc|xyz)')).toBe(true);
    expect(similarTo('xyz', 'abc|xyz')).toBe(true);
    expect(similarTo('aaab', 'a+b')).toBe(true);
    expect(similarTo('b', 'a*b')).toBe(true);
    expect(similarTo('ab', 'a?b')).toBe(true);
    expect(similarTo('aab', 'a{2}b')).toBe(true);
    expect(similarTo('ab', 'a{2}b')).toBe(false);
    expect(similarTo('b5', '[a-c][0-9]')).toBe(true);
    expect(similarTo('d5', '[^a-c][0-9]')).toBe(true);
    expect(similarTo('X', '[[:UPPER:]]')).toBe(true);
  });

  it('., ^, $ and \\ are ordinary characters', () => {
    expect(similarTo('a.b', 'a.b')).toBe(true);
    expect(similarTo('axb', 'a.b')).toBe(false);
    expect(similarTo('^a$', '^a$')).toBe(true);
  });

  it('escapes make metacharacters literal', () => {
    expect(similarTo('50%', '50#%', '#')).toBe(true);
    expect(similarTo('500', '50#%', '#')).toBe(false);
    expect(similarToRegExp('a#|b', '#').test('a|b')).toBe(true);
  });

  it('rejects malformed patterns', () => {
    expect(() => similarToRegExp('(a')).toThrow(ExecutionError);
    expect(() => similarToRegExp('a)')).toThrow(ExecutionError);
    expect(() => similarToRegExp('[a')).toThrow(ExecutionError);
    expect(() => similarToRegExp('a#', '#')).toThrow(ExecutionError);
  });

  it('is NULL when an operand is NULL', () => {
    expect(similarTo(null, '%')).toBeNull();
  });
});

describe('SUBSTRING SIMILAR', () => {
  it('returns the part between the escaped double quotes (SQLREF examples)', () => {
    expect(substringSimilar('123456789', '23#"456#"78', '#')).toBe('456');
    expect(substringSimilar('TECHNOLOGY', 'TECH%"NOLO%"GY', '%')).toBe('NOLO');
  });

  it('is NULL when the pattern does not occur, and needs exactly two separators', () => {
    expect(substringSimilar('abc', 'x#"b#"c', '#')).toBeNull();
    expect(() => substringSimilar('abc', 'a#"b', '#')).toThrow(ExecutionError);
    expect(substringSimilar(null, 'a#"b#"c', '#')).toBeNull();
  });

  it('the middle part may use SIMILAR TO wildcards', () => {
    expect(substringSimilar('key=value;', 'key=#"[a-z]+#";', '#')).toBe('value');
  });
});
