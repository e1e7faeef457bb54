/**
 * What a sample says about one column: how many values of each kind it held, their ranges and lengths. The SQL
 * type follows from the evidence (see inferColumnType): the narrowest type every value fits, widened when values
 * of different kinds meet, with a note that says so.
 */
import { parseTimestampBytes } from '../input/index.js';
import { MAX_CHAR_LENGTH, MAX_DECIMAL_PRECISION } from '../types/sql-type.js';

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

export type ValueKind = 'boolean' | 'integer' | 'fraction' | 'timestamp' | 'text' | 'container';

/** The kinds, in the order a note lists them. */
const KINDS: readonly ValueKind[] = ['boolean', 'integer', 'fraction', 'timestamp', 'text', 'container'];

const INTEGER_TEXT = /^[+-]?\d+$/;
const DECIMAL_TEXT = /^[+-]?(\d*)\.(\d+)$/;
const FLOAT_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+$/;
/** A date must lead a timestamp; a bare number is never taken for one. */
const TIMESTAMP_SHAPE = /^\d{4}-\d{1,2}-\d{1,2}([ Tt]|$)/;

const encoder = new TextEncoder();

export class ColumnEvidence {
  readonly counts: Record<ValueKind, number> = { boolean: 0, integer: 0, fraction: 0, timestamp: 0, text: 0, container: 0 };
  nulls = 0;
  /** Records in which the column had a value (or an explicit null). */
  seen = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  /** Longest value written as text (JSON text for containers, the number's text for numbers). */
  maxLength = 0;
  /** Decimal text (from CSV): the digits after the point, when every such value has the same count; -1 when not. */
  private scale: number | null = null;
  private integerDigits = 0;
  /** Whether a decimal text kept a trailing zero (84.50): the writer keeps a fixed scale. */
  private fixedScaleSeen = false;
  /** A whole number outside the range a double holds exactly. */
  unsafeInteger = false;

  /** A value from a parsed JSON document. */
  addJson(v: unknown): void {
    this.seen++;
    if (v === null || v === undefined) {
      this.nulls++;
      return;
    }
    switch (typeof v) {
      case 'boolean':
        this.add('boolean', v ? 4 : 5);
        return;
      case 'number':
        if (Number.isInteger(v)) {
          this.range(v);
          this.add('integer', String(v).length);
        } else this.add('fraction', String(v).length);
        return;
      case 'string':
        if (TIMESTAMP_SHAPE.test(v) && isTimestamp(v)) this.add('timestamp', v.length);
        else this.add('text', v.length);
        return;
      default:
        this.add('container', JSON.stringify(v).length);
    }
  }

  /** A field of a CSV row: every value is text, so the kind is read from its shape. */
  addText(field: string): void {
    this.seen++;
    const t = field.trim();
    if (t === '') {
      this.nulls++;
      return;
    }
    if (INTEGER_TEXT.test(t)) {
      const n = Number(t);
      if (!Number.isSafeInteger(n)) this.unsafeInteger = true;
      this.range(n);
      this.add('integer', t.length);
      this.decimalShape(t.replace(/^[+-]/, '').length, 0, false);
      return;
    }
    const d = DECIMAL_TEXT.exec(t);
    if (d) {
      this.add('fraction', t.length);
      this.decimalShape(d[1].length, d[2].length, d[2].endsWith('0'));
      return;
    }
    if (FLOAT_TEXT.test(t)) {
      this.add('fraction', t.length);
      this.scale = -1;
      return;
    }
    if (/^(true|false)$/i.test(t)) return this.add('boolean', t.length);
    if (TIMESTAMP_SHAPE.test(t) && isTimestamp(t)) return this.add('timestamp', t.length);
    this.add('text', field.length);
  }

  /** The kinds seen, most frequent first. */
  kinds(): ValueKind[] {
    return KINDS.filter((k) => this.counts[k] > 0).sort((a, b) => this.counts[b] - this.counts[a]);
  }

  /**
   * DECIMAL(p, s) when the text evidence shows a fixed-point writer: every value had the same number of digits
   * after the point, at least one kept a trailing zero (84.50), none was a whole number, and the precision fits.
   */
  fixedPointType(): string | undefined {
    if (this.scale === null || this.scale <= 0 || !this.fixedScaleSeen || this.counts.integer > 0) return undefined;
    // Headroom: two more whole digits than the sample needed.
    const precision = Math.min(MAX_DECIMAL_PRECISION, this.integerDigits + 2 + this.scale);
    if (this.integerDigits + this.scale > MAX_DECIMAL_PRECISION) return undefined;
    return `DECIMAL(${precision},${this.scale})`;
  }

  fitsInteger(): boolean {
    return this.min >= INT32_MIN && this.max <= INT32_MAX;
  }

  private add(kind: ValueKind, length: number): void {
    this.counts[kind]++;
    if (length > this.maxLength) this.maxLength = length;
  }

  private range(n: number): void {
    if (!Number.isSafeInteger(n)) this.unsafeInteger = true;
    if (n < this.min) this.min = n;
    if (n > this.max) this.max = n;
  }

  private decimalShape(wholeDigits: number, scale: number, trailingZero: boolean): void {
    if (wholeDigits > this.integerDigits) this.integerDigits = wholeDigits;
    if (scale === 0) return;
    if (this.scale === null) this.scale = scale;
    else if (this.scale !== scale) this.scale = -1;
    if (trailingZero) this.fixedScaleSeen = true;
  }
}

function isTimestamp(text: string): boolean {
  const b = encoder.encode(text);
  return !Number.isNaN(parseTimestampBytes(b, 0, b.length));
}

export interface InferredType {
  readonly sqlType: string;
  /** Why the type is wider than one kind of value would give, or what the user should know. */
  readonly note?: string;
}

/** Lengths VARCHAR sizes are rounded up to: the sample's longest value, doubled for headroom. */
export function varcharFor(maxLength: number): string {
  const want = Math.max(8, maxLength * 2);
  let n = 8;
  while (n < want && n < MAX_CHAR_LENGTH) n *= 2;
  return `VARCHAR(${Math.min(n, MAX_CHAR_LENGTH)})`;
}

/** The SQL type of a column from its evidence. */
export function inferColumnType(e: ColumnEvidence): InferredType {
  const kinds = e.kinds();
  const describe = () => kinds.map((k) => `${e.counts[k]} ${k}`).join(', ');
  if (kinds.length === 0) return { sqlType: varcharFor(0), note: 'only NULL in the sample: VARCHAR until records show more' };
  if (kinds.length === 1) {
    switch (kinds[0]) {
      case 'boolean':
        return { sqlType: 'BOOLEAN' };
      case 'integer':
        if (e.unsafeInteger) return { sqlType: varcharFor(e.maxLength), note: 'whole numbers beyond 2^53 (a double cannot hold them exactly): VARCHAR keeps their digits' };
        return { sqlType: e.fitsInteger() ? 'INTEGER' : 'BIGINT' };
      case 'fraction':
        return { sqlType: e.fixedPointType() ?? 'DOUBLE' };
      case 'timestamp':
        return { sqlType: 'TIMESTAMP' };
      case 'text':
        return { sqlType: varcharFor(e.maxLength) };
      case 'container':
        return { sqlType: varcharFor(e.maxLength), note: 'a JSON array or object, mapped as its JSON text' };
    }
  }
  if (kinds.every((k) => k === 'integer' || k === 'fraction')) {
    return { sqlType: 'DOUBLE', note: `whole and fractional numbers (${describe()}): widened to DOUBLE` };
  }
  return { sqlType: varcharFor(e.maxLength), note: `values of different kinds (${describe()}): widened to VARCHAR` };
}
