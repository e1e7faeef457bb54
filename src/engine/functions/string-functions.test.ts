import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ExecutionError } from '../../errors.js';
import {
  charLength,
  concat,
  concatBinary,
  initcap,
  lower,
  overlay,
  padChar,
  position,
  substringComma,
  substringFrom,
  trim,
  upper,
} from './string-functions.js';

describe('substringFrom (SUBSTRING s FROM p FOR n)', () => {
  it.each([
    // SQLREF SUBSTRING examples (FROM/FOR table)
    ['123456789', 3, 4, '3456'],
    ['123456789', 17, 4, ''],
    ['123456789', -1, 4, '12'],
    ['123456789', 6, 0, ''],
    ['123456789', 8, 4, '89'],
  ])('SUBSTRING(%s FROM %i FOR %i) = %s', (s, p, n, expected) => {
    expect(substringFrom(s, p, n)).toBe(expected);
  });

  it('without FOR takes the rest of the string, and a start below 1 counts from 1', () => {
    expect(substringFrom('123456789', 4)).toBe('456789');
    expect(substringFrom('123456789', -3)).toBe('123456789');
    expect(substringFrom('123', 4)).toBe('');
  });

  it('a start far before the string with a short length gives the empty string', () => {
    expect(substringFrom('123456789', -5, 3)).toBe('');
  });

  it('rejects a negative length', () => {
    expect(() => substringFrom('abc', 1, -1)).toThrow(ExecutionError);
  });

  it('passes NULL through', () => {
    expect(substringFrom(null, 1, 2)).toBeNull();
    expect(substringFrom('abc', null)).toBeNull();
    expect(substringFrom('abc', 1, null)).toBeNull();
  });

  it('agrees with a character-by-character definition', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.integer({ min: -15, max: 15 }), fc.integer({ min: 0, max: 15 }), (s, p, n) => {
        let expected = '';
        for (let i = p; i < p + n; i++) if (i >= 1 && i <= s.length) expected += s[i - 1];
        expect(substringFrom(s, p, n)).toBe(expected);
      }),
    );
  });
});

describe('substringComma (SUBSTRING(s, p, n))', () => {
  it('matches the FROM form inside the string (DG example: referrer domain)', () => {
    const referrer = 'http://www.amazon.com';
    const len = position('.com', referrer)! - position('www.', referrer)! - 4;
    expect(substringComma(referrer, 12, len)).toBe('amazon');
  });

  it('gives NULL for a start beyond the end, where the FROM form gives an empty string', () => {
    expect(substringComma('123456789', 17, 4)).toBeNull();
    expect(substringFrom('123456789', 17, 4)).toBe('');
    expect(substringComma('123456789', 9, 4)).toBe('9');
  });
});

describe('position', () => {
  it.each([
    ['findme', '1234findmeXXX', 5],
    ['findme', '1234not-hereXXX', 0],
    ['1', '1234567', 1],
    ['7', '1234567', 7],
    ['', '1234567', 1],
  ])('POSITION(%s IN %s) = %i', (sub, s, expected) => {
    expect(position(sub, s)).toBe(expected);
  });

  it('is NULL when either side is NULL', () => {
    expect(position(null, 'a')).toBeNull();
    expect(position('a', null)).toBeNull();
  });
});

describe('overlay', () => {
  it.each([
    // SQLREF OVERLAY examples
    ['12345', 'foo', 1, undefined, 'foo45'],
    ['12345', 'foo', 0, undefined, 'foo345'],
    ['12345', 'foo', -2, undefined, 'foo12345'],
    ['12345', 'foo', 4, undefined, '123foo'],
    ['12345', 'foo', 17, undefined, '12345foo'],
    ['12345', 'foo', 2, 0, '1foo2345'],
    ['12345', 'foo', 2, 2, '1foo45'],
    ['12345', 'foo', 2, 9, '1foo'],
  ])('OVERLAY(%s PLACING %s FROM %i FOR %s) = %s', (s, r, p, n, expected) => {
    expect(overlay(s, r, p, n)).toBe(expected);
  });

  it('rejects a negative length (SQLREF: "an exception is raised")', () => {
    expect(() => overlay('abc', 'x', 1, -1)).toThrow(ExecutionError);
  });

  it('passes NULL through', () => {
    expect(overlay(null, 'x', 1)).toBeNull();
    expect(overlay('abc', 'x', 1, null)).toBeNull();
  });
});

describe('trim', () => {
  it.each([
    ['BOTH', ' ', ' Trim front and back ', 'Trim front and back'],
    ['LEADING', 'x', 'xxxTrim frontxxx', 'Trim frontxxx'],
    ['TRAILING', 'x', 'xxxTrimxBackxxx', 'xxxTrimxBack'],
    ['BOTH', 'y', 'xxxNo y to trimxxx', 'xxxNo y to trimxxx'],
    ['BOTH', 'x', 'xxxx', ''],
  ] as const)('TRIM(%s %s FROM %s) = %s', (side, ch, s, expected) => {
    expect(trim(side, ch, s)).toBe(expected);
  });

  it('needs exactly one trim character', () => {
    expect(() => trim('BOTH', 'xy', 'xyx')).toThrow(/exactly one character/);
    expect(() => trim('BOTH', '', 'x')).toThrow(ExecutionError);
  });

  it('passes NULL through', () => {
    expect(trim('BOTH', null, 'a')).toBeNull();
    expect(trim('BOTH', ' ', null)).toBeNull();
  });
});

describe('case and length', () => {
  it('UPPER, LOWER, INITCAP (SQLREF examples)', () => {
    expect(upper('abcDEFghi123')).toBe('ABCDEFGHI123');
    expect(lower('abcDEFghi123')).toBe('abcdefghi123');
    expect(initcap('Each FIRST lEtTeR is cAPITALIZED')).toBe('Each First Letter Is Capitalized');
    expect(initcap('  two  spaces')).toBe('  Two  Spaces');
    expect(initcap('hello-world')).toBe('Hello-world');
    expect(upper(null)).toBeNull();
    expect(initcap(null)).toBeNull();
  });

  it('CHAR_LENGTH counts characters, CHAR padding included', () => {
    expect(charLength('one')).toBe(3);
    expect(charLength('')).toBe(0);
    expect(charLength(padChar('fred', 16))).toBe(16);
    expect(charLength(null)).toBeNull();
  });

  it('|| concatenates and is NULL with a NULL operand', () => {
    expect(concat(concat('SQL', ''), 'stream')).toBe('SQLstream');
    expect(concat('a', null)).toBeNull();
    expect(concatBinary(new Uint8Array([1]), new Uint8Array([2, 3]))).toEqual(new Uint8Array([1, 2, 3]));
    expect(concatBinary(null, new Uint8Array([2]))).toBeNull();
  });
});
