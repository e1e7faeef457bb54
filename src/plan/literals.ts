/** Parsing of typed literals: numbers, TIMESTAMP/DATE/TIME strings and INTERVAL strings. */
import { PlanError } from '../errors.js';
import type { IntervalQualifier, Pos } from '../sql/ast.js';
import type { SqlType, Value } from '../types/sql-type.js';
import { SqlTypes } from '../types/sql-type.js';

export const MS_PER = { SECOND: 1000, MINUTE: 60_000, HOUR: 3_600_000, DAY: 86_400_000 } as const;

/** Type and value of a numeric literal: INTEGER/BIGINT without a point, DECIMAL(p,s) with one, DOUBLE with an exponent. */
export function numberLiteral(text: string): { value: number; type: SqlType } {
  const value = Number(text);
  if (/[eE]/.test(text)) return { value, type: SqlTypes.DOUBLE };
  const digits = text.replace(/^-/, '');
  if (!digits.includes('.')) {
    const type = Math.abs(value) <= 2147483647 ? SqlTypes.INTEGER : SqlTypes.BIGINT;
    return { value, type };
  }
  const [whole, frac] = digits.split('.');
  const scale = frac.length;
  const precision = Math.max(whole.replace(/^0+/, '').length + scale, 1);
  return { value, type: { kind: 'DECIMAL', precision: Math.min(precision, 18), scale: Math.min(scale, 18) } };
}

const TS_RE = /^\s*(-?\d{1,4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,9}))?)?)?\s*$/;
const TIME_RE = /^\s*(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,9}))?)?\s*$/;

/** 'YYYY-MM-DD[ HH:MM[:SS[.fff]]]' as epoch ms (UTC), or null when it is not one. */
export function parseTimestampText(text: string): number | null {
  const m = TS_RE.exec(text);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number);
  const ms = m[7] ? Math.floor(Number('0.' + m[7]) * 1000 + 1e-9) : 0;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  const t = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const check = new Date(t);
  if (check.getUTCDate() !== d) return null;
  // Date.UTC maps years 0-99 to 1900-1999; set the year explicitly.
  if (y >= 0 && y < 100) {
    const dt = new Date(t);
    dt.setUTCFullYear(y);
    return dt.getTime();
  }
  return t;
}

export function parseTimeText(text: string): number | null {
  const m = TIME_RE.exec(text);
  if (!m) return null;
  const h = Number(m[1]);
  const mi = Number(m[2]);
  const s = Number(m[3] ?? '0');
  if (h > 23 || mi > 59 || s > 59) return null;
  const ms = m[4] ? Math.floor(Number('0.' + m[4]) * 1000 + 1e-9) : 0;
  return ((h * 60 + mi) * 60 + s) * 1000 + ms;
}

/** Value of a datetime literal. */
export function datetimeLiteral(kind: 'TIMESTAMP' | 'DATE' | 'TIME', text: string, pos: Pos): Value {
  if (kind === 'TIME') {
    const t = parseTimeText(text);
    if (t === null) throw new PlanError(`'${text}' is not a valid TIME literal (expected HH:MM:SS[.fff])`, pos);
    return t;
  }
  const t = parseTimestampText(text);
  if (t === null) throw new PlanError(`'${text}' is not a valid ${kind} literal (expected ${kind === 'DATE' ? 'YYYY-MM-DD' : 'YYYY-MM-DD HH:MM:SS[.fff]'})`, pos);
  if (kind === 'DATE') return Math.floor(t / MS_PER.DAY) * MS_PER.DAY;
  return t;
}

/**
 * Value of an interval literal: months for YEAR/MONTH qualifiers, milliseconds otherwise.
 * @example intervalLiteral('3 4', { start: 'DAY', end: 'HOUR' }, false, pos) // 273600000
 */
export function intervalLiteral(text: string, q: IntervalQualifier, negative: boolean, pos: Pos): number {
  let t = text.trim();
  let sign = negative ? -1 : 1;
  if (t.startsWith('-')) {
    sign = -sign;
    t = t.slice(1).trim();
  } else if (t.startsWith('+')) t = t.slice(1).trim();
  const bad = (): never => {
    throw new PlanError(`'${text}' is not a valid INTERVAL ${q.start}${q.start === q.end ? '' : ' TO ' + q.end} literal`, pos);
  };
  const num = (s: string | undefined): number => {
    if (s === undefined || !/^\d+(\.\d+)?$/.test(s)) bad();
    return Number(s);
  };
  if (q.start === 'YEAR' || q.start === 'MONTH') {
    if (q.start === 'YEAR' && q.end === 'MONTH') {
      const m = /^(\d+)-(\d+)$/.exec(t);
      if (!m) bad();
      return sign * (Number(m![1]) * 12 + Number(m![2]));
    }
    if (q.end !== q.start) bad();
    return sign * num(t) * (q.start === 'YEAR' ? 12 : 1);
  }
  const order = ['DAY', 'HOUR', 'MINUTE', 'SECOND'] as const;
  const si = order.indexOf(q.start as (typeof order)[number]);
  const ei = order.indexOf(q.end as (typeof order)[number]);
  if (si < 0 || ei < si) bad();
  // Split into fields: DAY is separated by a space, the others by ':'.
  const fields: string[] = [];
  let rest = t;
  if (q.start === 'DAY' && ei > si) {
    const sp = rest.split(/\s+/);
    if (sp.length !== 2) bad();
    fields.push(sp[0]);
    rest = sp[1];
    fields.push(...rest.split(':'));
  } else fields.push(...rest.split(':'));
  if (fields.length !== ei - si + 1) bad();
  const unitMs = [MS_PER.DAY, MS_PER.HOUR, MS_PER.MINUTE, MS_PER.SECOND];
  let total = 0;
  for (let k = 0; k < fields.length; k++) total += num(fields[k]) * unitMs[si + k];
  return sign * Math.round(total);
}
