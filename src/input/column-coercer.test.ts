import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSqlType } from '../types/sql-type.js';
import { ColumnCoercer, FAILED, parseNumericBytes, roundToScale } from './column-coercer.js';

function coercer(...types: string[]): ColumnCoercer {
  return new ColumnCoercer(types.map((_, i) => `C${i}`), types.map((t) => parseSqlType(t)));
}
const num = (c: ColumnCoercer, col: number, text: string) => {
  const b = Buffer.from(text);
  return c.fromNumberBytes(col, Number(text), b, 0, b.length, 'JSON number');
};
const text = (c: ColumnCoercer, col: number, s: string) => {
  const b = Buffer.from(s);
  return c.fromText(col, b, 0, b.length, b.every((x) => x < 0x80), 'JSON string');
};

describe('ColumnCoercer: JSON number', () => {
  it('into integer types: exact values only, within range', () => {
    const c = coercer('INTEGER', 'SMALLINT', 'TINYINT', 'BIGINT');
    expect(num(c, 0, '123')).toBe(123);
    expect(num(c, 0, '123.0')).toBe(123);
    expect(num(c, 0, '1e3')).toBe(1000);
    expect(num(c, 0, '123.4')).toBe(FAILED);
    expect(c.message).toMatch(/123\.4 to INTEGER for column "C0": it has a fractional part/);
    expect(num(c, 0, '2147483647')).toBe(2147483647);
    expect(num(c, 0, '2147483648')).toBe(FAILED);
    expect(c.message).toMatch(/out of range/);
    expect(num(c, 1, '70000')).toBe(FAILED);
    expect(c.message).toMatch(/70000 to SMALLINT for column "C1"/);
    expect(num(c, 2, '-128')).toBe(-128);
    expect(num(c, 2, '128')).toBe(FAILED);
    expect(num(c, 3, '9007199254740991')).toBe(9007199254740991);
    expect(num(c, 3, '9007199254740993')).toBe(FAILED);
  });
  it('into DOUBLE, REAL and DECIMAL', () => {
    const c = coercer('DOUBLE', 'REAL', 'DECIMAL(5,2)');
    expect(num(c, 0, '84.51')).toBe(84.51);
    expect(num(c, 0, '1e400')).toBe(FAILED);
    expect(num(c, 1, '3.5e38')).toBe(FAILED);
    expect(num(c, 1, '1.5')).toBe(1.5);
    expect(num(c, 2, '2.675')).toBe(2.68);
    expect(num(c, 2, '-2.675')).toBe(-2.68);
    expect(num(c, 2, '999.994')).toBe(999.99);
    expect(num(c, 2, '999.995')).toBe(FAILED);
    expect(c.message).toMatch(/DECIMAL\(5,2\)/);
  });
  it('into BOOLEAN (0 is false, anything else true) and text (its JSON text)', () => {
    const c = coercer('BOOLEAN', 'VARCHAR(3)', 'VARCHAR');
    expect(num(c, 0, '0')).toBe(false);
    expect(num(c, 0, '0.0')).toBe(false);
    expect(num(c, 0, '5')).toBe(true);
    expect(num(c, 0, '-0.5')).toBe(true);
    expect(num(c, 1, '12345')).toBe('123');
    expect(num(c, 2, '1.50')).toBe('1.50');
  });
  it('is an error into DATE/TIME/TIMESTAMP/BINARY', () => {
    const c = coercer('TIMESTAMP', 'DATE', 'TIME', 'VARBINARY');
    for (let i = 0; i < 4; i++) expect(num(c, i, '1588000000000')).toBe(FAILED);
    expect(c.message).toMatch(/cannot convert JSON number 1588000000000 to VARBINARY/);
  });
});

describe('ColumnCoercer: JSON boolean', () => {
  it('is 1/0 for numerics, itself for BOOLEAN, text for characters, an error for datetimes', () => {
    const c = coercer('INTEGER', 'DOUBLE', 'DECIMAL(3,1)', 'BOOLEAN', 'VARCHAR(8)', 'TIMESTAMP', 'CHAR(6)');
    expect(c.fromBoolean(0, true)).toBe(1);
    expect(c.fromBoolean(0, false)).toBe(0);
    expect(c.fromBoolean(1, true)).toBe(1);
    expect(c.fromBoolean(2, false)).toBe(0);
    expect(c.fromBoolean(3, false)).toBe(false);
    expect(c.fromBoolean(4, true)).toBe('true');
    expect(c.fromBoolean(5, true)).toBe(FAILED);
    expect(c.message).toMatch(/boolean true to TIMESTAMP for column "C5"/);
    expect(c.fromBoolean(6, true)).toBe('true  ');
  });
});

describe('ColumnCoercer: text', () => {
  it('into BOOLEAN: true case-insensitively, anything else false', () => {
    const c = coercer('BOOLEAN');
    expect(text(c, 0, 'true')).toBe(true);
    expect(text(c, 0, 'TRUE')).toBe(true);
    expect(text(c, 0, 'tRuE')).toBe(true);
    expect(text(c, 0, 'yes')).toBe(false);
    expect(text(c, 0, 'true ')).toBe(false);
    expect(text(c, 0, '1')).toBe(false);
    expect(text(c, 0, '')).toBe(false);
  });
  it('into numerics: parsed, or an error naming column, value and type', () => {
    const c = coercer('INTEGER', 'DOUBLE', 'DECIMAL(4,1)');
    expect(text(c, 0, '42')).toBe(42);
    expect(text(c, 0, ' -7 ')).toBe(-7);
    expect(text(c, 1, '2.5')).toBe(2.5);
    expect(text(c, 1, '+.5e1')).toBe(5);
    expect(text(c, 2, '12.34')).toBe(12.3);
    expect(text(c, 0, '12.5')).toBe(FAILED);
    expect(text(c, 1, 'abc')).toBe(FAILED);
    expect(c.message).toBe('cannot convert JSON string "abc" to DOUBLE for column "C1": it is not a number');
    for (const bad of ['', '0x10', 'Infinity', 'NaN', '1,5', '١٢']) expect(text(c, 1, bad), bad).toBe(FAILED);
  });
  it('into VARCHAR(n) is truncated silently; CHAR(n) is padded; unbounded is kept', () => {
    const c = coercer('VARCHAR(4)', 'CHAR(3)', 'VARCHAR', 'CHAR(2)');
    expect(text(c, 0, 'AMZNX')).toBe('AMZN');
    expect(text(c, 0, 'été!!')).toBe('été!');
    expect(text(c, 1, 'a')).toBe('a  ');
    expect(text(c, 2, 'x'.repeat(1000))).toBe('x'.repeat(1000));
    expect(text(c, 3, 'abc')).toBe('ab');
  });
  it('into DATE/TIME/TIMESTAMP, or an error with the expected form', () => {
    const c = coercer('TIMESTAMP', 'DATE', 'TIME');
    expect(text(c, 0, '1992-02-14 18:35:44.0')).toBe(Date.UTC(1992, 1, 14, 18, 35, 44));
    expect(text(c, 1, '1992-02-14')).toBe(Date.UTC(1992, 1, 14));
    expect(text(c, 2, '18:35:44')).toBe(66_944_000);
    expect(text(c, 0, 'soon')).toBe(FAILED);
    expect(c.message).toMatch(/"soon" to TIMESTAMP for column "C0": expected/);
  });
  it('into BINARY/VARBINARY from base64', () => {
    const c = coercer('VARBINARY(4)', 'BINARY(4)');
    expect(text(c, 0, 'AQID')).toEqual(new Uint8Array([1, 2, 3]));
    expect(text(c, 1, 'AQID')).toEqual(new Uint8Array([1, 2, 3, 0]));
    expect(text(c, 0, 'AQIDBAU=')).toBe(FAILED);
    expect(text(c, 0, 'not base64!')).toBe(FAILED);
  });
  it('fromString decodes escaped text the same way', () => {
    const c = coercer('VARCHAR(2)', 'INTEGER');
    expect(c.fromString(0, 'a\nb', 'JSON string')).toBe('a\n');
    expect(c.fromString(1, '42', 'JSON string')).toBe(42);
  });
});

describe('ColumnCoercer: JSON object/array', () => {
  it('is its JSON text in character columns, an error elsewhere', () => {
    const c = coercer('VARCHAR(5)', 'INTEGER');
    expect(c.fromContainer(0, '{"a":1}', 'JSON object')).toBe('{"a":');
    expect(c.fromContainer(1, '[1]', 'JSON array')).toBe(FAILED);
    expect(c.message).toMatch(/JSON array "\[1\]" to INTEGER for column "C1"/);
  });
});

describe('helpers', () => {
  it('parseNumericBytes accepts decimal numbers only', () => {
    const p = (s: string) => parseNumericBytes(Buffer.from(s), 0, Buffer.byteLength(s));
    expect(p('1')).toBe(1);
    expect(p('-1.5e-3')).toBe(-0.0015);
    expect(p('5.')).toBe(5);
    expect(p('\t7\r')).toBe(7);
    expect(p('1 2')).toBeNaN();
    expect(p('')).toBeNaN();
  });
  it('parseNumericBytes equals Number() on decimal text', () => {
    const decimalText = fc
      .tuple(fc.constantFrom('', '-', '+'), fc.stringMatching(/^\d{0,20}$/), fc.option(fc.stringMatching(/^\d{0,20}$/)), fc.option(fc.integer({ min: -30, max: 30 })))
      .map(([sign, int, frac, exp]) => `${sign}${int}${frac === null ? '' : `.${frac}`}${exp === null ? '' : `e${exp}`}`);
    fc.assert(
      fc.property(fc.oneof(decimalText, fc.double({ noNaN: true, noDefaultInfinity: true }).map(String)), (text) => {
        const b = Buffer.from(text);
        const want = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(text) ? Number(text) : NaN;
        expect(Object.is(parseNumericBytes(b, 0, b.length), want)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
  it('roundToScale rounds half away from zero on the decimal digits', () => {
    expect(roundToScale(1.005, 2)).toBe(1.01);
    expect(roundToScale(-1.005, 2)).toBe(-1.01);
    expect(roundToScale(1.004, 2)).toBe(1);
    expect(roundToScale(123.5, 0)).toBe(124);
    expect(roundToScale(1e-7, 2)).toBe(0);
  });
});
