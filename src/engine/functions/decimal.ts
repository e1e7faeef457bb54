/**
 * DECIMAL arithmetic on the run-time representation (a JS number rounded to the type's scale). The result-type
 * rules are in decimal-types.ts.
 *
 * Rounding works on the number's shortest decimal text (what `String(x)` prints), not on its binary value, so
 * 1.005 rounds to 1.01 as it would for the exact DECIMAL 1.005 KDA holds.
 */
import { fail, FunctionErrorNames } from './function-errors.js';

/** A finite number as an integer `digits` times 10^`exponent`, with its sign apart. */
interface DecimalParts {
  readonly negative: boolean;
  readonly digits: bigint;
  readonly exponent: number;
}

/** Splits the shortest decimal representation of a finite number. */
function decimalParts(x: number): DecimalParts {
  const text = String(Math.abs(x));
  const e = text.indexOf('e');
  const mantissa = e < 0 ? text : text.slice(0, e);
  let exponent = e < 0 ? 0 : Number(text.slice(e + 1));
  const dot = mantissa.indexOf('.');
  let digits = mantissa;
  if (dot >= 0) {
    digits = mantissa.slice(0, dot) + mantissa.slice(dot + 1);
    exponent -= mantissa.length - dot - 1;
  }
  return { negative: x < 0, digits: BigInt(digits), exponent };
}

function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

/** Builds sign * q * 10^-scale as the nearest number (via decimal text, so no binary drift). */
function fromScaled(negative: boolean, q: bigint, scale: number): number {
  if (q === 0n) return 0;
  return Number(`${negative ? '-' : ''}${q}e${-scale}`);
}

function rescale(x: number, scale: number, roundHalfUp: boolean): number {
  if (!Number.isFinite(x) || x === 0) return x === 0 ? 0 : x;
  const { negative, digits, exponent } = decimalParts(x);
  if (exponent >= -scale) return x;
  const divisor = pow10(-scale - exponent);
  let q = digits / divisor;
  if (roundHalfUp && (digits % divisor) * 2n >= divisor) q += 1n;
  return fromScaled(negative, q, scale);
}

/**
 * Rounds to `scale` decimal places, halves away from zero (KDA: "real numbers are rounded when cast").
 * A negative scale rounds to tens, hundreds...
 *
 * @example
 * roundToScale(1.005, 2) // 1.01
 * roundToScale(-2.5, 0)  // -3
 */
export function roundToScale(x: number, scale: number): number {
  return rescale(x, scale, true);
}

/** Cuts to `scale` decimal places, toward zero. @example truncateToScale(-0.339, 2) // -0.33 */
export function truncateToScale(x: number, scale: number): number {
  return rescale(x, scale, false);
}

/**
 * The exact quotient a / b of two decimals, truncated toward zero to `scale` places (the same direction as
 * INTEGER division). Works on the decimal digits, so 0.3 / 0.1 is 3, not 2.9999999999999996.
 *
 * @throws ExecutionError DIVISION_BY_ZERO when b is 0
 * @example decimalDivide(1, 3, 14) // 0.33333333333333
 */
export function decimalDivide(a: number, b: number, scale: number): number {
  if (b === 0) fail(FunctionErrorNames.divisionByZero, `division by zero: ${a} / 0`);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return truncateToScale(a / b, scale);
  if (a === 0) return 0;
  const pa = decimalParts(a);
  const pb = decimalParts(b);
  const k = pa.exponent - pb.exponent + scale;
  const q = k >= 0 ? (pa.digits * pow10(k)) / pb.digits : pa.digits / (pb.digits * pow10(-k));
  return fromScaled(pa.negative !== pb.negative, q, scale);
}

/**
 * a + b, a - b, a * b or a / b for DECIMAL operands, computed exactly on their decimal digits and brought to the
 * result scale (from `numericResultType`): + - * are exact at that scale (rounded half away from zero when the
 * product has more digits), / is truncated as in {@link decimalDivide}.
 *
 * @throws ExecutionError DIVISION_BY_ZERO for / 0
 * @example decimalArithmetic('*', 0.1, 0.2, 2) // 0.02
 */
export function decimalArithmetic(op: '+' | '-' | '*' | '/', a: number | null, b: number | null, scale: number): number | null {
  if (a === null || b === null) return null;
  if (op === '/') return decimalDivide(a, b, scale);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return roundToScale(op === '+' ? a + b : op === '-' ? a - b : a * b, scale);
  const pa = decimalParts(a);
  const pb = decimalParts(b);
  const na = pa.negative ? -pa.digits : pa.digits;
  const nb = pb.negative ? -pb.digits : pb.digits;
  let value: bigint;
  let exponent: number;
  if (op === '*') {
    value = na * nb;
    exponent = pa.exponent + pb.exponent;
  } else {
    exponent = Math.min(pa.exponent, pb.exponent);
    const xa = na * pow10(pa.exponent - exponent);
    const xb = nb * pow10(pb.exponent - exponent);
    value = op === '+' ? xa + xb : xa - xb;
  }
  const negative = value < 0n;
  const magnitude = negative ? -value : value;
  if (exponent >= -scale) return fromScaled(negative, magnitude * pow10(exponent + scale), scale);
  const divisor = pow10(-scale - exponent);
  let q = magnitude / divisor;
  if ((magnitude % divisor) * 2n >= divisor) q += 1n;
  return fromScaled(negative, q, scale);
}

/**
 * Rounds `x` to DECIMAL(precision, scale) and checks it fits: at most precision - scale whole digits.
 *
 * @throws ExecutionError NUMERIC_OUT_OF_RANGE when it does not fit
 * @example toDecimal(123.456, 5, 2) // 123.46
 */
export function toDecimal(x: number, precision: number, scale: number): number {
  if (!Number.isFinite(x)) fail(FunctionErrorNames.numericOverflow, `${x} cannot be held in DECIMAL(${precision},${scale})`);
  const r = roundToScale(x, scale);
  if (Math.abs(r) >= 10 ** (precision - scale)) {
    fail(FunctionErrorNames.numericOverflow, `${x} does not fit DECIMAL(${precision},${scale}): at most ${precision - scale} digits before the point`);
  }
  return r;
}
