/**
 * Parses text with a java.text.SimpleDateFormat pattern, for the typed DATE/TIME/TIMESTAMP columns of the log
 * parsers (a small, self-contained subset; the functions library has the full formatter). Supported letters:
 * y M (M, MM, MMM, MMMM) d H k h K m s S a E (skipped) z Z X, quoted literals '...' and '' for a quote.
 * Fields the pattern does not have default as in Java: 1970-01-01 00:00:00.000 UTC.
 * Returns epoch milliseconds (UTC unless the text has a zone), or null when the text does not fit.
 *
 * @example
 * parseWithSimpleDateFormat('dd/MMM/yyyy:HH:mm:ss Z', '24/May/2004:22:01:02 -0700') // 1085461262000
 */
export function parseWithSimpleDateFormat(pattern: string, text: string): number | null {
  const compiled = compileDatePattern(pattern);
  const m = compiled.regex.exec(text);
  if (!m) return null;
  let year = 1970;
  let month = 0;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let milli = 0;
  let pm: boolean | null = null;
  let twelveHour = false;
  let offsetMinutes = 0;
  compiled.fields.forEach((field, i) => {
    const v = m[i + 1];
    switch (field[0]) {
      case 'y': {
        const n = Number(v);
        year = field.length === 2 && v.length === 2 ? 2000 + n - (2000 + n > new Date().getUTCFullYear() + 20 ? 100 : 0) : n;
        break;
      }
      case 'M':
        month = field.length >= 3 ? MONTHS.findIndex((name) => v.toLowerCase().startsWith(name.toLowerCase().slice(0, 3))) : Number(v) - 1;
        break;
      case 'd':
        day = Number(v);
        break;
      case 'H':
        hour = Number(v);
        break;
      case 'k':
        hour = Number(v) % 24;
        break;
      case 'h':
        hour = Number(v) % 12;
        twelveHour = true;
        break;
      case 'K':
        hour = Number(v);
        twelveHour = true;
        break;
      case 'm':
        minute = Number(v);
        break;
      case 's':
        second = Number(v);
        break;
      case 'S':
        milli = Number(v);
        break;
      case 'a':
        pm = v.toUpperCase() === 'PM';
        break;
      case 'z':
      case 'Z':
      case 'X':
        offsetMinutes = zoneOffsetMinutes(v);
        break;
      default:
        break;
    }
  });
  if (twelveHour && pm) hour += 12;
  if (month < 0 || month > 11 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return null;
  return Date.UTC(year, month, day, hour, minute, second, milli) - offsetMinutes * 60000;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

interface CompiledDatePattern {
  readonly regex: RegExp;
  readonly fields: string[];
}

const cache = new Map<string, CompiledDatePattern>();

function compileDatePattern(pattern: string): CompiledDatePattern {
  const hit = cache.get(pattern);
  if (hit) return hit;
  let source = '^';
  const fields: string[] = [];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === "'") {
      if (pattern[i + 1] === "'") {
        source += "'";
        i += 2;
        continue;
      }
      const end = pattern.indexOf("'", i + 1);
      const literal = end < 0 ? pattern.slice(i + 1) : pattern.slice(i + 1, end);
      source += escapeRegex(literal);
      i = end < 0 ? pattern.length : end + 1;
      continue;
    }
    if (/[a-zA-Z]/.test(c)) {
      let j = i;
      while (pattern[j] === c) j++;
      const field = pattern.slice(i, j);
      i = j;
      const n = field.length;
      switch (c) {
        case 'y':
          source += n === 2 ? '(\\d{2})' : '(\\d{1,4})';
          break;
        case 'M':
          source += n >= 3 ? '([A-Za-z]{3,9})' : `(\\d{${n === 1 ? '1,2' : '2'}})`;
          break;
        case 'd':
        case 'H':
        case 'k':
        case 'h':
        case 'K':
        case 'm':
        case 's':
          source += `(\\d{${n === 1 ? '1,2' : n}})`;
          break;
        case 'S':
          source += `(\\d{${n === 1 ? '1,3' : n}})`;
          break;
        case 'a':
          source += '([AaPp][Mm])';
          break;
        case 'E':
          source += '([A-Za-z]{3,9})';
          break;
        case 'z':
        case 'Z':
        case 'X':
          source += '(Z|[+-]\\d{2}:?\\d{2}|[+-]\\d{2}|UTC|GMT(?:[+-]\\d{1,2}:?\\d{2})?|[A-Z]{3})';
          break;
        default:
          throw new DatePatternError(`pattern letter '${c}' is not supported in '${pattern}'`);
      }
      fields.push(field);
      continue;
    }
    source += escapeRegex(c);
    i++;
  }
  const compiled = { regex: new RegExp(`${source}$`), fields };
  cache.set(pattern, compiled);
  return compiled;
}

/** Checks a pattern at plan time; throws DatePatternError. */
export function checkSimpleDateFormat(pattern: string): void {
  compileDatePattern(pattern);
}

export class DatePatternError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatePatternError';
  }
}

function zoneOffsetMinutes(zone: string): number {
  if (zone === 'Z' || zone === 'UTC' || zone === 'GMT') return 0;
  const m = /^(?:GMT)?([+-])(\d{1,2}):?(\d{2})?$/.exec(zone);
  if (m) return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
  const named: Record<string, number> = { PST: -480, PDT: -420, MST: -420, MDT: -360, CST: -360, CDT: -300, EST: -300, EDT: -240, CET: 60, CEST: 120 };
  return named[zone] ?? 0;
}

function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}
