/**
 * String scalar functions over run-time values. Lengths and positions count UTF-16 code units, as Java's
 * String (and so KDA) does. A null argument gives null unless the function's doc says otherwise.
 */
import { fail, FunctionErrorNames } from './function-errors.js';

type Str = string | null;
type Int = number | null;

function requireInteger(value: number, what: string): number {
  if (!Number.isFinite(value)) fail(FunctionErrorNames.invalidArgument, `${what} must be a number. Received ${value}`);
  return Math.trunc(value);
}

/**
 * SUBSTRING(s FROM start [FOR length]) by the SQL standard: a start below 1 shortens the length by 1 - start;
 * past the end, or with length 0, the result is ''. (The comma form differs: see {@link substringComma}.)
 *
 * @throws ExecutionError INVALID_ARGUMENT for a negative length
 * @example substringFrom('123456789', -1, 4) // '12'
 */
export function substringFrom(s: Str, start: Int, length?: Int): Str {
  if (s === null || start === null || length === null) return null;
  const from = requireInteger(start, 'SUBSTRING start position');
  if (length === undefined) return s.slice(Math.max(from, 1) - 1);
  const len = requireInteger(length, 'SUBSTRING length');
  if (len < 0) fail(FunctionErrorNames.invalidArgument, `SUBSTRING length must not be negative. Received ${len}`);
  const end = from + len; // exclusive, 1-based
  const first = Math.max(from, 1);
  if (end <= first) return '';
  return s.slice(first - 1, end - 1);
}

/**
 * SUBSTRING(s, start [, length]), the comma form: as {@link substringFrom}, except that a start position beyond
 * the end of the string gives NULL (SQLREF SUBSTRING: "If start-position is greater than the length of
 * source-string, SUBSTRING returns null"), where the FROM form gives ''.
 *
 * @example substringComma('123456789', 17, 4) // null
 */
export function substringComma(s: Str, start: Int, length?: Int): Str {
  if (s === null || start === null || length === null) return null;
  if (requireInteger(start, 'SUBSTRING start position') > s.length) return null;
  return substringFrom(s, start, length);
}

/**
 * POSITION(sub IN s): the 1-based index of the first occurrence, 0 if absent, 1 for ''.
 *
 * @example position('findme', '1234findmeXXX') // 5
 */
export function position(sub: Str, s: Str): Int {
  if (sub === null || s === null) return null;
  return s.indexOf(sub) + 1;
}

/**
 * OVERLAY(s PLACING replacement FROM start [FOR length]): s with `length` characters from `start` replaced
 * (length defaults to the replacement's length): SUBSTRING(s FROM 1 FOR start - 1) || replacement ||
 * SUBSTRING(s FROM start + length). Unlike strict SQL:2008 (NULL for start < 1), KDA then simply has no head,
 * so the first 1 - start characters of the replacement land before the string (SQLREF OVERLAY examples:
 * OVERLAY('12345' PLACING 'foo' FROM 0) = 'foo345').
 *
 * @throws ExecutionError INVALID_ARGUMENT when length < 0
 * @example overlay('12345', 'foo', 2, 2) // '1foo45'
 */
export function overlay(s: Str, replacement: Str, start: Int, length?: Int): Str {
  if (s === null || replacement === null || start === null || length === null) return null;
  const from = requireInteger(start, 'OVERLAY start position');
  const len = length === undefined ? replacement.length : requireInteger(length, 'OVERLAY length');
  if (len < 0) fail(FunctionErrorNames.invalidArgument, `OVERLAY length must not be negative. Received ${len}`);
  return substringFrom(s, 1, Math.max(0, from - 1))! + replacement + substringFrom(s, from + len)!;
}

export type TrimSide = 'BOTH' | 'LEADING' | 'TRAILING';

/**
 * TRIM([side] [character] FROM s). The character defaults to a space and must be exactly one character.
 *
 * @throws ExecutionError INVALID_ARGUMENT when `character` is not one character long
 * @example trim('LEADING', 'x', 'xxxTrim frontxxx') // 'Trim frontxxx'
 */
export function trim(side: TrimSide, character: Str, s: Str): Str {
  if (character === null || s === null) return null;
  if (character.length !== 1) {
    fail(FunctionErrorNames.invalidArgument, `TRIM character must be exactly one character. Received '${character}'`);
  }
  let start = 0;
  let end = s.length;
  if (side !== 'TRAILING') while (start < end && s[start] === character) start++;
  if (side !== 'LEADING') while (end > start && s[end - 1] === character) end--;
  return s.slice(start, end);
}

/** UPPER(s). */
export function upper(s: Str): Str {
  return s === null ? null : s.toUpperCase();
}

/** LOWER(s). */
export function lower(s: Str): Str {
  return s === null ? null : s.toLowerCase();
}

/**
 * INITCAP(s): the first character of each space-delimited word in upper case, every other character in lower case.
 *
 * @example initcap('Each FIRST lEtTeR is cAPITALIZED') // 'Each First Letter Is Capitalized'
 */
export function initcap(s: Str): Str {
  if (s === null) return null;
  let out = '';
  let atWordStart = true;
  for (const ch of s) {
    out += atWordStart ? ch.toUpperCase() : ch.toLowerCase();
    atWordStart = ch === ' ';
  }
  return out;
}

/** CHAR_LENGTH / CHARACTER_LENGTH(s). A CHAR(n) value counts its blank padding (the engine pads it). */
export function charLength(s: Str): Int {
  return s === null ? null : s.length;
}

/** a || b. @example concat('SQL', 'stream') // 'SQLstream' */
export function concat(a: Str, b: Str): Str {
  return a === null || b === null ? null : a + b;
}

/** a || b for BINARY/VARBINARY (the SQLREF: concatenation "also applies to binary types"). */
export function concatBinary(a: Uint8Array | null, b: Uint8Array | null): Uint8Array | null {
  if (a === null || b === null) return null;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Blank-pads a CHAR(n) value on the right (CHAR semantics); longer values are returned unchanged. */
export function padChar(s: Str, length: number): Str {
  return s === null ? null : s.length >= length ? s : s + ' '.repeat(length - s.length);
}
