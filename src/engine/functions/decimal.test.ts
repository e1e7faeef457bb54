import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ExecutionError } from '../../errors.js';
import { decimalArithmetic, decimalDivide, roundToScale, toDecimal, truncateToScale } from './decimal.js';


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

describe('decimalArithmetic', () => {
  it('adds, subtracts and multiplies exactly at the result scale', () => {
    expect(decimalArithmetic('+', 0.1, 0.2, 1)).toBe(0.3);
    expect(decimalArithmetic('-', 12.5, 0.25, 2)).toBe(12.25);
    expect(decimalArithmetic('*', 0.1, 0.2, 2)).toBe(0.02);
    expect(decimalArithmetic('*', 123456789.12, 1000.001, 5)).toBe(123456912576.78912);
    expect(decimalArithmetic('*', -1.5, 1.5, 1)).toBe(-2.3);
    expect(decimalArithmetic('/', 1, 3, 14)).toBe(0.33333333333333);
    expect(decimalArithmetic('+', null, 1, 0)).toBeNull();
  });

  it('agrees with exact integer arithmetic on scaled values', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e7, max: 1e7 }), fc.integer({ min: -1e7, max: 1e7 }), (x, y) => {
        const a = x / 100;
        const b = y / 1000;
        expect(decimalArithmetic('+', a, b, 3)).toBe(Number(`${BigInt(x) * 10n + BigInt(y)}e-3`));
        expect(decimalArithmetic('*', a, b, 5)).toBe(Number(`${BigInt(x) * BigInt(y)}e-5`));
      }),
    );
  });
});
