import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ExecutionError } from '../../errors.js';
import { SqlTypes, type SqlType } from '../../types/sql-type.js';
import { castValue } from './cast.js';

const ts = (s: string) => Date.parse(s.replace(' ', 'T') + 'Z');
const DT: SqlType = { kind: 'INTERVAL', start: 'DAY', end: 'SECOND' };
const DAY: SqlType = { kind: 'INTERVAL', start: 'DAY', end: 'DAY' };
const VARBIN: SqlType = { kind: 'VARBINARY', length: 4 };
const BIN: SqlType = { kind: 'BINARY', length: 3 };

function errorName(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return e instanceof ExecutionError ? e.errorName : 'not an ExecutionError';
  }
  return undefined;
}

describe('castValue: the cases and SQLREF examples', () => {
  it('DATE -> VARCHAR(10) and CHAR (blank-padded)', () => {
    expect(castValue(ts('2008-08-23 00:00:00'), SqlTypes.DATE, SqlTypes.varchar(10))).toBe('2008-08-23');
    expect(castValue(ts('2008-08-23 00:00:00'), SqlTypes.DATE, SqlTypes.char(12))).toBe('2008-08-23  ');
  });

  it('DATE -> VARCHAR(9) is too short: an error, so no row (case scalar-cast-too-short-no-row)', () => {
    expect(errorName(() => castValue(ts('2008-08-23 00:00:00'), SqlTypes.DATE, SqlTypes.varchar(9)))).toBe('STRING_TOO_LONG');
    expect(errorName(() => castValue('abcdef', SqlTypes.varchar(6), SqlTypes.varchar(3)))).toBe('STRING_TOO_LONG');
    expect(castValue('ab   ', SqlTypes.varchar(6), SqlTypes.varchar(3))).toBe('ab ');
  });

  it('scalar-cast: VARCHAR -> INTEGER/TIMESTAMP/BOOLEAN, INTEGER -> VARCHAR/DOUBLE', () => {
    expect(castValue('123', SqlTypes.varchar(3), SqlTypes.INTEGER)).toBe(123);
    expect(castValue('2004-09-30 13:48:23', SqlTypes.varchar(19), SqlTypes.TIMESTAMP)).toBe(ts('2004-09-30 13:48:23'));
    expect(castValue('true', SqlTypes.varchar(4), SqlTypes.BOOLEAN)).toBe(true);
    expect(castValue(123, SqlTypes.INTEGER, SqlTypes.varchar(5))).toBe('123');
    expect(castValue(5, SqlTypes.INTEGER, SqlTypes.DOUBLE)).toBe(5);
  });

  it('real numbers round when cast to an integer type or a smaller scale', () => {
    expect(castValue(-1.77, SqlTypes.DOUBLE, SqlTypes.INTEGER)).toBe(-2);
    expect(castValue(2.5, SqlTypes.decimal(5, 1), SqlTypes.INTEGER)).toBe(3);
    expect(castValue(1.005, SqlTypes.DOUBLE, SqlTypes.decimal(5, 2))).toBe(1.01);
    expect(castValue(1, SqlTypes.INTEGER, SqlTypes.decimal(10, 1))).toBe(1);
    expect(castValue('23', SqlTypes.varchar(2), SqlTypes.decimal(18, 0))).toBe(23);
    expect(castValue(' 12.5 ', SqlTypes.varchar(6), SqlTypes.INTEGER)).toBe(13);
  });

  it('out-of-range and unreadable values are errors', () => {
    expect(errorName(() => castValue(70000, SqlTypes.INTEGER, SqlTypes.SMALLINT))).toBe('NUMERIC_OUT_OF_RANGE');
    expect(errorName(() => castValue(1000, SqlTypes.INTEGER, SqlTypes.decimal(5, 2)))).toBe('NUMERIC_OUT_OF_RANGE');
    expect(errorName(() => castValue('12a', SqlTypes.varchar(3), SqlTypes.INTEGER))).toBe('INVALID_CAST');
    expect(errorName(() => castValue('NaN', SqlTypes.varchar(3), SqlTypes.INTEGER))).toBe('INVALID_CAST');
    expect(castValue('NaN', SqlTypes.varchar(3), SqlTypes.DOUBLE)).toBeNaN();
    expect(errorName(() => castValue('yes', SqlTypes.varchar(3), SqlTypes.BOOLEAN))).toBe('INVALID_CAST');
    expect(errorName(() => castValue('2004-13-01', SqlTypes.varchar(10), SqlTypes.DATE))).toBe('INVALID_CAST');
    expect(errorName(() => castValue(Infinity, SqlTypes.DOUBLE, SqlTypes.BIGINT))).toBe('NUMERIC_OUT_OF_RANGE');
  });

  it('booleans', () => {
    expect(castValue(' FALSE ', SqlTypes.varchar(7), SqlTypes.BOOLEAN)).toBe(false);
    expect(castValue('unknown', SqlTypes.varchar(7), SqlTypes.BOOLEAN)).toBeNull();
    expect(castValue(true, SqlTypes.BOOLEAN, SqlTypes.varchar(5))).toBe('TRUE');
  });

  it('datetimes', () => {
    const t = ts('2004-09-30 13:48:23.5');
    expect(castValue(t, SqlTypes.TIMESTAMP, SqlTypes.DATE)).toBe(ts('2004-09-30 00:00:00'));
    expect(castValue(t, SqlTypes.TIMESTAMP, SqlTypes.TIME)).toBe(t - ts('2004-09-30 00:00:00'));
    expect(castValue(ts('2004-09-30 00:00:00'), SqlTypes.DATE, SqlTypes.TIMESTAMP)).toBe(ts('2004-09-30 00:00:00'));
    expect(castValue(3_600_000, SqlTypes.TIME, SqlTypes.TIMESTAMP)).toBe(3_600_000);
    expect(castValue('13:48:23', SqlTypes.varchar(8), SqlTypes.TIME)).toBe((13 * 60 + 48) * 60_000 + 23_000);
    expect(castValue('2008-08-23', SqlTypes.varchar(10), SqlTypes.DATE)).toBe(ts('2008-08-23 00:00:00'));
    expect(castValue(t, SqlTypes.TIMESTAMP, SqlTypes.varchar(30))).toBe('2004-09-30 13:48:23.5');
  });

  it('intervals', () => {
    expect(castValue('1 2:3:4', SqlTypes.varchar(10), DT)).toBe(((24 + 2) * 60 + 3) * 60_000 + 4000);
    expect(castValue(2 * 86_400_000, DAY, SqlTypes.BIGINT)).toBe(2);
    expect(castValue(1500, { kind: 'INTERVAL', start: 'SECOND', end: 'SECOND' }, SqlTypes.decimal(10, 3))).toBe(1.5);
    expect(castValue(1500, { kind: 'INTERVAL', start: 'SECOND', end: 'SECOND' }, SqlTypes.BIGINT)).toBe(1);
    expect(castValue(86_400_000 + 3_600_000, DT, DAY)).toBe(86_400_000);
    expect(castValue(371_000, { kind: 'INTERVAL', start: 'MINUTE', end: 'SECOND' }, SqlTypes.varchar(8))).toBe('+6:11');
    expect(errorName(() => castValue('1:2', SqlTypes.varchar(3), DAY))).toBe('INVALID_INTERVAL');
  });

  it('binaries', () => {
    expect(castValue(new Uint8Array([1, 2]), VARBIN, BIN)).toEqual(new Uint8Array([1, 2, 0]));
    expect(errorName(() => castValue(new Uint8Array([1, 2, 3, 4]), VARBIN, BIN))).toBe('STRING_TOO_LONG');
  });

  it('NULL stays NULL', () => {
    expect(castValue(null, SqlTypes.INTEGER, SqlTypes.varchar(3))).toBeNull();
    expect(castValue(null, SqlTypes.NULL, SqlTypes.TIMESTAMP)).toBeNull();
  });

  it('number -> VARCHAR -> number round-trips for integers and doubles', () => {
    fc.assert(
      fc.property(fc.integer({ min: -2147483648, max: 2147483647 }), (n) => {
        const s = castValue(n, SqlTypes.INTEGER, SqlTypes.varchar(null));
        expect(castValue(s, SqlTypes.varchar(null), SqlTypes.INTEGER)).toBe(n);
      }),
    );
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const s = castValue(x, SqlTypes.DOUBLE, SqlTypes.varchar(null));
        expect(castValue(s, SqlTypes.varchar(null), SqlTypes.DOUBLE)).toBe(x);
      }),
    );
  });
});
