/**
 * Java SimpleDateFormat templates, as CHAR_TO_TIMESTAMP, TIMESTAMP_TO_CHAR and friends take them (SQLREF "Date and
 * Time Patterns" and "Template Strings to Create Specific Output Timestamps"). Everything is UTC and English.
 *
 * Parsing follows SimpleDateFormat in non-lenient mode, which is what the SQLREF describes: each field must be in
 * its range (month 1-12, a day that exists in that month...) or there is no result; fields the template omits
 * default to 1970-01-01 00:00:00.000; blanks before a field are skipped; a numeric field reads all its digits
 * unless another numeric field follows directly ('yyyyMMdd'), then exactly as many as its letters; text after
 * the template's end is ignored ('yyyy' reads '09-16 03:15' as the year 9).
 *
 * Where the SQLREF departs from java.text.SimpleDateFormat, it wins: `E`/`EE` print two-letter day names ('Tu'),
 * and a one-letter `y` reads '10' as the year 10 (only `yy` applies the two-digit-year century window).
 * java-reference/ checks everything else against the JDK's own answers.
 */
import { ExecutionError } from '../../errors.js';
import { fail, FunctionErrorNames } from './function-errors.js';
import { daysInMonth, fromFields, MS_PER_DAY, toFields, type DateFields } from './datetime-functions.js';

type Token = { readonly kind: 'literal'; readonly text: string } | { readonly kind: 'field'; readonly letter: string; readonly count: number };

/** A compiled template. */
export interface DateFormat {
  readonly pattern: string;
  readonly tokens: readonly Token[];
}

const PATTERN_LETTERS = 'GyYMLwWDdFEuaHkKhmsSzZX';
const NUMERIC_LETTERS = new Set('yYwWDdFuHkKhmsS'.split(''));

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/**
 * The year that starts the 100-year window two-digit years (`yy`) fall into. SimpleDateFormat uses "80 years
 * before now"; a fixed start keeps replays deterministic: 1946 is Java's window as of 2026 ('45' -> 2045,
 * '46' -> 1946).
 */
export const TWO_DIGIT_YEAR_START = 1946;

function isNumericField(t: Token | undefined): boolean {
  if (t === undefined || t.kind !== 'field') return false;
  if (t.letter === 'M' || t.letter === 'L') return t.count <= 2;
  return NUMERIC_LETTERS.has(t.letter);
}

const formatCache = new Map<string, DateFormat>();

/**
 * Compiles (and caches) a template: pattern letters, quoted text ('at'), '' for a quote, other characters as is.
 *
 * @throws ExecutionError INVALID_DATETIME_FORMAT for a letter SimpleDateFormat does not define or an unclosed quote
 */
export function compileDateFormat(pattern: string): DateFormat {
  const hit = formatCache.get(pattern);
  if (hit) return hit;
  const tokens: Token[] = [];
  let literal = '';
  const flush = () => {
    if (literal) tokens.push({ kind: 'literal', text: literal });
    literal = '';
  };
  for (let i = 0; i < pattern.length; ) {
    const ch = pattern[i];
    if (ch === "'") {
      if (pattern[i + 1] === "'") {
        literal += "'";
        i += 2;
        continue;
      }
      let j = i + 1;
      for (;;) {
        if (j >= pattern.length) fail(FunctionErrorNames.invalidDateFormat, `unterminated quote in datetime format '${pattern}'`);
        if (pattern[j] === "'") {
          if (pattern[j + 1] === "'") {
            literal += "'";
            j += 2;
            continue;
          }
          break;
        }
        literal += pattern[j++];
      }
      i = j + 1;
    } else if (/[a-zA-Z]/.test(ch)) {
      if (!PATTERN_LETTERS.includes(ch)) fail(FunctionErrorNames.invalidDateFormat, `illegal pattern character '${ch}' in datetime format '${pattern}'`);
      let j = i;
      while (pattern[j] === ch) j++;
      if (ch === 'X' && j - i > 3) fail(FunctionErrorNames.invalidDateFormat, `invalid ISO 8601 format length in datetime format '${pattern}'`);
      flush();
      tokens.push({ kind: 'field', letter: ch, count: j - i });
      i = j;
    } else {
      literal += ch;
      i++;
    }
  }
  flush();
  const compiled: DateFormat = { pattern, tokens };
  if (formatCache.size > 512) formatCache.clear();
  formatCache.set(pattern, compiled);
  return compiled;
}

// ---------------------------------------------------------------- formatting

function zeroPad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function dayOfYear(ms: number): number {
  const f = toFields(ms);
  return Math.floor((fromFields(f.year, f.month, f.day) - fromFields(f.year, 1, 1)) / MS_PER_DAY) + 1;
}

/** Week of year and week-based year with Sunday-first weeks, week 1 holding January 1st (Java's US defaults). */
function weekOfYear(ms: number): { week: number; weekYear: number } {
  const f = toFields(ms);
  const day = fromFields(f.year, f.month, f.day);
  const weekStart = day - f.dayOfWeek * MS_PER_DAY;
  const nextJan1 = fromFields(f.year + 1, 1, 1);
  if (weekStart + 6 * MS_PER_DAY >= nextJan1) return { week: 1, weekYear: f.year + 1 };
  const jan1Dow = toFields(fromFields(f.year, 1, 1)).dayOfWeek;
  return { week: Math.floor((dayOfYear(ms) - 1 + jan1Dow) / 7) + 1, weekYear: f.year };
}

function formatField(letter: string, count: number, ms: number, f: DateFields): string {
  switch (letter) {
    case 'G':
      return f.year > 0 ? 'AD' : 'BC';
    case 'y':
    case 'Y': {
      const y = letter === 'y' ? f.year : weekOfYear(ms).weekYear;
      const year = y > 0 ? y : 1 - y;
      return count === 2 ? zeroPad(year % 100, 2) : zeroPad(year, count);
    }
    case 'M':
    case 'L':
      if (count >= 4) return MONTHS[f.month - 1];
      if (count === 3) return MONTHS[f.month - 1].slice(0, 3);
      return zeroPad(f.month, count);
    case 'w':
      return zeroPad(weekOfYear(ms).week, count);
    case 'W':
      return zeroPad(Math.floor((f.day - 1 + toFields(fromFields(f.year, f.month, 1)).dayOfWeek) / 7) + 1, count);
    case 'D':
      return zeroPad(dayOfYear(ms), count);
    case 'd':
      return zeroPad(f.day, count);
    case 'F':
      return zeroPad(Math.floor((f.day - 1) / 7) + 1, count);
    case 'E':
      // SimpleDateFormat: four letters or more the full name, fewer the three-letter abbreviation.
      if (count >= 4) return DAYS[f.dayOfWeek];
      return DAYS[f.dayOfWeek].slice(0, 3);
    case 'u':
      return zeroPad(f.dayOfWeek === 0 ? 7 : f.dayOfWeek, count);
    case 'a':
      return f.hour < 12 ? 'AM' : 'PM';
    case 'H':
      return zeroPad(f.hour, count);
    case 'k':
      return zeroPad(f.hour === 0 ? 24 : f.hour, count);
    case 'K':
      return zeroPad(f.hour % 12, count);
    case 'h':
      return zeroPad(f.hour % 12 === 0 ? 12 : f.hour % 12, count);
    case 'm':
      return zeroPad(f.minute, count);
    case 's':
      return zeroPad(f.second, count);
    case 'S':
      return zeroPad(f.millisecond, count);
    case 'z':
      return count >= 4 ? 'Coordinated Universal Time' : 'UTC';
    case 'Z':
      return '+0000';
    case 'X':
      return 'Z';
    default:
      return '';
  }
}

/**
 * Formats epoch milliseconds (UTC) with a SimpleDateFormat template.
 *
 * @example formatDateTime(Date.UTC(2018, 4, 9, 14, 5, 2), 'yyyy-MM-dd hh:mm:ss') // '2018-05-09 02:05:02'
 */
export function formatDateTime(ms: number, pattern: string): string {
  const f = toFields(ms);
  let out = '';
  for (const t of compileDateFormat(pattern).tokens) out += t.kind === 'literal' ? t.text : formatField(t.letter, t.count, ms, f);
  return out;
}

// ---------------------------------------------------------------- parsing

interface Parsed {
  year?: number;
  weekYear?: number;
  bc?: boolean;
  month?: number;
  day?: number;
  dayOfYear?: number;
  dayOfWeek?: number;
  hourOfDay?: number;
  hour12?: number; // 0-11, from h (12 -> 0) or K
  pm?: boolean;
  minute?: number;
  second?: number;
  millisecond?: number;
  offsetMinutes?: number;
}

/** Fixed offsets (minutes) of zone names SimpleDateFormat reads; a standard-time name means standard time. */
const ZONE_NAMES: Record<string, number> = {
  UTC: 0, GMT: 0, WET: 0, BST: 60, CET: 60, CEST: 120, MET: 60, MEST: 120, EET: 120, EEST: 180,
  MSK: 180, IST: 330, JST: 540, KST: 540, HKT: 480, SGT: 480, AEST: 600, AEDT: 660, ACST: 570, AWST: 480,
  NZST: 720, NZDT: 780, EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360, PST: -480,
  PDT: -420, AKST: -540, AKDT: -480, HST: -600,
  'COORDINATED UNIVERSAL TIME': 0, 'GREENWICH MEAN TIME': 0, 'BRITISH SUMMER TIME': 60, 'CENTRAL EUROPEAN TIME': 60,
  'CENTRAL EUROPEAN SUMMER TIME': 120, 'EASTERN EUROPEAN TIME': 120, 'INDIA STANDARD TIME': 330,
  'JAPAN STANDARD TIME': 540, 'EASTERN STANDARD TIME': -300, 'EASTERN DAYLIGHT TIME': -240,
  'CENTRAL STANDARD TIME': -360, 'CENTRAL DAYLIGHT TIME': -300, 'MOUNTAIN STANDARD TIME': -420,
  'MOUNTAIN DAYLIGHT TIME': -360, 'PACIFIC STANDARD TIME': -480, 'PACIFIC DAYLIGHT TIME': -420,
};
const ZONE_NAME_LIST = Object.keys(ZONE_NAMES);

/** Text that does not match the template; parseDateTime turns it into DATETIME_PARSE_ERROR with the text. */
class ParseFailure extends ExecutionError {
  constructor() {
    super(FunctionErrorNames.dateParse, 'the text does not match the datetime format');
  }
}

function parseFailure(): never {
  throw new ParseFailure();
}

function offsetOf(sign: string, hours: string, minutes: string | undefined): number {
  const h = Number(hours);
  const m = Number(minutes ?? 0);
  if (h > 23 || m > 59) parseFailure();
  return (sign === '-' ? -1 : 1) * (h * 60 + m);
}

/**
 * Reads a time zone at `pos` as SimpleDateFormat does for the letter: `X` is ISO 8601 ('Z', or +-hh for X,
 * +-hhmm for XX, +-hh:mm for XXX); `Z` and `z` take an RFC 822 offset (+-hhmm), a GMT offset (GMT+-h[h][:mm])
 * or a zone name.
 */
function readZone(text: string, pos: number, letter: string, count: number): { offset: number; end: number } {
  const rest = text.slice(pos);
  if (letter === 'X') {
    if (rest[0] === 'Z') return { offset: 0, end: pos + 1 };
    const iso = (count === 1 ? /^([+-])(\d{2})/ : count === 2 ? /^([+-])(\d{2})(\d{2})/ : /^([+-])(\d{2}):(\d{2})/).exec(rest);
    if (!iso) parseFailure();
    return { offset: offsetOf(iso[1], iso[2], iso[3]), end: pos + iso[0].length };
  }
  const rfc = /^([+-])(\d{2})(\d{2})/.exec(rest);
  if (rfc) return { offset: offsetOf(rfc[1], rfc[2], rfc[3]), end: pos + rfc[0].length };
  const gmt = /^GMT([+-])(\d{1,2})(?::?(\d{2}))?/i.exec(rest);
  if (gmt) return { offset: offsetOf(gmt[1], gmt[2], gmt[3]), end: pos + gmt[0].length };
  const named = matchName(text, pos, ZONE_NAME_LIST);
  return { offset: ZONE_NAMES[ZONE_NAME_LIST[named.index]], end: named.end };
}

/** The longest of `names` that the text at `pos` starts with, case-insensitively. */
function matchName(text: string, pos: number, names: readonly string[]): { index: number; end: number } {
  let best = -1;
  let bestLength = 0;
  names.forEach((name, i) => {
    if (name.length > bestLength && text.slice(pos, pos + name.length).toLowerCase() === name.toLowerCase()) {
      best = i;
      bestLength = name.length;
    }
  });
  if (best < 0) parseFailure();
  return { index: best, end: pos + bestLength };
}

const MONTH_NAMES = [...MONTHS, ...MONTHS.map((m) => m.slice(0, 3))];
/** Parsing takes full and three-letter day names only (the two-letter 'Tu' form is for printing). */
const DAY_NAMES = [...DAYS, ...DAYS.map((d) => d.slice(0, 3))];

function checkRange(value: number, lo: number, hi: number): number {
  if (value < lo || value > hi) parseFailure();
  return value;
}

function parseTokens(text: string, format: DateFormat, twoDigitYearStart: number): Parsed {
  const p: Parsed = {};
  let pos = 0;
  const tokens = format.tokens;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === 'literal') {
      if (!text.startsWith(t.text, pos)) parseFailure();
      pos += t.text.length;
      continue;
    }
    // SimpleDateFormat skips blanks before a field, but text fields (month and day names, AM/PM, era) are then
    // matched from where the blanks began, so blanks before them fail; an abutting numeric field's width also
    // counts from there.
    const fieldStart = pos;
    while (pos < text.length && (text[pos] === ' ' || text[pos] === '\t')) pos++;
    if (pos >= text.length) parseFailure();
    const { letter, count } = t;
    if (isNumericField(t)) {
      const obeyCount = isNumericField(tokens[i + 1]);
      const limit = obeyCount ? Math.min(text.length, fieldStart + count) : text.length;
      // Numbers are read by a DecimalFormat, which takes a leading minus: '-0' is 0, other negatives fail the
      // range checks below.
      const negative = text[pos] === '-' && pos + 1 < limit && text.charCodeAt(pos + 1) >= 48 && text.charCodeAt(pos + 1) <= 57;
      if (negative) pos++;
      let end = pos;
      while (end < limit && text.charCodeAt(end) >= 48 && text.charCodeAt(end) <= 57) end++;
      if (end === pos) parseFailure();
      let value = 0;
      for (let k = pos; k < end; k++) value = value * 10 + (text.charCodeAt(k) - 48);
      if (negative) value = -value || 0;
      const digitCount = end - pos;
      pos = end;
      switch (letter) {
        case 'y':
        case 'Y':
          if (count === 2 && digitCount === 2) {
            const pivot = twoDigitYearStart % 100;
            value += Math.floor(twoDigitYearStart / 100) * 100 + (value < pivot ? 100 : 0);
          }
          if (letter === 'y') p.year = value;
          else p.weekYear = value;
          break;
        case 'M':
        case 'L':
          p.month = checkRange(value, 1, 12);
          break;
        case 'd':
          p.day = checkRange(value, 1, 31);
          break;
        case 'D':
          p.dayOfYear = checkRange(value, 1, 366);
          break;
        case 'H':
          p.hourOfDay = checkRange(value, 0, 23);
          break;
        case 'k':
          p.hourOfDay = checkRange(value, 1, 24) % 24;
          break;
        case 'h':
          p.hour12 = checkRange(value, 1, 12) % 12;
          break;
        case 'K':
          p.hour12 = checkRange(value, 0, 11);
          break;
        case 'm':
          p.minute = checkRange(value, 0, 59);
          break;
        case 's':
          p.second = checkRange(value, 0, 59);
          break;
        case 'S':
          p.millisecond = checkRange(value, 0, 999);
          break;
        case 'u':
          p.dayOfWeek = checkRange(value, 1, 7) % 7;
          break;
        default:
          break; // w, W, F: read and not used to build the date
      }
      continue;
    }
    if (letter !== 'z' && letter !== 'Z' && letter !== 'X') pos = fieldStart;
    switch (letter) {
      case 'M':
      case 'L': {
        const m = matchName(text, pos, MONTH_NAMES);
        p.month = (m.index % 12) + 1;
        pos = m.end;
        break;
      }
      case 'E': {
        const m = matchName(text, pos, DAY_NAMES);
        p.dayOfWeek = m.index % 7;
        pos = m.end;
        break;
      }
      case 'a': {
        const m = matchName(text, pos, ['AM', 'PM']);
        p.pm = m.index === 1;
        pos = m.end;
        break;
      }
      case 'G': {
        const m = matchName(text, pos, ['AD', 'BC']);
        p.bc = m.index === 1;
        pos = m.end;
        break;
      }
      default: {
        // z, Z, X
        const z = readZone(text, pos, letter, count);
        p.offsetMinutes = z.offset;
        pos = z.end;
      }
    }
  }
  return p;
}

/** Builds the instant from parsed fields with the SQLREF defaults, checking the fields agree. */
function assemble(p: Parsed): number {
  let year = p.year ?? p.weekYear ?? 1970;
  if (p.year !== undefined || p.weekYear !== undefined) {
    if (year < 1) parseFailure();
    if (p.bc) year = 1 - year;
  }
  let month = p.month ?? 1;
  let day = p.day ?? 1;
  if (p.dayOfYear !== undefined && p.month === undefined && p.day === undefined) {
    const d = toFields(fromFields(year, 1, 1) + (p.dayOfYear - 1) * MS_PER_DAY);
    if (d.year !== year) parseFailure();
    month = d.month;
    day = d.day;
  }
  // A day name with no day of the month: SimpleDateFormat takes that weekday's first date in the month
  // ('EEE' alone reads 'Wed' as 1970-01-07).
  if (p.dayOfWeek !== undefined && p.day === undefined && p.dayOfYear === undefined) {
    day = 1 + ((p.dayOfWeek - toFields(fromFields(year, month, 1)).dayOfWeek + 7) % 7);
  }
  if (day > daysInMonth(year, month)) parseFailure();
  let hour = 0;
  if (p.hourOfDay !== undefined) hour = p.hourOfDay;
  else if (p.hour12 !== undefined) hour = p.hour12 + (p.pm ? 12 : 0);
  else if (p.pm) hour = 12;
  const local = fromFields(year, month, day, hour, p.minute ?? 0, p.second ?? 0, p.millisecond ?? 0);
  if (p.dayOfWeek !== undefined && (p.day !== undefined || p.dayOfYear !== undefined)) {
    if (toFields(local).dayOfWeek !== p.dayOfWeek) parseFailure();
  }
  return local - (p.offsetMinutes ?? 0) * 60_000;
}

export interface ParseOptions {
  /** See {@link TWO_DIGIT_YEAR_START}. */
  readonly twoDigitYearStart?: number;
}

/**
 * Parses text with a SimpleDateFormat template into epoch milliseconds (UTC, or shifted by a zone the text gives).
 *
 * @throws ExecutionError DATETIME_PARSE_ERROR when the text does not match (KDA: no row), INVALID_DATETIME_FORMAT
 * for a bad template
 * @example parseDateTime('March 7, 2010', 'MMM dd, yyyy') // Date.UTC(2010, 2, 7)
 */
export function parseDateTime(text: string, pattern: string, options: ParseOptions = {}): number {
  const format = compileDateFormat(pattern);
  try {
    return assemble(parseTokens(text, format, options.twoDigitYearStart ?? TWO_DIGIT_YEAR_START));
  } catch (e) {
    if (e instanceof ParseFailure) {
      fail(FunctionErrorNames.dateParse, `'${text}' does not match the datetime format '${pattern}'`);
    }
    throw e;
  }
}

// ---------------------------------------------------------------- the SQL functions

type Str = string | null;
type Num = number | null;

/**
 * CHAR_TO_TIMESTAMP(format, text). A mismatch throws (KDA produces no row for it, case
 * scalar-char-to-timestamp-no-row).
 *
 * @example charToTimestamp('yyyy', '09-16 03:15') // 0009-01-01 00:00:00
 */
export function charToTimestamp(format: Str, text: Str): Num {
  if (format === null || text === null) return null;
  return parseDateTime(text, format);
}

/** CHAR_TO_DATE(format, text): as {@link charToTimestamp}, cut to the day. */
export function charToDate(format: Str, text: Str): Num {
  const t = charToTimestamp(format, text);
  return t === null ? null : t - (((t % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY);
}

/** CHAR_TO_TIME(format, text): as {@link charToTimestamp}, keeping the time of day. */
export function charToTime(format: Str, text: Str): Num {
  const t = charToTimestamp(format, text);
  return t === null ? null : ((t % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY;
}

/**
 * TIMESTAMP_TO_CHAR(format, ts). A NULL timestamp gives the string 'null', as the SQLREF notes (case
 * scalar-timestamp-to-char-null); a NULL format gives NULL.
 *
 * @example timestampToChar('yyyy-MM-dd', null) // 'null'
 */
export function timestampToChar(format: Str, ts: Num): Str {
  if (format === null) return null;
  if (ts === null) return 'null';
  return formatDateTime(ts, format);
}

/** DATE_TO_CHAR(format, date). (Only TIMESTAMP_TO_CHAR is documented to print NULL as 'null'; this gives NULL.) */
export function dateToChar(format: Str, date: Num): Str {
  if (format === null || date === null) return null;
  return formatDateTime(date, format);
}

/** TIME_TO_CHAR(format, time), the time of day on 1970-01-01. NULL gives NULL. */
export function timeToChar(format: Str, time: Num): Str {
  if (format === null || time === null) return null;
  return formatDateTime(time, format);
}
