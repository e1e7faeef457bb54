/**
 * DECIMAL arithmetic on the run-time representation (a JS number rounded to the type's scale), and the
 * result-type rules of KDA's "Numeric Types and Precision" page, with precision and scale capped at 18.
 *
 * Rounding works on the number's shortest decimal text (what `String(x)` prints), not on its binary value, so
 * 1.005 rounds to 1.01 as it would for the exact DECIMAL 1.005 KDA holds.
 */
import { fail, FunctionErrorNames } from './function-errors.js';
import { MAX_DECIMAL_PRECISION, type IntegerKind, type SqlType } from '../../types/sql-type.js';

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

/** Precision of the integer types seen as DECIMAL(p, 0); BIGINT's 19 digits are capped at KDA's 18. */
const INTEGER_PRECISION: Record<IntegerKind, number> = { TINYINT: 3, SMALLINT: 5, INTEGER: 10, BIGINT: 18 };
const INTEGER_ORDER: readonly IntegerKind[] = ['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT'];

/** The (precision, scale) of an exact numeric type, or null for any other type. */
export function exactPrecisionScale(t: SqlType): { precision: number; scale: number } | null {
  switch (t.kind) {
    case 'DECIMAL':
      return { precision: t.precision, scale: t.scale };
    case 'TINYINT':
    case 'SMALLINT':
    case 'INTEGER':
    case 'BIGINT':
      return { precision: INTEGER_PRECISION[t.kind], scale: 0 };
    default:
      return null;
  }
}

export type ArithmeticOperator = '+' | '-' | '*' | '/';

function cappedDecimal(precision: number, scale: number): SqlType {
  const p = Math.max(1, Math.min(precision, MAX_DECIMAL_PRECISION));
  const s = Math.max(0, Math.min(scale, MAX_DECIMAL_PRECISION, p));
  return { kind: 'DECIMAL', precision: p, scale: s };
}

/**
 * The result type of `a op b` for two numeric types:
 * - both integers: the wider integer type (KDA keeps integer arithmetic integer: 7 / 2 = 3);
 * - a REAL or DOUBLE involved: DOUBLE if either is DOUBLE, else REAL;
 * - otherwise DECIMAL by the SQLREF rules, capped at 18 digits:
 *   `+ -`: s = max(s1, s2), p = max(p1 - s1, p2 - s2) + s + 1;
 *   `*`:   p = p1 + p2, s = s1 + s2;
 *   `/`:   s = max(6, max(s1, s2) + p2 + 1), p = (p1 - s1 + s2) + s. The page prints the formula with s1 but
 *          gives scale 14 for its DECIMAL(10,1) / DECIMAL(10,3) example (case scalar-decimal-divide-scale), which
 *          the larger operand scale reproduces.
 * Returns null when either side is not numeric.
 *
 * @example numericResultType('/', SqlTypes.decimal(10, 1), SqlTypes.decimal(10, 3)) // DECIMAL(18,14)
 */
export function numericResultType(op: ArithmeticOperator, a: SqlType, b: SqlType): SqlType | null {
  const approx = (t: SqlType) => t.kind === 'REAL' || t.kind === 'DOUBLE';
  const ea = exactPrecisionScale(a);
  const eb = exactPrecisionScale(b);
  if ((!ea && !approx(a)) || (!eb && !approx(b))) return null;
  if (approx(a) || approx(b)) return a.kind === 'DOUBLE' || b.kind === 'DOUBLE' ? { kind: 'DOUBLE' } : { kind: 'REAL' };
  if (a.kind !== 'DECIMAL' && b.kind !== 'DECIMAL') {
    const ia = INTEGER_ORDER.indexOf(a.kind as IntegerKind);
    const ib = INTEGER_ORDER.indexOf(b.kind as IntegerKind);
    return { kind: INTEGER_ORDER[Math.max(ia, ib)] } as SqlType;
  }
  const { precision: p1, scale: s1 } = ea!;
  const { precision: p2, scale: s2 } = eb!;
  switch (op) {
    case '+':
    case '-': {
      const s = Math.max(s1, s2);
      return cappedDecimal(Math.max(p1 - s1, p2 - s2) + s + 1, s);
    }
    case '*':
      return cappedDecimal(p1 + p2, Math.min(s1 + s2, MAX_DECIMAL_PRECISION));
    case '/': {
      const s = Math.min(Math.max(6, Math.max(s1, s2) + p2 + 1), MAX_DECIMAL_PRECISION);
      return cappedDecimal(p1 - s1 + s2 + s, s);
    }
  }
}
