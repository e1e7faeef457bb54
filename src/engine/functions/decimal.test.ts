import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ExecutionError } from '../../errors.js';
import { SqlTypes, formatSqlType, type SqlType } from '../../types/sql-type.js';
import { decimalDivide, numericResultType, roundToScale, toDecimal, truncateToScale } from './decimal.js';

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

describe('rounding', () => {
  it('rounds halves away from zero on the decimal text', () => {
    expect(roundToScale(1.005, 2)).toBe(1.01);
    expect(roundToScale(2.5, 0)).toBe(3);
    expect(roundToScale(-2.5, 0)).toBe(-3);
    expect(roundToScale(-1.77, 0)).toBe(-2);
    expect(roundToScale(123.456, 2)).toBe(123.46);
    expect(roundToScale(1e-7, 3)).toBe(0);
    expect(roundToScale(1234.5, -2)).toBe(1200);
    expect(Object.is(roundToScale(-0.0001, 2), -0)).toBe(false);
  });

  it('truncates toward zero', () => {
    expect(truncateToScale(-0.339, 2)).toBe(-0.33);
    expect(truncateToScale(0.999, 0)).toBe(0);
  });

  it('never moves a value by more than half a unit of the scale', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e9, max: 1e9, noNaN: true }), fc.integer({ min: 0, max: 6 }), (x, s) => {
        expect(Math.abs(roundToScale(x, s) - x)).toBeLessThanOrEqual(0.5 * 10 ** -s * (1 + 1e-9) + Math.abs(x) * 1e-15);
      }),
    );
  });
});

describe('decimalDivide', () => {
  it('1 / 3 at scale 14 is 0.33333333333333 (case scalar-decimal-divide-scale)', () => {
    expect(decimalDivide(1, 3, 14)).toBe(0.33333333333333);
  });

  it('works on decimal digits, not binary doubles', () => {
    expect(decimalDivide(0.3, 0.1, 6)).toBe(3);
    expect(decimalDivide(2, 3, 2)).toBe(0.66);
    expect(decimalDivide(-2, 3, 2)).toBe(-0.66);
    expect(decimalDivide(10, 4, 0)).toBe(2);
    expect(decimalDivide(1.5, 0.5, 0)).toBe(3);
  });

  it('throws DIVISION_BY_ZERO', () => {
    expect(() => decimalDivide(1, 0, 2)).toThrow(ExecutionError);
  });
});

describe('toDecimal', () => {
  it('rounds to the scale and checks the whole digits', () => {
    expect(toDecimal(123.456, 5, 2)).toBe(123.46);
    expect(toDecimal(-0.01, 5, 2)).toBe(-0.01);
    expect(() => toDecimal(1000, 5, 2)).toThrow(/does not fit DECIMAL\(5,2\)/);
    expect(() => toDecimal(999.995, 5, 2)).toThrow(ExecutionError);
    expect(() => toDecimal(Infinity, 5, 2)).toThrow(ExecutionError);
  });
});
