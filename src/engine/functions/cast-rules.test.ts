import { describe, expect, it } from 'vitest';
import { SqlTypes, type SqlType } from '../../types/sql-type.js';
import { canCast } from './cast-rules.js';

const DT: SqlType = { kind: 'INTERVAL', start: 'DAY', end: 'SECOND' };
const DAY: SqlType = { kind: 'INTERVAL', start: 'DAY', end: 'DAY' };
const YM: SqlType = { kind: 'INTERVAL', start: 'YEAR', end: 'MONTH' };
const VARBIN: SqlType = { kind: 'VARBINARY', length: 4 };
const BIN: SqlType = { kind: 'BINARY', length: 3 };

describe('canCast (SQLREF Valid Conversions)', () => {
  const numeric = [SqlTypes.TINYINT, SqlTypes.SMALLINT, SqlTypes.INTEGER, SqlTypes.BIGINT, SqlTypes.decimal(10, 2), SqlTypes.REAL, SqlTypes.DOUBLE];
  const text = [SqlTypes.varchar(10), SqlTypes.char(3)];

  it('numeric -> numeric and text only', () => {
    for (const a of numeric) {
      for (const b of [...numeric, ...text]) expect(canCast(a, b)).toBe(true);
      for (const b of [SqlTypes.BOOLEAN, SqlTypes.DATE, SqlTypes.TIMESTAMP, DT]) expect(canCast(a, b)).toBe(false);
    }
  });

  it('text -> everything but binary and year-month intervals', () => {
    for (const b of [...numeric, ...text, SqlTypes.DATE, SqlTypes.TIME, SqlTypes.TIMESTAMP, DT, SqlTypes.BOOLEAN]) {
      expect(canCast(SqlTypes.varchar(5), b)).toBe(true);
    }
    expect(canCast(SqlTypes.varchar(5), VARBIN)).toBe(false);
    expect(canCast(SqlTypes.varchar(5), YM)).toBe(false);
  });

  it('datetimes', () => {
    expect(canCast(SqlTypes.DATE, SqlTypes.TIMESTAMP)).toBe(true);
    expect(canCast(SqlTypes.DATE, SqlTypes.TIME)).toBe(false);
    expect(canCast(SqlTypes.TIME, SqlTypes.TIMESTAMP)).toBe(true);
    expect(canCast(SqlTypes.TIME, SqlTypes.DATE)).toBe(false);
    expect(canCast(SqlTypes.TIMESTAMP, SqlTypes.DATE)).toBe(true);
    expect(canCast(SqlTypes.TIMESTAMP, SqlTypes.TIME)).toBe(true);
    expect(canCast(SqlTypes.TIMESTAMP, SqlTypes.BIGINT)).toBe(false);
    expect(canCast(SqlTypes.TIMESTAMP, SqlTypes.varchar(30))).toBe(true);
  });

  it('intervals, booleans, binaries, NULL', () => {
    expect(canCast(DT, SqlTypes.BIGINT)).toBe(true);
    expect(canCast(DT, SqlTypes.decimal(10, 3))).toBe(true);
    expect(canCast(DT, SqlTypes.INTEGER)).toBe(false);
    expect(canCast(DT, DAY)).toBe(true);
    expect(canCast(DT, YM)).toBe(false);
    expect(canCast(YM, SqlTypes.varchar(10))).toBe(true);
    expect(canCast(SqlTypes.BOOLEAN, SqlTypes.varchar(5))).toBe(true);
    expect(canCast(SqlTypes.BOOLEAN, SqlTypes.INTEGER)).toBe(false);
    expect(canCast(VARBIN, BIN)).toBe(true);
    expect(canCast(VARBIN, SqlTypes.varchar(4))).toBe(false);
    expect(canCast(SqlTypes.NULL, SqlTypes.TIMESTAMP)).toBe(true);
  });
});

