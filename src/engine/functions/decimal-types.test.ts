import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SqlTypes, formatSqlType, type SqlType } from '../../types/sql-type.js';
import { exactPrecisionScale, numericResultType } from './decimal-types.js';

const dec = (p: number, s: number): SqlType => SqlTypes.decimal(p, s);
const typeText = (t: SqlType | null) => (t === null ? null : formatSqlType(t));

describe('numericResultType (SQLREF Numeric Types and Precision)', () => {
  it('divide: DECIMAL(10,1) / DECIMAL(10,3) has scale 14 and precision 18 (case scalar-decimal-divide-scale)', () => {
    expect(typeText(numericResultType('/', dec(10, 1), dec(10, 3)))).toBe('DECIMAL(18,14)');
  });

  it('multiply: DECIMAL(10,1) * DECIMAL(10,3) is DECIMAL(18,4) (precision capped)', () => {
    expect(typeText(numericResultType('*', dec(10, 1), dec(10, 3)))).toBe('DECIMAL(18,4)');
  });

  it('add/subtract: DECIMAL(10,1) + DECIMAL(10,3) has scale 3 and the formula\'s precision max(9, 7) + 3 + 1 = 13', () => {
    // The page prints "precision = 11" under that very formula; the formula is what we follow.
    expect(typeText(numericResultType('+', dec(10, 1), dec(10, 3)))).toBe('DECIMAL(13,3)');
    expect(typeText(numericResultType('-', dec(10, 1), dec(10, 3)))).toBe('DECIMAL(13,3)');
  });

  it('integers stay integers (7 / 2 = 3), the wider type wins', () => {
    expect(typeText(numericResultType('/', SqlTypes.INTEGER, SqlTypes.INTEGER))).toBe('INTEGER');
    expect(typeText(numericResultType('+', SqlTypes.SMALLINT, SqlTypes.BIGINT))).toBe('BIGINT');
  });

  it('an integer next to a DECIMAL counts as DECIMAL(p, 0)', () => {
    expect(typeText(numericResultType('+', SqlTypes.INTEGER, dec(5, 2)))).toBe('DECIMAL(13,2)');
    expect(typeText(numericResultType('*', SqlTypes.BIGINT, dec(5, 2)))).toBe('DECIMAL(18,2)');
  });

  it('approximate types: DOUBLE wins, otherwise REAL', () => {
    expect(typeText(numericResultType('*', SqlTypes.REAL, SqlTypes.INTEGER))).toBe('REAL');
    expect(typeText(numericResultType('*', SqlTypes.REAL, SqlTypes.DOUBLE))).toBe('DOUBLE');
    expect(typeText(numericResultType('/', dec(5, 2), SqlTypes.DOUBLE))).toBe('DOUBLE');
  });

  it('is null for non-numeric operands', () => {
    expect(numericResultType('+', SqlTypes.varchar(3), SqlTypes.INTEGER)).toBeNull();
  });

  it('always gives precision and scale within 18 and scale <= precision', () => {
    const exact = fc.oneof(
      fc.constantFrom<SqlType>(SqlTypes.TINYINT, SqlTypes.SMALLINT, SqlTypes.INTEGER, SqlTypes.BIGINT),
      fc.integer({ min: 1, max: 18 }).chain((p) => fc.integer({ min: 0, max: p }).map((s) => dec(p, s))),
    );
    fc.assert(
      fc.property(fc.constantFrom('+', '-', '*', '/') as fc.Arbitrary<'+' | '-' | '*' | '/'>, exact, exact, (op, a, b) => {
        const t = numericResultType(op, a, b)!;
        if (t.kind === 'DECIMAL') {
          expect(t.precision).toBeLessThanOrEqual(18);
          expect(t.scale).toBeLessThanOrEqual(t.precision);
          expect(t.scale).toBeGreaterThanOrEqual(0);
        }
      }),
    );
  });
});

describe('exactPrecisionScale', () => {
  it('sees integers as DECIMAL(p, 0) and rejects other types', () => {
    expect(exactPrecisionScale(SqlTypes.INTEGER)).toEqual({ precision: 10, scale: 0 });
    expect(exactPrecisionScale(SqlTypes.BIGINT)).toEqual({ precision: 18, scale: 0 });
    expect(exactPrecisionScale(dec(7, 3))).toEqual({ precision: 7, scale: 3 });
    expect(exactPrecisionScale(SqlTypes.DOUBLE)).toBeNull();
  });
});
