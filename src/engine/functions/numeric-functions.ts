/**
 * Numeric scalar functions and operators over run-time values. Every function passes SQL NULL through
 * (a null argument gives null), so the engine can call them without its own null checks.
 */
import { fail, FunctionErrorNames } from './function-errors.js';
import { IntegerRange, type IntegerKind } from '../../types/sql-type.js';

type Num = number | null;

/** -0 would print as "-0" in places; SQL has no negative zero. */
function noNegativeZero(x: number): number {
  return x === 0 ? 0 : x;
}

/** ABS(x). @example abs(-1.0) // 1 */
export function abs(x: Num): Num {
  return x === null ? null : Math.abs(x);
}

/** CEIL / CEILING of a number: the smallest integer not below x. @example ceil(-3.3) // -3 */
export function ceil(x: Num): Num {
  return x === null ? null : noNegativeZero(Math.ceil(x));
}

/** FLOOR of a number: the largest integer not above x. @example floor(-3.3) // -4 */
export function floor(x: Num): Num {
  return x === null ? null : noNegativeZero(Math.floor(x));
}

/**
 * MOD(a, b): the remainder of a / b with the sign of the dividend (SQLREF MOD: MOD(-4, 3) = -1).
 *
 * @throws ExecutionError DIVISION_BY_ZERO when b is 0
 */
export function mod(a: Num, b: Num): Num {
  if (a === null || b === null) return null;
  if (b === 0) fail(FunctionErrorNames.divisionByZero, `division by zero: MOD(${a}, 0)`);
  return noNegativeZero(a % b);
}

/**
 * Division of two integer-typed values: the quotient truncated toward zero (KDA keeps INTEGER / INTEGER an
 * integer: 7 / 2 = 3 and -7 / 2 = -3, case scalar-integer-division).
 *
 * @throws ExecutionError DIVISION_BY_ZERO when b is 0 (case error-integer-divide-by-zero)
 */
export function integerDivide(a: Num, b: Num): Num {
  if (a === null || b === null) return null;
  if (b === 0) fail(FunctionErrorNames.divisionByZero, `division by zero: ${a} / 0`);
  return noNegativeZero(Math.trunc(a / b));
}

/**
 * Division of approximate (REAL/DOUBLE) values. Java would give Infinity for x / 0.0, but KDA writes the row to
 * error_stream instead (case error-divide-by-zero divides a REAL by 0), so this throws too.
 *
 * @throws ExecutionError DIVISION_BY_ZERO when b is 0
 */
export function approxDivide(a: Num, b: Num): Num {
  if (a === null || b === null) return null;
  if (b === 0) fail(FunctionErrorNames.divisionByZero, `division by zero: ${a} / 0`);
  return a / b;
}

/**
 * Checks an integer-typed result fits its type (TINYINT -128..127 ... BIGINT within ±2^53 here).
 *
 * @throws ExecutionError NUMERIC_OUT_OF_RANGE otherwise
 */
export function checkIntegerRange(kind: IntegerKind, x: Num): Num {
  if (x === null) return null;
  const [lo, hi] = IntegerRange[kind];
  if (!(x >= lo && x <= hi)) fail(FunctionErrorNames.numericOverflow, `${x} is out of range for ${kind} (${lo} to ${hi})`);
  return x;
}

function finiteOrFail(result: number, what: string): number {
  if (!Number.isFinite(result)) fail(FunctionErrorNames.invalidArgument, `${what} has no finite result`);
  return noNegativeZero(result);
}

/**
 * POWER(base, exponent) as DOUBLE. A result that is not a finite number (POWER(0, -1), POWER(-8, 1.0/3))
 * is an invalid argument rather than Infinity/NaN.
 *
 * @example power(4, -2) // 0.0625
 */
export function power(base: Num, exponent: Num): Num {
  if (base === null || exponent === null) return null;
  return finiteOrFail(Math.pow(base, exponent), `POWER(${base}, ${exponent})`);
}

/** EXP(x) = e^x as DOUBLE. @example exp(0) // 1 */
export function exp(x: Num): Num {
  return x === null ? null : finiteOrFail(Math.exp(x), `EXP(${x})`);
}

/**
 * LN(x), the natural logarithm, as DOUBLE.
 *
 * @throws ExecutionError INVALID_ARGUMENT when x <= 0
 */
export function ln(x: Num): Num {
  if (x === null) return null;
  if (x <= 0) fail(FunctionErrorNames.invalidArgument, `LN needs a positive argument. Received ${x}`);
  return noNegativeZero(Math.log(x));
}

/**
 * LOG10(x) as DOUBLE.
 *
 * @throws ExecutionError INVALID_ARGUMENT when x <= 0
 */
export function log10(x: Num): Num {
  if (x === null) return null;
  if (x <= 0) fail(FunctionErrorNames.invalidArgument, `LOG10 needs a positive argument. Received ${x}`);
  return noNegativeZero(Math.log10(x));
}

/**
 * STEP(x BY n) for numbers: x rounded down to a multiple of n (SQLREF STEP: "rounds down ... to the nearest
 * multiple"), so STEP(-1 BY 10) is -10.
 *
 * @throws ExecutionError INVALID_ARGUMENT when n <= 0
 * @example stepNumber(27, 10) // 20
 */
export function stepNumber(x: Num, n: Num): Num {
  if (x === null || n === null) return null;
  if (!(n > 0)) fail(FunctionErrorNames.invalidArgument, `STEP needs a positive step. Received ${n}`);
  return noNegativeZero(Math.floor(x / n) * n);
}

/** Unary minus that keeps 0 non-negative. */
export function negate(x: Num): Num {
  return x === null ? null : noNegativeZero(-x);
}
