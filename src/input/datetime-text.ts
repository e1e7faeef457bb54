/**
 * DATE / TIME / TIMESTAMP values from text, read straight from UTF-8 bytes (no string is built on the hot
 * path). Accepted forms (KDA DG sch-mapping.html and its examples):
 *
 * - date: `YYYY-M[M]-D[D]`
 * - time: `H[H]:MM[:SS[.fraction]]`
 * - timestamp: date, optionally followed by ` ` or `T` and a time, optionally followed by `Z` or an offset
 *   `±HH[:MM]` (the instant is converted to UTC; without a zone the text is taken as UTC, like KDA).
 *
 * Fractions may have 1–9 digits and are truncated to milliseconds (KDA keeps millisecond precision).
 * Leading and trailing ASCII whitespace is ignored. Every function returns NaN when the text is not valid.
 */

const MS_PER_DAY = 86_400_000;

/** Days from 1970-01-01 to the given proleptic Gregorian date (any year). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/** A tiny cursor over the bytes; methods return -1 on a mismatch. */
class Cursor {
  constructor(
    readonly buf: Uint8Array,
    public pos: number,
    readonly end: number,
  ) {}
  /** Reads minDigits..maxDigits decimal digits; -1 when fewer than minDigits. */
  digits(minDigits: number, maxDigits: number): number {
    let v = 0;
    let n = 0;
    while (n < maxDigits && this.pos < this.end) {
      const d = this.buf[this.pos] - 0x30;
      if (d < 0 || d > 9) break;
      v = v * 10 + d;
      this.pos++;
      n++;
    }
    return n < minDigits ? -1 : v;
  }
  take(c: number): boolean {
    if (this.pos < this.end && this.buf[this.pos] === c) {
      this.pos++;
      return true;
    }
    return false;
  }
}

/** Milliseconds of the day of `H:MM[:SS[.f]]` at the cursor, or -1. */
function readTime(cur: Cursor): number {
  const h = cur.digits(1, 2);
  if (h < 0 || h > 23 || !cur.take(0x3a)) return -1;
  const mi = cur.digits(2, 2);
  if (mi < 0 || mi > 59) return -1;
  let s = 0;
  let ms = 0;
  if (cur.take(0x3a)) {
    s = cur.digits(2, 2);
    if (s < 0 || s > 59) return -1;
    if (cur.take(0x2e)) {
      const start = cur.pos;
      const f = cur.digits(1, 9);
      if (f < 0) return -1;
      const n = cur.pos - start;
      // Truncate to milliseconds: keep the first three digits of the fraction.
      ms = n >= 3 ? Math.floor(f / 10 ** (n - 3)) : f * 10 ** (3 - n);
    }
  }
  return ((h * 60 + mi) * 60 + s) * 1000 + ms;
}

/** Epoch days of `YYYY-M[M]-D[D]` at the cursor, or NaN. */
function readDate(cur: Cursor): number {
  const y = cur.digits(4, 4);
  if (y < 0 || !cur.take(0x2d)) return NaN;
  const m = cur.digits(1, 2);
  if (m < 1 || m > 12 || !cur.take(0x2d)) return NaN;
  const d = cur.digits(1, 2);
  if (d < 1 || d > daysInMonth(y, m)) return NaN;
  return daysFromCivil(y, m, d);
}

function trimmed(buf: Uint8Array, start: number, end: number): Cursor {
  while (start < end && isSpace(buf[start])) start++;
  while (end > start && isSpace(buf[end - 1])) end--;
  return new Cursor(buf, start, end);
}

/** A TIMESTAMP (epoch ms, UTC) from the bytes [start, end), or NaN. */
export function parseTimestampBytes(buf: Uint8Array, start: number, end: number): number {
  const cur = trimmed(buf, start, end);
  const days = readDate(cur);
  if (Number.isNaN(days)) return NaN;
  let ms = 0;
  if (cur.pos < cur.end) {
    const sep = buf[cur.pos];
    if (sep !== 0x20 && sep !== 0x54 && sep !== 0x74) return NaN; // ' ', 'T', 't'
    cur.pos++;
    ms = readTime(cur);
    if (ms < 0) return NaN;
    if (cur.pos < cur.end) {
      const z = buf[cur.pos];
      if (z === 0x5a || z === 0x7a) {
        cur.pos++;
      } else if (z === 0x2b || z === 0x2d) {
        cur.pos++;
        const oh = cur.digits(2, 2);
        if (oh < 0 || oh > 23) return NaN;
        cur.take(0x3a);
        let om = 0;
        if (cur.pos < cur.end) {
          om = cur.digits(2, 2);
          if (om < 0 || om > 59) return NaN;
        }
        const offset = (oh * 60 + om) * 60_000;
        ms += z === 0x2b ? -offset : offset;
      }
    }
  }
  if (cur.pos !== cur.end) return NaN;
  return days * MS_PER_DAY + ms;
}

/** A DATE (epoch ms at 00:00 UTC) from the bytes: a date, or a timestamp whose time of day is dropped. */
export function parseDateBytes(buf: Uint8Array, start: number, end: number): number {
  const ts = parseTimestampBytes(buf, start, end);
  return Number.isNaN(ts) ? NaN : Math.floor(ts / MS_PER_DAY) * MS_PER_DAY;
}

/** A TIME (ms of the day) from the bytes: a time, or a timestamp whose date is dropped. */
export function parseTimeBytes(buf: Uint8Array, start: number, end: number): number {
  const cur = trimmed(buf, start, end);
  const ms = readTime(cur);
  if (ms >= 0 && cur.pos === cur.end) return ms;
  const ts = parseTimestampBytes(buf, start, end);
  return Number.isNaN(ts) ? NaN : ts - Math.floor(ts / MS_PER_DAY) * MS_PER_DAY;
}
