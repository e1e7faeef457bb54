import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ExecutionError } from '../../errors.js';
import {
  abs,
  approxDivide,
  ceil,
  checkIntegerRange,
  exp,
  floor,
  integerDivide,
  ln,
  log10,
  mod,
  negate,
  power,
  stepNumber,
} from './numeric-functions.js';

function errorName(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return e instanceof ExecutionError ? e.errorName : 'not an ExecutionError';
  }
  return undefined;
}

describe('ABS, CEIL, FLOOR (SQLREF examples)', () => {
  it('ABS', () => {
    expect(abs(2.0)).toBe(2);
    expect(abs(-1.0)).toBe(1);
    expect(abs(0)).toBe(0);
    expect(abs(-3 * 3)).toBe(9);
    expect(abs(null)).toBeNull();
  });

  it('CEIL / CEILING', () => {
    expect(ceil(2.0)).toBe(2);
    expect(ceil(-1.0)).toBe(-1);
    expect(ceil(5.2)).toBe(6);
    expect(ceil(-3.3)).toBe(-3);
    expect(ceil(-3 * 3.1)).toBe(-9);
    expect(Object.is(ceil(-0.5), -0)).toBe(false);
    expect(ceil(null)).toBeNull();
  });

  it('FLOOR', () => {
    expect(floor(2.0)).toBe(2);
    expect(floor(-1.0)).toBe(-1);
    expect(floor(5.2)).toBe(5);
    expect(floor(-3.3)).toBe(-4);
    expect(floor(-3 * 3.1)).toBe(-10);
    expect(floor(null)).toBeNull();
  });
});

describe('MOD', () => {
  it.each([
    [4, 2, 0],
    [5, 3, 2],
    [-4, 3, -1],
    [5, 12, 5],
  ])('MOD(%i, %i) = %i (SQLREF)', (a, b, r) => {
    expect(mod(a, b)).toBe(r);
  });

  it('raises a divide-by-zero error for a zero divisor', () => {
    expect(errorName(() => mod(4, 0))).toBe('DIVISION_BY_ZERO');
  });

  it('has the sign of the dividend and |result| < |divisor|', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e6, max: 1e6 }), fc.integer({ min: -1000, max: 1000 }).filter((b) => b !== 0), (a, b) => {
        const r = mod(a, b)!;
        expect(Math.abs(r)).toBeLessThan(Math.abs(b));
        if (r !== 0) expect(Math.sign(r)).toBe(Math.sign(a));
        expect(integerDivide(a, b)! * b + r).toBe(a);
      }),
    );
  });
});

describe('division', () => {
  it('INTEGER / INTEGER truncates toward zero (case scalar-integer-division)', () => {
    expect(integerDivide(7, 2)).toBe(3);
    expect(integerDivide(-7, 2)).toBe(-3);
    expect(integerDivide(9, 4)).toBe(2);
    expect(Object.is(integerDivide(-1, 2), -0)).toBe(false);
  });

  it('division by zero is an ExecutionError for integers and for REAL/DOUBLE', () => {
    expect(errorName(() => integerDivide(5, 0))).toBe('DIVISION_BY_ZERO');
    expect(errorName(() => approxDivide(50.0, 0))).toBe('DIVISION_BY_ZERO');
    expect(approxDivide(1, 4)).toBe(0.25);
    expect(integerDivide(null, 0)).toBeNull();
  });
});

describe('POWER, EXP, LN, LOG10 (SQLREF example values)', () => {
  it('POWER', () => {
    expect(power(3, 2)).toBe(9);
    expect(power(-2, 3)).toBe(-8);
    expect(power(4, -2)).toBe(0.0625);
    expect(power(10.1, 2.5)).toBeCloseTo(324.19285157140644, 10);
    expect(errorName(() => power(0, -1))).toBe('INVALID_ARGUMENT');
    expect(errorName(() => power(-8, 1 / 3))).toBe('INVALID_ARGUMENT');
    expect(power(null, 2)).toBeNull();
  });

  it('EXP', () => {
    expect(exp(1)).toBeCloseTo(2.7182818284590455, 14);
    expect(exp(0)).toBe(1);
    expect(exp(-1)).toBeCloseTo(0.36787944117144233, 14);
    expect(exp(10)).toBeCloseTo(22026.465794806718, 9);
    expect(exp(2.5)).toBeCloseTo(12.182493960703473, 12);
  });

  it('LN and LOG10', () => {
    expect(ln(1)).toBe(0);
    expect(ln(10)).toBeCloseTo(2.302585092994046, 14);
    expect(ln(2.5)).toBeCloseTo(0.9162907318741551, 14);
    expect(log10(1)).toBe(0);
    expect(log10(100)).toBe(2);
    expect(log10(23)).toBeCloseTo(1.3617278360175928, 14);
    expect(errorName(() => ln(0))).toBe('INVALID_ARGUMENT');
    expect(errorName(() => log10(-1))).toBe('INVALID_ARGUMENT');
  });
});

describe('STEP on numbers', () => {
  it('SQLREF examples', () => {
    expect(stepNumber(23, 5)).toBe(20);
    expect(stepNumber(30, 10)).toBe(30);
  });

  it('rounds down to a multiple of n, also below zero', () => {
    expect(stepNumber(-1, 10)).toBe(-10);
    fc.assert(
      fc.property(fc.integer({ min: -1e6, max: 1e6 }), fc.integer({ min: 1, max: 1000 }), (x, n) => {
        const r = stepNumber(x, n)!;
        expect(r % n === 0).toBe(true);
        expect(r).toBeLessThanOrEqual(x);
        expect(x - r).toBeLessThan(n);
      }),
    );
  });

  it('needs a positive step', () => {
    expect(errorName(() => stepNumber(5, 0))).toBe('INVALID_ARGUMENT');
  });
});

describe('checkIntegerRange and negate', () => {
  it('accepts the bounds and rejects beyond them', () => {
    expect(checkIntegerRange('SMALLINT', 32767)).toBe(32767);
    expect(errorName(() => checkIntegerRange('SMALLINT', 70000))).toBe('NUMERIC_OUT_OF_RANGE');
    expect(errorName(() => checkIntegerRange('TINYINT', -129))).toBe('NUMERIC_OUT_OF_RANGE');
    expect(checkIntegerRange('INTEGER', null)).toBeNull();
  });

  it('negate never yields -0', () => {
    expect(Object.is(negate(0), -0)).toBe(false);
    expect(negate(3)).toBe(-3);
  });
});
