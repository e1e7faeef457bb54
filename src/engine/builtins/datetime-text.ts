/**
 * Temporary datetime text helpers (formatting for CAST and output; Java SimpleDateFormat subset) used until
 * the functions library (src/engine/functions/) lands.
 */
import { ExecutionError } from '../../errors.js';

const pad = (n: number, w: number) => String(Math.abs(n)).padStart(w, '0');
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** 'YYYY-MM-DD HH:MM:SS.SSS' (UTC) */
export function formatTimestamp(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)} ${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.${pad(d.getUTCMilliseconds(), 3)}`;
}
export function formatDate(ms: number): string {
  return formatTimestamp(ms).slice(0, 10);
}
export function formatTime(ms: number): string {
  return formatTimestamp(((ms % 86_400_000) + 86_400_000) % 86_400_000).slice(11, 19);
}

/** Splits a SimpleDateFormat pattern into letter runs and literals. */
function tokens(pattern: string): { letter: string; count: number; literal?: string }[] {
  const out: { letter: string; count: number; literal?: string }[] = [];
  for (let i = 0; i < pattern.length; ) {
    const c = pattern[i];
    if (c === "'") {
      let j = i + 1;
      let lit = '';
      for (;;) {
        if (j >= pattern.length) break;
        if (pattern[j] === "'") {
          if (pattern[j + 1] === "'") {
            lit += "'";
            j += 2;
            continue;
          }
          break;
        }
        lit += pattern[j++];
      }
      out.push({ letter: '', count: 0, literal: j === i + 1 && pattern[j] === "'" ? "'" : lit });
      i = j + 1;
      continue;
    }
    if (/[A-Za-z]/.test(c)) {
      let j = i;
      while (pattern[j] === c) j++;
      out.push({ letter: c, count: j - i });
      i = j;
      continue;
    }
    out.push({ letter: '', count: 0, literal: c });
    i++;
  }
  return out;
}

/** Formats epoch ms with a SimpleDateFormat pattern (UTC). */
export function formatWithPattern(pattern: string, ms: number): string {
  const d = new Date(ms);
  let s = '';
  for (const t of tokens(pattern)) {
    if (t.literal !== undefined) {
      s += t.literal;
      continue;
    }
    const n = t.count;
    switch (t.letter) {
      case 'y': {
        const y = d.getUTCFullYear();
        s += n === 2 ? pad(y % 100, 2) : pad(y, n);
        break;
      }
      case 'M': {
        const m = d.getUTCMonth();
        s += n >= 4 ? MONTHS[m] : n === 3 ? MONTHS[m].slice(0, 3) : pad(m + 1, n);
        break;
      }
      case 'd':
        s += pad(d.getUTCDate(), n);
        break;
      case 'H':
        s += pad(d.getUTCHours(), n);
        break;
      case 'h':
        s += pad(d.getUTCHours() % 12 === 0 ? 12 : d.getUTCHours() % 12, n);
        break;
      case 'k':
        s += pad(d.getUTCHours() === 0 ? 24 : d.getUTCHours(), n);
        break;
      case 'K':
        s += pad(d.getUTCHours() % 12, n);
        break;
      case 'm':
        s += pad(d.getUTCMinutes(), n);
        break;
      case 's':
        s += pad(d.getUTCSeconds(), n);
        break;
      case 'S':
        s += pad(d.getUTCMilliseconds(), Math.max(n, 3)).slice(0, Math.max(n, 3));
        break;
      case 'a':
        s += d.getUTCHours() < 12 ? 'AM' : 'PM';
        break;
      case 'E':
        s += n >= 4 ? DAYS[d.getUTCDay()] : DAYS[d.getUTCDay()].slice(0, 3);
        break;
      case 'D': {
        const start = Date.UTC(d.getUTCFullYear(), 0, 1);
        s += pad(Math.floor((ms - start) / 86_400_000) + 1, n);
        break;
      }
      case 'z':
      case 'Z':
      case 'X':
        s += t.letter === 'z' ? 'UTC' : t.letter === 'X' ? 'Z' : '+0000';
        break;
      default:
        s += t.letter.repeat(n);
    }
  }
  return s;
}

/**
 * Parses text with a SimpleDateFormat pattern (UTC; fields not in the pattern default to 1970-01-01 00:00:00).
 * Throws ExecutionError when the text does not match the pattern; text after the pattern is ignored.
 */
export function parseWithPattern(pattern: string, text: string): number {
  let y = 1970, mo = 0, day = 1, h = 0, mi = 0, sec = 0, ms = 0;
  let pm: boolean | null = null;
  let twelve = false;
  let i = 0;
  const fail = (): never => {
    throw new ExecutionError('DATETIME_PARSE', `'${text}' does not match the datetime format '${pattern}'`);
  };
  const toks = tokens(pattern);
  for (let k = 0; k < toks.length; k++) {
    const t = toks[k];
    if (t.literal !== undefined) {
      if (text.startsWith(t.literal, i)) i += t.literal.length;
      else fail();
      continue;
    }
    const next = toks[k + 1];
    // A numeric field directly followed by another numeric field reads exactly `count` digits.
    const adjacent = next !== undefined && next.literal === undefined && /[yMdHhkKmsS]/.test(next.letter);
    const readNum = (): number => {
      let j = i;
      if (adjacent) j = Math.min(i + t.count, text.length);
      else while (j < text.length && text[j] >= '0' && text[j] <= '9') j++;
      const digits = text.slice(i, j);
      if (!/^\d+$/.test(digits)) fail();
      i = j;
      return Number(digits);
    };
    switch (t.letter) {
      case 'y':
        y = readNum();
        if (t.count === 2 && text.slice(i - 2, i).length === 2 && y < 100 && /^\d\d$/.test(text.slice(i - 2, i))) y += y < 50 ? 2000 : 1900;
        break;
      case 'M':
        if (t.count >= 3) {
          const rest = text.slice(i).toLowerCase();
          const idx = MONTHS.findIndex((m) => rest.startsWith(m.toLowerCase()));
          const idx3 = MONTHS.findIndex((m) => rest.startsWith(m.slice(0, 3).toLowerCase()));
          if (idx >= 0) {
            mo = idx;
            i += MONTHS[idx].length;
          } else if (idx3 >= 0) {
            mo = idx3;
            i += 3;
          } else fail();
        } else mo = readNum() - 1;
        break;
      case 'd':
        day = readNum();
        break;
      case 'H':
      case 'k':
        h = readNum() % 24;
        break;
      case 'h':
      case 'K':
        h = readNum() % 12;
        twelve = true;
        break;
      case 'm':
        mi = readNum();
        break;
      case 's':
        sec = readNum();
        break;
      case 'S': {
        const start = i;
        const v = readNum();
        const len = i - start;
        ms = len <= 3 ? v : Math.floor(v / 10 ** (len - 3));
        break;
      }
      case 'a': {
        const r = text.slice(i, i + 2).toUpperCase();
        if (r === 'AM' || r === 'PM') {
          pm = r === 'PM';
          i += 2;
        } else fail();
        break;
      }
      case 'E': {
        const rest = text.slice(i).toLowerCase();
        const full = DAYS.find((dn) => rest.startsWith(dn.toLowerCase()));
        const short = DAYS.find((dn) => rest.startsWith(dn.slice(0, 3).toLowerCase()));
        if (full) i += full.length;
        else if (short) i += 3;
        else fail();
        break;
      }
      case 'z':
      case 'Z':
      case 'X': {
        const m = /^(Z|UTC|GMT|[+-]\d{2}:?\d{2})/.exec(text.slice(i));
        if (!m) fail();
        i += m![0].length;
        break;
      }
      default:
        fail();
    }
  }
  // Like SimpleDateFormat.parse(String), text after the pattern is ignored.
  if (twelve && pm) h += 12;
  if (mo < 0 || mo > 11 || day < 1 || day > 31 || mi > 59 || sec > 59) fail();
  const dt = new Date(Date.UTC(2000, mo, day, h, mi, sec, ms));
  dt.setUTCFullYear(y);
  return dt.getTime();
}
