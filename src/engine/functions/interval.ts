/**
 * INTERVAL values: parsing interval strings by their qualifier, printing them as KDA does, and their
 * arithmetic. Day-time intervals are milliseconds, year-month intervals are months (src/types/sql-type.ts).
 */
import { fail, FunctionErrorNames } from './function-errors.js';
import type { IntervalUnit } from '../../types/sql-type.js';

type Num = number | null;

/** Milliseconds in one unit of each day-time field. */
export const UNIT_MS: Readonly<Record<'DAY' | 'HOUR' | 'MINUTE' | 'SECOND', number>> = {
  DAY: 86_400_000,
  HOUR: 3_600_000,
  MINUTE: 60_000,
  SECOND: 1_000,
};

const ORDER: readonly IntervalUnit[] = ['YEAR', 'MONTH', 'DAY', 'HOUR', 'MINUTE', 'SECOND'];

/** True for YEAR / MONTH qualifiers, whose values count months. */
export function isYearMonthUnit(unit: IntervalUnit): boolean {
  return unit === 'YEAR' || unit === 'MONTH';
}

/**
 * Checks that `start TO end` is a valid interval qualifier (start no finer than end, both in the same family).
 * Returns an error message, or null when valid.
 */
export function intervalQualifierError(start: IntervalUnit, end: IntervalUnit): string | null {
  if (ORDER.indexOf(end) < ORDER.indexOf(start)) return `INTERVAL ${start} TO ${end}: ${end} is coarser than ${start}`;
  if (isYearMonthUnit(start) !== isYearMonthUnit(end)) return `INTERVAL ${start} TO ${end} mixes year-month and day-time fields`;
  return null;
}

/** The separator written before each field after the first in an interval string. */
function separatorBefore(unit: IntervalUnit): string {
  switch (unit) {
    case 'MONTH':
      return '-';
    case 'HOUR':
      return ' ';
    case 'MINUTE':
    case 'SECOND':
      return ':';
    default:
      return '';
  }
}

/** Upper bounds of the fields that are not the leading one. */
const FIELD_LIMIT: Partial<Record<IntervalUnit, number>> = { MONTH: 12, HOUR: 24, MINUTE: 60, SECOND: 60 };

/**
 * Parses the string of an interval literal or of CAST(string AS INTERVAL ...) for the qualifier `start TO end`
 * ('2 3:4:5.678' DAY TO SECOND, '3-4' YEAR TO MONTH, '10' SECOND, '-1 2' DAY TO HOUR...). The leading field may
 * have any number of digits; the others must be below their natural limit (hours < 24...). SECOND may carry a
 * fraction, kept to the millisecond. Returns milliseconds (day-time) or months (year-month).
 *
 * @throws ExecutionError INVALID_INTERVAL when the string does not fit the qualifier
 * @example parseInterval('2 3:4:5.678', 'DAY', 'SECOND') // 183845678
 */
export function parseInterval(text: string, start: IntervalUnit, end: IntervalUnit = start): number {
  const qualifierError = intervalQualifierError(start, end);
  if (qualifierError) fail(FunctionErrorNames.invalidInterval, qualifierError);
  const bad = (): never =>
    fail(FunctionErrorNames.invalidInterval, `'${text}' is not a valid INTERVAL ${start === end ? start : `${start} TO ${end}`} value`);
  const units = ORDER.slice(ORDER.indexOf(start), ORDER.indexOf(end) + 1);
  let s = text.trim();
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    sign = s[0] === '-' ? -1 : 1;
    s = s.slice(1).trimStart();
  }
  let pattern = '^';
  units.forEach((u, i) => {
    const sep = i === 0 ? '' : separatorBefore(u) === ' ' ? ' +' : separatorBefore(u);
    const digits = u === 'SECOND' ? '(\\d+(?:\\.\\d*)?|\\.\\d+)' : '(\\d+)';
    pattern += sep + digits;
  });
  const m = new RegExp(pattern + '$').exec(s);
  if (!m) bad();
  let total = 0;
  units.forEach((u, i) => {
    const value = Number(m![i + 1]);
    const limit = FIELD_LIMIT[u];
    if (i > 0 && limit !== undefined && value >= limit) bad();
    if (u === 'YEAR') total += value * 12;
    else if (u === 'MONTH') total += value;
    else if (u === 'SECOND') total += Math.round(value * 1000);
    else total += value * UNIT_MS[u as 'DAY' | 'HOUR' | 'MINUTE'];
  });
  return sign * total;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/**
 * Prints an interval value as KDA does in CAST(... AS VARCHAR): a sign, the leading field unpadded, the other
 * fields two digits wide; seconds get .SSS when there are milliseconds. E.g. '+4 04' (DAY TO HOUR), '-2 04',
 * '+4-04' (YEAR TO MONTH), '+6:11' (MINUTE TO SECOND), as on the SQLREF "Date, Timestamp, and Interval
 * Operators" page. Lower fields than `end` are truncated away.
 *
 * @example formatInterval(-187_200_000, 'DAY', 'HOUR') // '-2 04'
 */
export function formatInterval(value: number, start: IntervalUnit, end: IntervalUnit = start): string {
  const sign = value < 0 ? '-' : '+';
  let rest = Math.abs(value);
  const units = ORDER.slice(ORDER.indexOf(start), ORDER.indexOf(end) + 1);
  let out = sign;
  units.forEach((u, i) => {
    let field: number;
    if (u === 'YEAR') {
      field = Math.trunc(rest / 12);
      rest -= field * 12;
    } else if (u === 'MONTH') {
      field = rest;
      rest = 0;
    } else {
      const unitMs = UNIT_MS[u];
      field = Math.trunc(rest / unitMs);
      rest -= field * unitMs;
    }
    const text = i === 0 ? String(field) : pad2(field);
    out += (i === 0 ? '' : separatorBefore(u)) + text;
    if (u === 'SECOND' && rest > 0) out += '.' + String(Math.round(rest)).padStart(3, '0');
  });
  return out;
}

/**
 * interval * number. Year-month results are whole months (truncated), day-time results whole milliseconds
 * (rounded), as INTERVAL '3 4' DAY TO HOUR * 2 = '6 8'.
 */
export function multiplyInterval(interval: Num, factor: Num, yearMonth: boolean): Num {
  if (interval === null || factor === null) return null;
  const r = interval * factor;
  return yearMonth ? Math.trunc(r) || 0 : Math.round(r) || 0;
}

/**
 * interval / number (INTERVAL '3 4' DAY TO HOUR / 2 = '1 14').
 *
 * @throws ExecutionError DIVISION_BY_ZERO when divisor is 0
 */
export function divideInterval(interval: Num, divisor: Num, yearMonth: boolean): Num {
  if (interval === null || divisor === null) return null;
  if (divisor === 0) fail(FunctionErrorNames.divisionByZero, `division by zero: interval / 0`);
  const r = interval / divisor;
  return yearMonth ? Math.trunc(r) || 0 : Math.round(r) || 0;
}

/**
 * FLOOR(interval TO unit): rounds a day-time interval down (toward minus infinity) to a whole number of `unit`s,
 * or a year-month one to whole years (YEAR) or months. Used by the old tumbling idiom
 * FLOOR((ts - TIMESTAMP '1970-01-01 00:00:00') SECOND / 10 TO SECOND).
 */
export function floorInterval(interval: Num, unit: IntervalUnit, yearMonth: boolean): Num {
  if (interval === null) return null;
  const size = yearMonth ? (unit === 'YEAR' ? 12 : 1) : UNIT_MS[unit as keyof typeof UNIT_MS] ?? 1;
  return Math.floor(interval / size) * size || 0;
}

/** CEIL(interval TO unit): the counterpart of {@link floorInterval}, rounding up. */
export function ceilInterval(interval: Num, unit: IntervalUnit, yearMonth: boolean): Num {
  if (interval === null) return null;
  const size = yearMonth ? (unit === 'YEAR' ? 12 : 1) : UNIT_MS[unit as keyof typeof UNIT_MS] ?? 1;
  return Math.ceil(interval / size) * size || 0;
}
