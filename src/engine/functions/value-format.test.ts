import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ExecutionError } from '../../errors.js';
import { SqlTypes } from '../../types/sql-type.js';
import {
  formatDate,
  formatDecimal,
  formatDouble,
  formatReal,
  formatTime,
  formatTimestamp,
  formatValue,
  parseDateLiteral,
  parseTimeLiteral,
  parseTimestampLiteral,
} from './value-format.js';

const ts = (s: string) => Date.parse(s.replace(' ', 'T') + 'Z');

describe('formatDouble follows Java Double.toString', () => {
  it.each([
    [5, '5.0'],
    [0, '0.0'],
    [-0, '-0.0'],
    [1.5, '1.5'],
    [0.001, '0.001'],
    [0.0001, '1.0E-4'],
    [9999999, '9999999.0'],
    [1e7, '1.0E7'],
    [1e10, '1.0E10'],
    [1.234e-5, '1.234E-5'],
    [123456789.5, '1.234567895E8'],
    [-2.5, '-2.5'],
    [0.1 + 0.2, '0.30000000000000004'],
    [Number.MIN_VALUE, '4.9E-324'],
    [NaN, 'NaN'],
    [Infinity, 'Infinity'],
    [-Infinity, '-Infinity'],
  ])('%d -> %s', (x, expected) => {
    expect(formatDouble(x)).toBe(expected);
  });

  it('reads back as the same number', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        expect(Number(formatDouble(x))).toBe(x);
      }),
    );
  });
});

describe('formatReal follows Java Float.toString', () => {
  it('prints the shortest digits of the 32-bit value', () => {
    expect(formatReal(0.1)).toBe('0.1');
    expect(formatReal(Math.fround(0.1))).toBe('0.1');
    expect(formatReal(10)).toBe('10.0');
    expect(formatReal(1e10)).toBe('1.0E10');
    expect(formatReal(3.4028234663852886e38)).toBe('3.4028235E38');
    // 3635304.25 is exactly between 3635304.2 and 3635304.3: the even digit wins, as in Java
    expect(formatReal(3635304.25)).toBe('3635304.2');
    expect(formatReal(1.4e-45)).toBe('1.4E-45');
  });
});

describe('other types', () => {
  it('DECIMAL keeps its scale', () => {
    expect(formatDecimal(1.5, 2)).toBe('1.50');
    expect(formatDecimal(-3, 0)).toBe('-3');
    expect(formatDecimal(0.0000001, 7)).toBe('0.0000001');
    expect(formatDecimal(1.005, 2)).toBe('1.01');
  });

  it('DATE, TIME, TIMESTAMP', () => {
    expect(formatDate(ts('2008-08-23 00:00:00'))).toBe('2008-08-23');
    expect(formatDate(ts('0009-01-01 00:00:00'))).toBe('0009-01-01');
    expect(formatTime(13 * 3_600_000 + 48 * 60_000 + 23_000)).toBe('13:48:23');
    expect(formatTime(5 * 60_000 + 120)).toBe('00:05:00.12');
    expect(formatTimestamp(ts('2004-09-30 00:00:00'))).toBe('2004-09-30 00:00:00');
    expect(formatTimestamp(ts('2004-09-30 13:48:23.001'))).toBe('2004-09-30 13:48:23.001');
    expect(formatTimestamp(ts('2004-09-30 13:48:23.450'))).toBe('2004-09-30 13:48:23.45');
  });

  it('formatValue dispatches on the type', () => {
    expect(formatValue(123, SqlTypes.INTEGER)).toBe('123');
    expect(formatValue(true, SqlTypes.BOOLEAN)).toBe('TRUE');
    expect(formatValue(false, SqlTypes.BOOLEAN)).toBe('FALSE');
    expect(formatValue(2.5, SqlTypes.decimal(5, 2))).toBe('2.50');
    expect(formatValue(5, SqlTypes.DOUBLE)).toBe('5.0');
    expect(formatValue(ts('2008-08-23 00:00:00'), SqlTypes.DATE)).toBe('2008-08-23');
    expect(formatValue(40, { kind: 'INTERVAL', start: 'YEAR', end: 'MONTH' })).toBe('+3-04');
    expect(formatValue(new Uint8Array([0, 171]), { kind: 'VARBINARY', length: null })).toBe('00AB');
    expect(formatValue('x', SqlTypes.varchar(3))).toBe('x');
    expect(formatValue(null, SqlTypes.INTEGER)).toBeNull();
  });
});

describe('literal parsers', () => {
  it('DATE', () => {
    expect(parseDateLiteral('2008-08-23')).toBe(ts('2008-08-23 00:00:00'));
    expect(parseDateLiteral(' 2008-8-3 ')).toBe(ts('2008-08-03 00:00:00'));
    expect(() => parseDateLiteral('2011-02-30')).toThrow(ExecutionError);
    expect(() => parseDateLiteral('2008/08/23')).toThrow(ExecutionError);
  });

  it('TIME', () => {
    expect(parseTimeLiteral('13:48:23')).toBe(13 * 3_600_000 + 48 * 60_000 + 23_000);
    expect(parseTimeLiteral('13:48')).toBe(13 * 3_600_000 + 48 * 60_000);
    expect(parseTimeLiteral('00:00:01.5')).toBe(1500);
    expect(() => parseTimeLiteral('24:00:00')).toThrow(ExecutionError);
  });

  it('TIMESTAMP, including the forms the DG examples feed', () => {
    expect(parseTimestampLiteral('2004-09-30 13:48:23')).toBe(ts('2004-09-30 13:48:23'));
    expect(parseTimestampLiteral('1992-02-14 18:35:44.0')).toBe(ts('1992-02-14 18:35:44'));
    expect(parseTimestampLiteral('2018-05-09T12:50:41.337510')).toBe(ts('2018-05-09 12:50:41.337'));
    expect(parseTimestampLiteral('2018-05-09T12:50:41Z')).toBe(ts('2018-05-09 12:50:41'));
    expect(parseTimestampLiteral('2018-05-09')).toBe(ts('2018-05-09 00:00:00'));
    expect(() => parseTimestampLiteral('2018-05-09 25:00:00')).toThrow(ExecutionError);
    expect(() => parseTimestampLiteral('yesterday')).toThrow(/not a valid TIMESTAMP/);
  });

  it('TIMESTAMP text round-trips', () => {
    fc.assert(
      fc.property(fc.integer({ min: ts('0001-01-01 00:00:00'), max: ts('9999-12-31 23:59:59.999') }), (ms) => {
        expect(parseTimestampLiteral(formatTimestamp(ms))).toBe(ms);
      }),
    );
  });
});
