/**
 * KDA's coercion of source values into the SQL types of the input columns (DG sch-mapping.html,
 * "Mapping JSON Data Types to SQL Data Types"), shared by the JSON and the CSV decoders. Values arrive as
 * byte ranges of the payload wherever possible, so the hot path builds no intermediate strings.
 *
 * A failed coercion returns {@link FAILED} and leaves the reason in `message`: the caller decides what
 * happens to the row (it is not ingested; the decoder reports it through onError).
 */
import { Buffer, isUtf8 } from 'node:buffer';
import { ConfigError } from '../errors.js';
import type { SqlType, Value } from '../types/sql-type.js';
import { IntegerRange, formatSqlType, isIntegerType } from '../types/sql-type.js';
import { AsciiStringCache, latin1Text, utf8Text } from './byte-text.js';
import { parseDateBytes, parseTimeBytes, parseTimestampBytes } from './datetime-text.js';

/** Marks a value that could not be coerced; see {@link ColumnCoercer.message}. */
export const FAILED: unique symbol = Symbol('coercion failed');
export type Coerced = Value | typeof FAILED;

// Type codes, so the hot path switches on a small integer instead of comparing kind strings.
const T_BOOLEAN = 0;
const T_INTEGER = 1; // TINYINT..BIGINT, with lo/hi
const T_REAL = 2;
const T_DOUBLE = 3;
const T_DECIMAL = 4;
const T_CHAR = 5;
const T_VARCHAR = 6;
const T_BINARY = 7;
const T_VARBINARY = 8;
const T_DATE = 9;
const T_TIME = 10;
const T_TIMESTAMP = 11;

/** The largest finite REAL (32-bit float). */
export const REAL_MAX = 3.4028234663852886e38;
const NUMERIC_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const BASE64_TEXT = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const MAX_SHOWN = 80;
const POW10 = Array.from({ length: 16 }, (_, i) => 10 ** i);

function typeCode(t: SqlType): number {
  if (isIntegerType(t)) return T_INTEGER;
  switch (t.kind) {
    case 'BOOLEAN':
      return T_BOOLEAN;
    case 'REAL':
      return T_REAL;
    case 'DOUBLE':
      return T_DOUBLE;
    case 'DECIMAL':
      return T_DECIMAL;
    case 'CHAR':
      return T_CHAR;
    case 'VARCHAR':
      return T_VARCHAR;
    case 'BINARY':
      return T_BINARY;
    case 'VARBINARY':
      return T_VARBINARY;
    case 'DATE':
      return T_DATE;
    case 'TIME':
      return T_TIME;
    case 'TIMESTAMP':
      return T_TIMESTAMP;
    default:
      throw new ConfigError(undefined, `${formatSqlType(t)} cannot be the type of an input column`);
  }
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/** Shows a value in a message: quoted, escaped, and cut to a readable length. */
export function showText(text: string): string {
  const cut = text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}...` : text;
  return JSON.stringify(cut);
}

/** Rounds half away from zero to `scale` decimals, on the decimal digits of the number's shortest form. */
export function roundToScale(v: number, scale: number): number {
  const abs = Math.abs(v);
  const text = String(abs);
  const r = text.includes('e') ? Math.round(abs * 10 ** scale) / 10 ** scale : Number(`${Math.round(Number(`${text}e${scale}`))}e-${scale}`);
  return v < 0 ? -r : r;
}

/** Parses numeric text (`42`, `-1.5`, `+.5e3`, surrounding spaces allowed); NaN when it is not a number. */
export function parseNumericBytes(buf: Uint8Array, start: number, end: number): number {
  while (start < end && isSpace(buf[start])) start++;
  while (end > start && isSpace(buf[end - 1])) end--;
  if (start === end) return NaN;
  // Fast path: [-+]digits[.digits] with at most 15 digits is exact as integer / power of ten.
  let p = start;
  const sign = buf[p] === 0x2d ? -1 : 1;
  if (buf[p] === 0x2d || buf[p] === 0x2b) p++;
  let m = 0;
  let digits = 0;
  let fraction = -1;
  for (; p < end; p++) {
    const c = buf[p];
    if (c >= 0x30 && c <= 0x39) {
      m = m * 10 + (c - 0x30);
      digits++;
      if (fraction >= 0) fraction++;
    } else if (c === 0x2e && fraction < 0) fraction = 0;
    else break;
  }
  if (p === end && digits > 0 && digits <= 15) return sign * (fraction > 0 ? m / POW10[fraction] : m);
  const text = latin1Text(buf, start, end);
  return NUMERIC_TEXT.test(text) ? Number(text) : NaN;
}

/**
 * Coerces source values into the SQL types of a fixed list of columns.
 *
 * @example
 * const c = new ColumnCoercer(['Q'], [parseSqlType('INTEGER')]);
 * const bytes = Buffer.from('123.4');
 * c.fromNumberBytes(0, 123.4, bytes, 0, bytes.length, 'JSON number') // FAILED; c.message names Q, 123.4 and INTEGER
 */
export class ColumnCoercer {
  /** Why the last call returned FAILED. */
  message = '';
  private readonly codes: Uint8Array;
  private readonly lo: Float64Array;
  private readonly hi: Float64Array;
  /** CHAR/VARCHAR/BINARY/VARBINARY length, or -1 when unbounded. */
  private readonly length: Int32Array;
  private readonly scale: Int32Array;
  /** DECIMAL: the first absolute value that no longer fits the precision. */
  private readonly limit: Float64Array;
  private readonly typeText: string[];
  private readonly strings = new AsciiStringCache();

  constructor(
    readonly names: readonly string[],
    readonly types: readonly SqlType[],
  ) {
    const n = types.length;
    this.codes = new Uint8Array(n);
    this.lo = new Float64Array(n);
    this.hi = new Float64Array(n);
    this.length = new Int32Array(n).fill(-1);
    this.scale = new Int32Array(n);
    this.limit = new Float64Array(n);
    this.typeText = types.map(formatSqlType);
    types.forEach((t, i) => {
      this.codes[i] = typeCode(t);
      if (isIntegerType(t)) [this.lo[i], this.hi[i]] = IntegerRange[t.kind];
      if ((t.kind === 'CHAR' || t.kind === 'VARCHAR' || t.kind === 'BINARY' || t.kind === 'VARBINARY') && t.length !== null) {
        this.length[i] = t.length;
      }
      if (t.kind === 'DECIMAL') {
        this.scale[i] = t.scale;
        this.limit[i] = 10 ** (t.precision - t.scale);
      }
    });
  }

  /** True when the column holds text (CHAR/VARCHAR): such columns take any JSON value as its text. */
  isCharacter(col: number): boolean {
    const c = this.codes[col];
    return c === T_CHAR || c === T_VARCHAR;
  }

  /**
   * Whether the bytes [start, end) are valid UTF-8 (the record encoding KDA accepts). Text that is not is an
   * error of its column, never silently replaced by U+FFFD. Called only for bytes that are not all ASCII.
   */
  validUtf8(buf: Uint8Array, start: number, end: number): boolean {
    return isUtf8(buf.subarray(start, end));
  }

  /** The failure for text that is not valid UTF-8 (see validUtf8). */
  notUtf8(col: number, what: string, buf: Uint8Array, start: number, end: number): typeof FAILED {
    let bad = start;
    while (bad < end && isUtf8(buf.subarray(start, bad + 1))) bad++;
    // The first byte that cannot continue valid UTF-8 (a cut-off sequence at the end shows its last byte).
    const at = Math.min(bad, end - 1);
    return this.fail(col, what, `of ${end - start} bytes`, `it is not valid UTF-8 (byte 0x${buf[at].toString(16).padStart(2, '0')} at offset ${at - start}); the record's bytes are in DATA_ROW`);
  }

  private fail(col: number, what: string, shown: string, reason: string): typeof FAILED {
    this.message = `cannot convert ${what} ${shown} to ${this.typeText[col]} for column "${this.names[col]}": ${reason}`;
    return FAILED;
  }

  /** Fits text to CHAR(n) (truncated or padded) or VARCHAR(n) (truncated: KDA truncates silently). */
  fitText(col: number, text: string): string {
    const n = this.length[col];
    if (n < 0) return text;
    if (text.length > n) return text.slice(0, n);
    return this.codes[col] === T_CHAR && text.length < n ? text.padEnd(n, ' ') : text;
  }

  /**
   * A number (already parsed) into a column; its source text is bytes [start, end) of `buf`, used as the
   * value of character columns and in messages. `what` names the source ('JSON number', 'JSON string'...).
   */
  fromNumberBytes(col: number, v: number, buf: Uint8Array, start: number, end: number, what: string): Coerced {
    switch (this.codes[col]) {
      case T_INTEGER:
        if (!Number.isInteger(v)) {
          const reason = Number.isFinite(v) ? 'it has a fractional part (precision would be lost)' : 'it is out of range';
          return this.fail(col, what, this.show(buf, start, end, what), reason);
        }
        if (v < this.lo[col] || v > this.hi[col]) {
          return this.fail(col, what, this.show(buf, start, end, what), `it is out of range [${this.lo[col]}, ${this.hi[col]}]`);
        }
        return v;
      case T_DOUBLE:
        return Number.isFinite(v) ? v : this.fail(col, what, this.show(buf, start, end, what), 'it is out of range');
      case T_REAL:
        return Math.abs(v) <= REAL_MAX ? v : this.fail(col, what, this.show(buf, start, end, what), 'it is out of range');
      case T_DECIMAL: {
        if (!Number.isFinite(v)) return this.fail(col, what, this.show(buf, start, end, what), 'it is out of range');
        const r = roundToScale(v, this.scale[col]);
        if (Math.abs(r) < this.limit[col]) return r;
        return this.fail(col, what, this.show(buf, start, end, what), 'it has too many digits before the decimal point');
      }
      case T_BOOLEAN:
        return v !== 0;
      case T_CHAR:
      case T_VARCHAR:
        return this.fitText(col, utf8Text(buf, start, end));
      default:
        return this.fail(col, what, this.show(buf, start, end, what), 'a number cannot be converted to this type');
    }
  }

  private show(buf: Uint8Array, start: number, end: number, what: string): string {
    const text = utf8Text(buf, start, end);
    return what === 'JSON number' ? text : showText(text);
  }

  /** A JSON true/false: 1/0 for numerics, itself for BOOLEAN, 'true'/'false' for text, else an error. */
  fromBoolean(col: number, b: boolean): Coerced {
    switch (this.codes[col]) {
      case T_BOOLEAN:
        return b;
      case T_INTEGER:
      case T_REAL:
      case T_DOUBLE:
      case T_DECIMAL:
        return b ? 1 : 0;
      case T_CHAR:
      case T_VARCHAR:
        return this.fitText(col, b ? 'true' : 'false');
      default:
        return this.fail(col, 'JSON boolean', String(b), 'a boolean cannot be converted to this type');
    }
  }

  /**
   * Text held as UTF-8 bytes [start, end) of `buf` (an unescaped JSON string's content, or a CSV field).
   * `ascii` says the bytes are all below 0x80, which allows a cheaper decode.
   */
  fromText(col: number, buf: Uint8Array, start: number, end: number, ascii: boolean, what: string): Coerced {
    switch (this.codes[col]) {
      case T_CHAR:
      case T_VARCHAR:
        if (ascii) return this.fitText(col, this.strings.text(buf, start, end));
        return this.validUtf8(buf, start, end) ? this.fitText(col, utf8Text(buf, start, end)) : this.notUtf8(col, what, buf, start, end);
      case T_BOOLEAN:
        return (
          end - start === 4 &&
          (buf[start] | 0x20) === 0x74 &&
          (buf[start + 1] | 0x20) === 0x72 &&
          (buf[start + 2] | 0x20) === 0x75 &&
          (buf[start + 3] | 0x20) === 0x65
        );
      case T_INTEGER:
      case T_REAL:
      case T_DOUBLE:
      case T_DECIMAL: {
        const v = parseNumericBytes(buf, start, end);
        if (Number.isNaN(v)) return this.fail(col, what, this.show(buf, start, end, what), 'it is not a number');
        return this.fromNumberBytes(col, v, buf, start, end, what);
      }
      case T_TIMESTAMP: {
        const v = parseTimestampBytes(buf, start, end);
        return Number.isNaN(v) ? this.failDatetime(col, buf, start, end, what, "'yyyy-MM-dd HH:mm:ss[.SSS]' or ISO 'yyyy-MM-ddTHH:mm:ss[.SSS][Z]'") : v;
      }
      case T_DATE: {
        const v = parseDateBytes(buf, start, end);
        return Number.isNaN(v) ? this.failDatetime(col, buf, start, end, what, "'yyyy-MM-dd'") : v;
      }
      case T_TIME: {
        const v = parseTimeBytes(buf, start, end);
        return Number.isNaN(v) ? this.failDatetime(col, buf, start, end, what, "'HH:mm:ss[.SSS]'") : v;
      }
      default: {
        const text = latin1Text(buf, start, end);
        if (!BASE64_TEXT.test(text)) return this.fail(col, what, this.show(buf, start, end, what), 'it is not base64');
        const bytes = new Uint8Array(Buffer.from(text, 'base64'));
        const n = this.length[col];
        if (n >= 0 && bytes.length > n) return this.fail(col, what, showText(text), `it decodes to ${bytes.length} bytes, more than ${n}`);
        if (n >= 0 && this.codes[col] === T_BINARY && bytes.length < n) {
          const padded = new Uint8Array(n);
          padded.set(bytes);
          return padded;
        }
        return bytes;
      }
    }
  }

  private failDatetime(col: number, buf: Uint8Array, start: number, end: number, what: string, expected: string): typeof FAILED {
    return this.fail(col, what, this.show(buf, start, end, what), `expected ${expected}`);
  }

  /** Text already decoded to a string (a JSON string that had escapes). */
  fromString(col: number, text: string, what: string): Coerced {
    if (this.isCharacter(col)) return this.fitText(col, text);
    const bytes = Buffer.from(text, 'utf8');
    return this.fromText(col, bytes, 0, bytes.length, false, what);
  }

  /** A JSON object or array, given as its JSON text: allowed only into character columns. */
  fromContainer(col: number, json: string, what: string): Coerced {
    if (this.isCharacter(col)) return this.fitText(col, json);
    return this.fail(col, what, showText(json), `a ${what} can only be mapped to a CHAR or VARCHAR column`);
  }
}
