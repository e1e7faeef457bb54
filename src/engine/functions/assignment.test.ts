import { describe, expect, it } from 'vitest';
import { ExecutionError } from '../../errors.js';
import { SqlTypes, type SqlType } from '../../types/sql-type.js';
import { assignValue } from './assignment.js';
import { canAssign } from './assignment-rules.js';

const DT: SqlType = { kind: 'INTERVAL', start: 'DAY', end: 'SECOND' };
const YM: SqlType = { kind: 'INTERVAL', start: 'YEAR', end: 'MONTH' };

describe('canAssign', () => {
  it('accepts numeric -> numeric and text -> text (COUNT into DOUBLE, VARCHAR(16) into VARCHAR(12))', () => {
    expect(canAssign(SqlTypes.BIGINT, SqlTypes.DOUBLE)).toBe(true);
    expect(canAssign(SqlTypes.DOUBLE, SqlTypes.INTEGER)).toBe(true);
    expect(canAssign(SqlTypes.varchar(16), SqlTypes.varchar(12))).toBe(true);
    expect(canAssign(SqlTypes.char(3), SqlTypes.varchar(12))).toBe(true);
  });

  it('rejects crossing families (TIMESTAMP into BIGINT, numbers into text, text into numbers)', () => {
    expect(canAssign(SqlTypes.TIMESTAMP, SqlTypes.BIGINT)).toBe(false);
    expect(canAssign(SqlTypes.INTEGER, SqlTypes.varchar(10))).toBe(false);
    expect(canAssign(SqlTypes.varchar(10), SqlTypes.INTEGER)).toBe(false);
    expect(canAssign(SqlTypes.TIMESTAMP, SqlTypes.DATE)).toBe(false);
    expect(canAssign(SqlTypes.BOOLEAN, SqlTypes.INTEGER)).toBe(false);
    expect(canAssign(DT, YM)).toBe(false);
  });

  it('accepts same-kind datetimes, DATE into TIMESTAMP, binaries, intervals of one family, NULL', () => {
    expect(canAssign(SqlTypes.TIMESTAMP, SqlTypes.TIMESTAMP)).toBe(true);
    expect(canAssign(SqlTypes.DATE, SqlTypes.TIMESTAMP)).toBe(true);
    expect(canAssign({ kind: 'BINARY', length: 2 }, { kind: 'VARBINARY', length: 8 })).toBe(true);
    expect(canAssign(DT, { kind: 'INTERVAL', start: 'HOUR', end: 'HOUR' })).toBe(true);
    expect(canAssign(SqlTypes.NULL, SqlTypes.BOOLEAN)).toBe(true);
  });
});

describe('assignValue', () => {
  it('cuts over-long strings instead of failing (policy), and pads CHAR', () => {
    expect(assignValue('TECHNOLOGY', SqlTypes.varchar(16), SqlTypes.varchar(12))).toBe('TECHNOLOGY');
    expect(assignValue('TECHNOLOGY', SqlTypes.varchar(16), SqlTypes.varchar(4))).toBe('TECH');
    expect(assignValue('ab', SqlTypes.varchar(16), SqlTypes.char(4))).toBe('ab  ');
    expect(assignValue('abcdef', SqlTypes.varchar(16), SqlTypes.char(4))).toBe('abcd');
    expect(assignValue(new Uint8Array([1, 2, 3]), { kind: 'VARBINARY', length: 3 }, { kind: 'VARBINARY', length: 2 })).toEqual(new Uint8Array([1, 2]));
  });

  it('converts numbers as CAST does', () => {
    expect(assignValue(41.337, SqlTypes.decimal(5, 3), SqlTypes.INTEGER)).toBe(41);
    expect(assignValue(7, SqlTypes.BIGINT, SqlTypes.DOUBLE)).toBe(7);
    expect(assignValue(12.345, SqlTypes.DOUBLE, SqlTypes.decimal(5, 2))).toBe(12.35);
    expect(() => assignValue(70000, SqlTypes.INTEGER, SqlTypes.SMALLINT)).toThrow(ExecutionError);
  });

  it('keeps other values and NULL', () => {
    expect(assignValue(123, SqlTypes.TIMESTAMP, SqlTypes.TIMESTAMP)).toBe(123);
    expect(assignValue(86_400_000, SqlTypes.DATE, SqlTypes.TIMESTAMP)).toBe(86_400_000);
    expect(assignValue(true, SqlTypes.BOOLEAN, SqlTypes.BOOLEAN)).toBe(true);
    expect(assignValue(null, SqlTypes.INTEGER, SqlTypes.INTEGER)).toBeNull();
  });
});
