import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ExecutionError } from '../../errors.js';
import { compileJavaRegex, javaGroup, translateJavaRegex } from './regex-translation.js';

/** First match of a Java pattern in s: [whole, group1, group2...] or null. */
function find(pattern: string, s: string): (string | undefined)[] | null {
  const r = compileJavaRegex(pattern);
  r.regex.lastIndex = 0;
  const m = r.regex.exec(s);
  if (!m) return null;
  return Array.from({ length: r.groupCount + 1 }, (_, i) => javaGroup(m, i));
}

/** How many (possibly empty) matches a Java pattern has in s. */
function regexCount(pattern: string, s: string): number {
  const r = translateJavaRegex(pattern);
  return [...s.matchAll(new RegExp(r.source, r.flags + 'g'))].length;
}

/** Whether the whole of s matches (Java String.matches). */
function matches(pattern: string, s: string): boolean {
  const r = translateJavaRegex(pattern);
  return new RegExp(`^(?:${r.source})$`, r.flags).test(s);
}

function errorName(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return e instanceof ExecutionError ? e.errorName : 'not an ExecutionError';
  }
  return undefined;
}

describe('translateJavaRegex: plain syntax', () => {
  it('keeps ordinary patterns working and numbers groups as Java does', () => {
    expect(find('(\\d+)-(\\d+)-(\\d+)', 'on 2020-01-31.')).toEqual(['2020-01-31', '2020', '01', '31']);
    expect(find('L[A-Z]*', 'TECHNOLOGY')).toEqual(['LOGY']);
    expect(find('(a)|(b)', 'b')).toEqual(['b', undefined, 'b']);
    expect(translateJavaRegex('(a)(?:b)(c)').groupCount).toBe(2);
  });

  it('named groups keep their number and \\k<name> refers to them', () => {
    const t = translateJavaRegex('(?<year>\\d{4})-(?<m>\\d\\d)-\\k<m>');
    expect(t.groupNames.get('year')).toBe(1);
    expect(t.groupNames.get('m')).toBe(2);
    expect(matches('(?<year>\\d{4})-(?<m>\\d\\d)-\\k<m>', '2020-01-01')).toBe(true);
    expect(matches('(?<year>\\d{4})-(?<m>\\d\\d)-\\k<m>', '2020-01-02')).toBe(false);
  });

  it('back references: \\1, and \\11 only when 11 groups exist', () => {
    expect(matches('(a)\\1', 'aa')).toBe(true);
    expect(matches('(a)\\11', 'aa1')).toBe(true);
    const eleven = '(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)(k)\\11';
    expect(matches(eleven, 'abcdefghijkk')).toBe(true);
    expect(matches('(a)\\2', 'a')).toBe(false);
  });

  it('\\Q...\\E quotes metacharacters, also without \\E; a quantifier after it binds to the last character', () => {
    expect(matches('\\Qa.b*c\\E+', 'a.b*cc')).toBe(true);
    expect(matches('\\Qa.b*c\\E+', 'a.b*ca.b*c')).toBe(false);
    expect(matches('\\Qa.b*c\\E+', 'a.b*c')).toBe(true);
    expect(matches('\\Qa.\\E?', 'a')).toBe(true);
    expect(matches('x\\Q(y)', 'x(y)')).toBe(true);
  });

  it('escapes: \\t \\x41 \\u0041 \\x{1F600} \\0101 \\e \\cA and escaped punctuation', () => {
    expect(matches('\\t', '\t')).toBe(true);
    expect(matches('\\x41\\u0042\\0103', 'ABC')).toBe(true);
    expect(matches('\\x{1F600}', '\u{1F600}')).toBe(true);
    expect(matches('\\e\\cA', '\u001b\u0001')).toBe(true);
    expect(matches('\\.\\$\\/', './'.slice(0, 1) + '$/')).toBe(true);
  });
});

describe('translateJavaRegex: Java semantics that differ from JavaScript', () => {
  it('possessive quantifiers do not give characters back', () => {
    expect(matches('a*+a', 'aaa')).toBe(false);
    expect(matches('a*a', 'aaa')).toBe(true);
    expect(matches('(ab)++c', 'ababc')).toBe(true);
    expect(find('x?+y', 'xy')).toEqual(['xy']);
    expect(matches('a{1,3}+a', 'aaa')).toBe(false);
  });

  it('atomic groups do not backtrack', () => {
    expect(matches('(?>a+)b', 'aab')).toBe(true);
    expect(matches('(?>a|ab)c', 'abc')).toBe(false);
    expect(matches('(?:a|ab)c', 'abc')).toBe(true);
  });

  it('helper groups of possessive/atomic constructs do not shift the Java group numbers', () => {
    expect(find('(?>x+)(\\d)', 'xx7')).toEqual(['xx7', '7']);
    expect(find('(a)++(b)', 'aab')).toEqual(['aab', 'a', 'b']);
  });

  it('an optional group that matches nothing still counts as taking part, as in Java', () => {
    expect(find('(a|)?', 'b')).toEqual(['', '']);
    expect(find('(a|)??b', 'b')).toEqual(['b', undefined]);
  });

  it('\\b and \\B see Unicode letters and digits as word characters (Java 8 to 18)', () => {
    expect(regexCount('\\b', 'ééa')).toBe(2);
    expect(find('\\bé', 'x é')).toEqual(['é']);
    expect(find('a\\B', 'aé')).toEqual(['a']);
  });

  it('(?i) reaches POSIX and Unicode case classes, and \\P{...} complements the case-insensitive set', () => {
    expect(matches('(?s)(?i)\\p{Lower}', 'B')).toBe(true);
    expect(matches('x(?i)\\p{Lower}', 'xB')).toBe(true);
    expect(matches('(?i)\\P{Lower}', 'b')).toBe(false);
    expect(matches('(?i)\\P{Lower}', '1')).toBe(true);
  });

  it('\\s is Java\'s [ \\t\\n\\x0B\\f\\r], not JavaScript\'s Unicode set', () => {
    expect(matches('\\s', '\u00a0')).toBe(false);
    expect(matches('\\s', '\u000b')).toBe(true);
    expect(matches('\\S', '\u00a0')).toBe(true);
  });

  it('. excludes Java line terminators (incl. U+0085) unless DOTALL', () => {
    expect(matches('.', '\u0085')).toBe(false);
    expect(matches('.', '\n')).toBe(false);
    expect(matches('(?s).', '\n')).toBe(true);
  });

  it('$ also matches before a final line terminator; with (?m) before every one', () => {
    expect(find('abc$', 'abc\n')).toEqual(['abc']);
    expect(find('abc$', 'abc\nx')).toBeNull();
    expect(find('(?m)abc$', 'abc\nx')).toEqual(['abc']);
    expect(find('(?m)^x', 'abc\nx')).toEqual(['x']);
    expect(find('^x', 'abc\nx')).toBeNull();
  });

  it('\\A, \\z and \\Z', () => {
    expect(find('\\Aab', 'ab')).toEqual(['ab']);
    expect(find('b\\z', 'ab\n')).toBeNull();
    expect(find('b\\Z', 'ab\n')).toEqual(['b']);
  });

  it('inline flags: (?i) for the whole pattern, or for a part only (ASCII, as Java without UNICODE_CASE)', () => {
    expect(matches('(?i)abc', 'ABC')).toBe(true);
    expect(translateJavaRegex('(?i)abc').flags).toContain('i');
    expect(matches('a(?i)b', 'aB')).toBe(true);
    expect(matches('a(?i)b', 'AB')).toBe(false);
    expect(matches('a(?i:b)c', 'aBc')).toBe(true);
    expect(matches('a(?i:b)c', 'aBC')).toBe(false);
    expect(matches('(?i)a(?-i)b', 'Ab')).toBe(true);
    expect(matches('(?i)a(?-i)b', 'AB')).toBe(false);
    expect(matches('x(?i)[a-c]+', 'xAbC')).toBe(true);
    expect(matches('x(?i)é', 'xÉ')).toBe(false);
    expect(matches('(?i)é', 'É')).toBe(false);
    expect(matches('(?i)\\u00e9', 'É')).toBe(false);
    expect(matches('(?i)aé', 'Aé')).toBe(true);
    expect(matches('x(?iu)é', 'xÉ')).toBe(true);
  });

  it('(?x) comments mode drops whitespace and # comments', () => {
    expect(matches('(?x) a b # a comment\n c', 'abc')).toBe(true);
    expect(matches('(?x) [ a ]', 'a')).toBe(true);
  });

  it('POSIX and java.lang.Character classes', () => {
    expect(matches('\\p{Alpha}+', 'abcXYZ')).toBe(true);
    expect(matches('\\p{Alpha}', 'é')).toBe(false);
    expect(matches('\\p{Punct}+', '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~')).toBe(true);
    expect(matches('\\p{XDigit}+', '0fA9')).toBe(true);
    expect(matches('\\P{Digit}', '5')).toBe(false);
    expect(matches('\\p{javaLowerCase}', 'é')).toBe(true);
    expect(matches('[\\p{Upper}\\d]+', 'AB12')).toBe(true);
  });

  it('Unicode categories and scripts: \\p{L}, \\pL, \\p{IsL}, \\p{Lu}, \\p{IsLatin}, \\p{sc=Greek}, \\p{IsAlphabetic}', () => {
    expect(matches('\\p{L}+', 'héllo')).toBe(true);
    expect(matches('\\pL', 'é')).toBe(true);
    expect(matches('\\p{IsL}', 'é')).toBe(true);
    expect(matches('\\p{Lu}', 'a')).toBe(false);
    expect(matches('\\p{IsLatin}+', 'abc')).toBe(true);
    expect(matches('\\p{sc=Greek}', 'λ')).toBe(true);
    expect(matches('\\p{IsAlphabetic}', 'λ')).toBe(true);
  });

  it('class union, intersection and subtraction', () => {
    expect(matches('[a-d[m-p]]+', 'amdp')).toBe(true);
    expect(matches('[a-d[m-p]]', 'e')).toBe(false);
    expect(matches('[a-z&&[def]]', 'e')).toBe(true);
    expect(matches('[a-z&&[def]]', 'a')).toBe(false);
    expect(matches('[a-z&&[^bc]]', 'b')).toBe(false);
    expect(matches('[a-z&&[^bc]]', 'd')).toBe(true);
    expect(matches('[^a-c[x]]', 'x')).toBe(false);
    expect(matches('[^a-c[x]]', 'y')).toBe(true);
  });

  it('classes: a leading ] is literal, - at the edges is literal, \\s inside works', () => {
    expect(matches('[]a]+', ']a')).toBe(true);
    expect(matches('[-a]+', '-a')).toBe(true);
    expect(matches('[a-]+', '-a')).toBe(true);
    expect(matches('[\\s,]+', ' ,\t')).toBe(true);
    expect(matches('[^\\S]', ' ')).toBe(true);
    expect(matches('[\\Q]-\\E]+', ']-')).toBe(true);
  });

  it('\\R, \\h and \\v (vertical whitespace, not JavaScript\'s vertical tab only)', () => {
    expect(matches('a\\Rb', 'a\r\nb')).toBe(true);
    expect(matches('a\\R\\Rb', 'a\r\nb')).toBe(false);
    expect(matches('a\\R\\Rb', 'a\n\rb')).toBe(true);
    expect(matches('\\h', '\u00a0')).toBe(true);
    expect(matches('\\v', '\n')).toBe(true);
  });
});

describe('translateJavaRegex: errors', () => {
  it('patterns Java rejects are INVALID_REGEX', () => {
    for (const p of ['(', 'a)', '*a', 'a{', '[a', 'a\\', '\\y', '(?<n>a)(?<n>b)', '\\k<nope>', '[z-a]', 'a{3,1}', '\\p{NoSuchThing}']) {
      expect(errorName(() => translateJavaRegex(p)), p).toBe('INVALID_REGEX');
    }
  });

  it('valid Java that JavaScript cannot run is UNSUPPORTED_REGEX', () => {
    for (const p of ['\\Ga', '\\X', '\\p{InGreek}', '(?U)\\w']) {
      expect(errorName(() => translateJavaRegex(p)), p).toBe('UNSUPPORTED_REGEX');
    }
  });
});

describe('translateJavaRegex: equivalence on the common subset', () => {
  it('simple patterns built from literals, classes, groups and greedy/lazy quantifiers behave as in JavaScript', () => {
    const atom = fc.constantFrom('a', 'b', '[ab]', '[^a]', '\\d', '\\w', '.', '(a|b)', '(?:ab)', 'x');
    const quant = fc.constantFrom('', '*', '+', '?', '{1,2}', '*?', '+?');
    const patternArb = fc.array(fc.tuple(atom, quant).map(([a, q]) => a + q), { minLength: 1, maxLength: 5 }).map((parts) => parts.join(''));
    const textArb = fc.stringMatching(/^[abx1 _]{0,8}$/);
    fc.assert(
      fc.property(patternArb, textArb, (pattern, text) => {
        const js = new RegExp(pattern, 'u').exec(text);
        const ours = find(pattern, text);
        expect(ours === null ? null : ours[0]).toBe(js === null ? null : js[0]);
      }),
      { numRuns: 300 },
    );
  });
});
