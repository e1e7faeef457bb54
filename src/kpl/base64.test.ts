import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CodecError } from '../errors.js';
import { decodeBase64, isBase64 } from './base64.js';

/** The definition decodeBase64 must agree with: RFC 4648 §4 base64 with its padding, nothing else. */
const STRICT = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

describe('decodeBase64', () => {
  it('decodes what Buffer encodes, for any bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(decodeBase64(Buffer.from(bytes).toString('base64')).toString('hex')).toBe(Buffer.from(bytes).toString('hex'));
      }));
  });

  it('accepts exactly the strings of the standard padded alphabet', () => {
    const alphabet = fc.constantFrom(...'ABCXYZabcxyz0189+/=-_ \n!é'.split(''));
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 16 }).map((chars) => chars.join('')), (text) => {
        expect(isBase64(text)).toBe(STRICT.test(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('rejects, saying what is wrong', () => {
    expect(() => decodeBase64('abc')).toThrow(new CodecError('base64 data length 3 is not a multiple of 4'));
    expect(() => decodeBase64('ab!d')).toThrow(/outside the standard alphabet or misplaced padding at offset 2/);
    expect(() => decodeBase64('ab-_')).toThrow(/at offset 2/);
    expect(() => decodeBase64('a=bc')).toThrow(/at offset 1/);
    expect(() => decodeBase64('ab\ncd==')).toThrow(CodecError);
    expect(() => decodeBase64(5 as unknown as string)).toThrow(/must be a string; received number/);
    expect(decodeBase64('')).toEqual(Buffer.alloc(0));
  });
});
