/**
 * Text forms of run-time values, as KDA prints them when a value is cast to CHAR/VARCHAR, and the parsers for
 * the literal forms of DATE, TIME and TIMESTAMP strings (CAST from a string, and the engine's literals).
 */
import { fail, FunctionErrorNames } from './function-errors.js';
import { roundToScale } from './decimal.js';
import { daysInMonth, fromFields, toFields } from './datetime-functions.js';
import { formatInterval } from './interval.js';
import type { SqlType, Value } from '../../types/sql-type.js';

function pad(n: number, width: number): string {
  const s = String(Math.abs(n)).padStart(width, '0');
  return n < 0 ? '-' + s : s;
}

/** Shortest round-trip digits and decimal exponent of a positive finite number (x = d.ddd × 10^exp). */
function shortestDigits(x: number): { digits: string; exp: number } {
  const [mantissa, e] = x.toExponential().split('e');
  return { digits: mantissa.replace('.', ''), exp: Number(e) };
}

function javaFloatingText(x: number, digitsOf: (v: number) => { digits: string; exp: number }): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  const a = Math.abs(x);
  const { digits, exp } = digitsOf(a);
  if (a >= 1e-3 && a < 1e7) {
    if (exp >= 0) {
      const whole = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
      return `${sign}${whole}.${digits.slice(exp + 1) || '0'}`;
    }
    return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  }
  return `${sign}${digits[0]}.${digits.slice(1) || '0'}E${exp}`;
}

/**
 * A DOUBLE as Java's Double.toString prints it: '5.0', '0.001', '1.0E7', '1.234E-5', 'NaN', 'Infinity'.
 *
 * @example formatDouble(1e10) // '1.0E10'
 */
export function formatDouble(x: number): string {
  return javaFloatingText(x, doubleDigits);
}

/** The exact value of a finite double as mantissa * 2^exponent. */
function exactBinary(x: number): { mantissa: bigint; exponent: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & 0xfffffffffffffn;
  return biased === 0 ? { mantissa: fraction, exponent: -1074 } : { mantissa: fraction | (1n << 52n), exponent: biased - 1075 };
}

/** |n * 10^q - x| multiplied by 2^max(-e, 0) * 10^max(-q, 0), which is the same for every n at this q and x. */
function scaledDistance(n: bigint, q: number, x: { mantissa: bigint; exponent: number }): bigint {
  const candidate = n * 10n ** BigInt(Math.max(q, 0)) * 2n ** BigInt(Math.max(-x.exponent, 0));
  const target = x.mantissa * 2n ** BigInt(Math.max(x.exponent, 0)) * 10n ** BigInt(Math.max(-q, 0));
  return candidate > target ? candidate - target : target - candidate;
}

/**
 * Among the p-significant-digit decimals next to x that read back as x, the one closest to x (an even last digit
 * on a tie), or null when none reads back.
 */
function closestAtPrecision(x: number, p: number, readsBack: (v: number) => boolean): { digits: string; exp: number } | null {
  const [mantissa, e] = x.toExponential(p - 1).split('e');
  const n0 = BigInt(mantissa.replace('.', ''));
  const q = Number(e) - (p - 1);
  const exact = exactBinary(x);
  let best: bigint | null = null;
  let bestDistance = 0n;
  for (const n of [n0 - 1n, n0, n0 + 1n]) {
    if (n <= 0n || !readsBack(Number(`${n}e${q}`))) continue;
    const d = scaledDistance(n, q, exact);
    if (best === null || d < bestDistance || (d === bestDistance && n % 2n === 0n)) {
      best = n;
      bestDistance = d;
    }
  }
  if (best === null) return null;
  const text = best.toString();
  // Keep the chosen digits (re-reading the number could pick other ones); trailing zeros carry no information.
  return { digits: text.replace(/0+$/, '') || '0', exp: q + text.length - 1 };
}

/**
 * Java's digit selection (Double/Float.toString since Java 19): the fewest significant digits that read back as
 * the value, the closest such decimal on a choice, an even last digit on a tie; and when one digit would do,
 * the closest two-digit decimal instead (so Double.MIN_VALUE prints 4.9E-324, not 5.0E-324).
 */
function javaDigits(x: number, readsBack: (v: number) => boolean, maxDigits: number): { digits: string; exp: number } {
  for (let p = 1; p <= maxDigits; p++) {
    const found = closestAtPrecision(x, p, readsBack);
    if (found === null) continue;
    return p === 1 ? (closestAtPrecision(x, 2, readsBack) ?? found) : found;
  }
  return shortestDigits(x);
}

/** Shortest digits of a double: JavaScript's own shortest form, which already breaks ties to even. */
function doubleDigits(x: number): { digits: string; exp: number } {
  const d = shortestDigits(x);
  return d.digits.length === 1 ? javaDigits(x, (v) => v === x, 2) : d;
}

/** Shortest digits of the 32-bit float nearest to x. */
function floatDigits(x: number): { digits: string; exp: number } {
  const f = Math.fround(x);
  return javaDigits(f, (v) => Math.fround(v) === f, 9);
}

/**
 * A REAL as Java's Float.toString prints it: the shortest digits that identify the value as a 32-bit float
 * (REAL values are held as doubles here; a REAL 0.1 prints '0.1').
 */
export function formatReal(x: number): string {
  return javaFloatingText(x, floatDigits);
}

/** A DECIMAL(p, s) value with exactly s digits after the point (BigDecimal.toPlainString): '1.50', '-3'. */
export function formatDecimal(x: number, scale: number): string {
  const r = roundToScale(x, scale);
  if (Math.abs(r) < 1e21) return r.toFixed(Math.min(scale, 100));
  return String(r);
}

/** DATE as 'yyyy-MM-dd'. */
export function formatDate(ms: number): string {
  const f = toFields(ms);
  return `${pad(f.year, 4)}-${pad(f.month, 2)}-${pad(f.day, 2)}`;
}

/** Fraction of a second: nothing when zero, otherwise the milliseconds without trailing zeros ('.45'). */
function fraction(millisecond: number): string {
  if (millisecond === 0) return '';
  return '.' + String(millisecond).padStart(3, '0').replace(/0+$/, '');
}

/** TIME (ms of day) as 'HH:mm:ss', with '.SSS' (trailing zeros cut) when it has milliseconds. */
export function formatTime(msOfDay: number): string {
  const f = toFields(msOfDay);
  return `${pad(f.hour, 2)}:${pad(f.minute, 2)}:${pad(f.second, 2)}${fraction(f.millisecond)}`;
}

/**
 * TIMESTAMP as text: 'yyyy-MM-dd HH:mm:ss', plus the milliseconds with trailing zeros cut when there are any
 * ('2004-09-30 13:48:23.45'). This is java.sql.Timestamp's form without its '.0' for whole seconds, which is
 * what the SQLstream lineage of KDA does for CAST (the SQL standard's form of a whole-second timestamp), and
 * how the SQLREF prints CHAR_TO_TIMESTAMP results ('2009-09-16 03:15:24').
 */
export function formatTimestamp(ms: number): string {
  const f = toFields(ms);
  return `${formatDate(ms)} ${pad(f.hour, 2)}:${pad(f.minute, 2)}:${pad(f.second, 2)}${fraction(f.millisecond)}`;
}

/** BOOLEAN as the SQL standard's 'TRUE' / 'FALSE'. */
export function formatBoolean(b: boolean): string {
  return b ? 'TRUE' : 'FALSE';
}

/**
 * Any run-time value of type `type` as text (the result of CAST(value AS VARCHAR) before length checks).
 * NULL gives null.
 */
export function formatValue(value: Value, type: SqlType): string | null {
  if (value === null) return null;
  switch (type.kind) {
    case 'CHAR':
    case 'VARCHAR':
      return value as string;
    case 'BOOLEAN':
      return formatBoolean(value as boolean);
    case 'TINYINT':
    case 'SMALLINT':
    case 'INTEGER':
    case 'BIGINT':
      return String(value as number);
    case 'DECIMAL':
      return formatDecimal(value as number, type.scale);
    case 'REAL':
      return formatReal(value as number);
    case 'DOUBLE':
      return formatDouble(value as number);
    case 'DATE':
      return formatDate(value as number);
    case 'TIME':
      return formatTime(value as number);
    case 'TIMESTAMP':
      return formatTimestamp(value as number);
    case 'INTERVAL':
      return formatInterval(value as number, type.start, type.end);
    case 'BINARY':
    case 'VARBINARY':
      return Array.from(value as Uint8Array, (b) => b.toString(16).padStart(2, '0').toUpperCase()).join('');
    case 'ROW':
      return `ROW(${(value as readonly Value[]).map((v, i) => formatValue(v, type.fields[i].type) ?? 'NULL').join(', ')})`;
    case 'NULL':
      return null;
  }
}

function badLiteral(text: string, what: string): never {
  fail(FunctionErrorNames.invalidCast, `'${text}' is not a valid ${what}`);
}

/** Validates and builds a date from parts, or throws for e.g. 2011-02-30. */
function checkedDate(text: string, what: string, y: number, mo: number, d: number): number {
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) badLiteral(text, what);
  return fromFields(y, mo, d);
}

/** Milliseconds from a fraction-of-second digit string (truncated to ms: KDA timestamps hold milliseconds). */
function fractionMs(digits: string | undefined): number {
  return digits ? Number(digits.slice(0, 3).padEnd(3, '0')) : 0;
}

const TIME_PART = '(\\d{1,2}):(\\d{1,2})(?::(\\d{1,2})(?:\\.(\\d*))?)?';

function timeMs(text: string, what: string, h: string, mi: string, s: string | undefined, frac: string | undefined): number {
  const hour = Number(h);
  const minute = Number(mi);
  const second = s === undefined ? 0 : Number(s);
  if (hour > 23 || minute > 59 || second > 59) badLiteral(text, what);
  return ((hour * 60 + minute) * 60 + second) * 1000 + fractionMs(frac);
}

/**
 * Parses a DATE string 'yyyy-MM-dd' (surrounding blanks allowed) to epoch ms at midnight UTC.
 *
 * @throws ExecutionError INVALID_CAST for anything else or an impossible date
 */
export function parseDateLiteral(text: string): number {
  const m = /^\s*(\d{1,4})-(\d{1,2})-(\d{1,2})\s*$/.exec(text);
  if (!m) badLiteral(text, 'DATE (expected yyyy-MM-dd)');
  return checkedDate(text, 'DATE', Number(m[1]), Number(m[2]), Number(m[3]));
}

/**
 * Parses a TIME string 'HH:mm[:ss[.fff]]' to milliseconds of the day.
 *
 * @throws ExecutionError INVALID_CAST
 */
export function parseTimeLiteral(text: string): number {
  const m = new RegExp(`^\\s*${TIME_PART}\\s*$`).exec(text);
  if (!m) badLiteral(text, 'TIME (expected HH:mm:ss)');
  return timeMs(text, 'TIME', m[1], m[2], m[3], m[4]);
}

/**
 * Parses a TIMESTAMP string: 'yyyy-MM-dd[ HH:mm[:ss[.fffffffff]]]', also with 'T' between date and time and an
 * optional trailing 'Z' (the ISO form the DG examples feed, e.g. '2018-05-09T12:50:41.337510'). Fractions
 * beyond milliseconds are cut.
 *
 * @throws ExecutionError INVALID_CAST
 * @example parseTimestampLiteral('2004-09-30 13:48:23') // Date.UTC(2004, 8, 30, 13, 48, 23)
 */
export function parseTimestampLiteral(text: string): number {
  const m = new RegExp(`^\\s*(\\d{1,4})-(\\d{1,2})-(\\d{1,2})(?:(?:[ T]|\\s+)${TIME_PART})?Z?\\s*$`).exec(text);
  if (!m) badLiteral(text, 'TIMESTAMP (expected yyyy-MM-dd HH:mm:ss)');
  const day = checkedDate(text, 'TIMESTAMP', Number(m[1]), Number(m[2]), Number(m[3]));
  if (m[4] === undefined) return day;
  return day + timeMs(text, 'TIMESTAMP', m[4], m[5], m[6], m[7]);
}
