/**
 * Date/time scalar functions over run-time values: TIMESTAMP and DATE are epoch milliseconds (UTC), TIME is
 * milliseconds since midnight, intervals are milliseconds or months. Everything is UTC, as in KDA.
 */
import { fail, FunctionErrorNames } from './function-errors.js';
import { UNIT_MS } from './interval.js';
import type { IntervalUnit } from '../../types/sql-type.js';

type Num = number | null;

export const MS_PER_DAY = 86_400_000;

/** The calendar fields of an epoch-millisecond instant, in UTC. */
export interface DateFields {
  year: number;
  /** 1-12 */
  month: number;
  /** 1-31 */
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  /** 0 = Sunday ... 6 = Saturday */
  dayOfWeek: number;
}

/**
 * Days since 1970-01-01 of a proleptic Gregorian date (month 1-12). Arithmetic only (H. Hinnant's
 * days_from_civil), so no Date object is made per row.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Splits an epoch-millisecond value into UTC calendar fields (proleptic Gregorian, any year). */
export function toFields(ms: number): DateFields {
  const days = Math.floor(ms / MS_PER_DAY);
  let rest = ms - days * MS_PER_DAY;
  // civil_from_days
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const hour = Math.floor(rest / 3_600_000);
  rest -= hour * 3_600_000;
  const minute = Math.floor(rest / 60_000);
  rest -= minute * 60_000;
  const second = Math.floor(rest / 1000);
  return { year, month, day, hour, minute, second, millisecond: rest - second * 1000, dayOfWeek: (((days + 4) % 7) + 7) % 7 };
}

/**
 * Builds epoch milliseconds from UTC fields. Unlike Date.UTC, years 0-99 are taken literally; fields beyond
 * their range carry over (month 13 is January of the next year, day 0 the last day of the month before).
 */
export function fromFields(year: number, month = 1, day = 1, hour = 0, minute = 0, second = 0, millisecond = 0): number {
  const y = year + Math.floor((month - 1) / 12);
  const m = (((month - 1) % 12) + 12) % 12 + 1;
  const days = daysFromCivil(y, m, 1) + day - 1;
  return days * MS_PER_DAY + ((hour * 60 + minute) * 60 + second) * 1000 + millisecond;
}

/** Days in a month of the proleptic Gregorian calendar. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function floorMod(a: number, b: number): number {
  return ((a % b) + b) % b;
}

/** Months since 1970-01 of an instant (negative before). */
function epochMonth(ms: number): number {
  const f = toFields(ms);
  return (f.year - 1970) * 12 + (f.month - 1);
}

function monthStart(epochMonthIndex: number): number {
  const year = 1970 + Math.floor(epochMonthIndex / 12);
  return fromFields(year, floorMod(epochMonthIndex, 12) + 1, 1);
}

/** Units FLOOR/CEIL(datetime TO unit) accept (the SQLREF documents YEAR, MONTH?, DAY, HOUR, MINUTE, SECOND). */
export type TimeUnit = IntervalUnit;

/**
 * FLOOR(datetime TO unit): the largest value not after `value` that is whole in `unit`. Works for TIMESTAMP and
 * DATE (epoch ms) and for TIME (ms of day; YEAR/MONTH/DAY give 00:00).
 *
 * @example floorDatetime(Date.UTC(2004, 8, 30, 13, 48, 23), 'HOUR') // 2004-09-30 13:00:00
 */
export function floorDatetime(value: Num, unit: TimeUnit): Num {
  if (value === null) return null;
  if (unit === 'YEAR') return fromFields(toFields(value).year, 1, 1);
  if (unit === 'MONTH') return monthStart(epochMonth(value));
  const size = UNIT_MS[unit];
  return value - floorMod(value, size);
}

/**
 * CEIL / CEILING(datetime TO unit): the smallest value not before `value` that is whole in `unit`.
 *
 * @example ceilDatetime(Date.UTC(2004, 8, 30, 13, 48, 23), 'YEAR') // 2005-01-01 00:00:00
 */
export function ceilDatetime(value: Num, unit: TimeUnit): Num {
  if (value === null) return null;
  const f = floorDatetime(value, unit)!;
  if (f === value) return value;
  if (unit === 'YEAR') return fromFields(toFields(f).year + 1, 1, 1);
  if (unit === 'MONTH') return monthStart(epochMonth(f) + 1);
  return f + UNIT_MS[unit];
}

/**
 * STEP(datetime BY interval) for a day-time interval (ms): rounds down to a multiple of the interval counted from
 * 1970-01-01 00:00:00 (the documented formula, and the policy "STEP and FLOOR windows are aligned to the epoch":
 * STEP(2004-09-27 13:48:23 BY INTERVAL '5' DAY) is 2004-09-24).
 *
 * @throws ExecutionError INVALID_ARGUMENT for an interval that is not positive
 */
export function stepDatetime(value: Num, intervalMs: Num): Num {
  if (value === null || intervalMs === null) return null;
  if (!(intervalMs > 0)) fail(FunctionErrorNames.invalidArgument, `STEP needs a positive interval. Received ${intervalMs} ms`);
  return value - floorMod(value, intervalMs);
}

/**
 * STEP(datetime BY interval) for a year-month interval (months): rounds down to the first day of a month whose
 * index since 1970-01 is a multiple of `months` (policy: STEP by a YEAR or MONTH interval aligns to calendar
 * boundaries, so 2004-09-30 13:48:23 BY INTERVAL '1' YEAR is 2004-01-01).
 *
 * @throws ExecutionError INVALID_ARGUMENT for an interval that is not positive
 */
export function stepDatetimeMonths(value: Num, months: Num): Num {
  if (value === null || months === null) return null;
  if (!(months > 0)) fail(FunctionErrorNames.invalidArgument, `STEP needs a positive interval. Received ${months} months`);
  const m = epochMonth(value);
  return monthStart(m - floorMod(m, months));
}

export type DatetimeKind = 'TIMESTAMP' | 'DATE' | 'TIME';

/**
 * EXTRACT(unit FROM datetime). YEAR..MINUTE give whole numbers (BIGINT); SECOND gives seconds with
 * milliseconds (DECIMAL(5,3), e.g. 26.234).
 *
 * @throws ExecutionError INVALID_ARGUMENT for YEAR/MONTH/DAY of a TIME
 */
export function extractDatetime(unit: TimeUnit, value: Num, kind: DatetimeKind = 'TIMESTAMP'): Num {
  if (value === null) return null;
  if (kind === 'TIME' && (unit === 'YEAR' || unit === 'MONTH' || unit === 'DAY')) {
    fail(FunctionErrorNames.invalidArgument, `EXTRACT(${unit} FROM time): a TIME has no ${unit}`);
  }
  const f = toFields(value);
  switch (unit) {
    case 'YEAR':
      return f.year;
    case 'MONTH':
      return f.month;
    case 'DAY':
      return f.day;
    case 'HOUR':
      return f.hour;
    case 'MINUTE':
      return f.minute;
    case 'SECOND':
      // One division of whole milliseconds, so 26.234 comes out as the nearest double to 26.234.
      return (f.second * 1000 + f.millisecond) / 1000;
  }
}

/**
 * EXTRACT(unit FROM interval): for a day-time interval (ms) DAY is the whole days, HOUR/MINUTE the field within
 * the next larger unit, SECOND the seconds field with milliseconds; for a year-month interval (months) YEAR and
 * MONTH. The interval's leading field (`start`, e.g. MINUTE for INTERVAL '90' MINUTE) is not bounded by the next
 * larger unit: EXTRACT(MINUTE FROM INTERVAL '90' MINUTE) is 90. A negative interval gives negative fields.
 *
 * @example extractInterval('SECOND', 183_845_678, false) // 5.678
 */
export function extractInterval(unit: TimeUnit, value: Num, yearMonth: boolean, start?: TimeUnit): Num {
  if (value === null) return null;
  const sign = value < 0 ? -1 : 1;
  const v = Math.abs(value);
  const leading = start ?? (yearMonth ? 'YEAR' : 'DAY');
  let r: number;
  if (yearMonth) {
    if (unit === 'YEAR') r = Math.trunc(v / 12);
    else if (unit === 'MONTH') r = leading === 'MONTH' ? v : v % 12;
    else r = fail(FunctionErrorNames.invalidArgument, `EXTRACT(${unit} FROM a year-month interval) is not defined`);
  } else {
    switch (unit) {
      case 'DAY':
        r = Math.trunc(v / UNIT_MS.DAY);
        break;
      case 'HOUR':
        r = Math.trunc((leading === 'HOUR' ? v : v % UNIT_MS.DAY) / UNIT_MS.HOUR);
        break;
      case 'MINUTE':
        r = Math.trunc((leading === 'MINUTE' ? v : v % UNIT_MS.HOUR) / UNIT_MS.MINUTE);
        break;
      case 'SECOND':
        r = (leading === 'SECOND' ? v : v % UNIT_MS.MINUTE) / 1000;
        break;
      default:
        r = fail(FunctionErrorNames.invalidArgument, `EXTRACT(${unit} FROM a day-time interval) is not defined`);
    }
  }
  return sign * r || 0;
}

/**
 * datetime + n months, keeping the time of day and clamping the day to the month's last day
 * (2004-01-31 + 1 month = 2004-02-29).
 */
export function addMonths(value: Num, months: Num): Num {
  if (value === null || months === null) return null;
  const f = toFields(value);
  const target = (f.year - 1970) * 12 + (f.month - 1) + Math.trunc(months);
  const year = 1970 + Math.floor(target / 12);
  const month = floorMod(target, 12) + 1;
  const day = Math.min(f.day, daysInMonth(year, month));
  return fromFields(year, month, day, f.hour, f.minute, f.second, f.millisecond);
}

/**
 * datetime ± interval for each datetime kind: TIMESTAMP moves by the interval; DATE moves and stays a day (a
 * day-time interval's part below a day is dropped: DATE '2008-08-23' + INTERVAL '25' HOUR is 2008-08-24);
 * TIME wraps around midnight and ignores year-month intervals. Subtract by passing a negative interval.
 */
export function addInterval(kind: DatetimeKind, value: Num, interval: Num, yearMonth: boolean): Num {
  if (value === null || interval === null) return null;
  if (kind === 'TIME') return yearMonth ? value : floorMod(value + interval, MS_PER_DAY);
  const moved = yearMonth ? addMonths(value, interval)! : value + interval;
  return kind === 'DATE' ? moved - floorMod(moved, MS_PER_DAY) : moved;
}

/**
 * (a - b) <interval qualifier>: the difference of two datetimes as an interval whose least significant field is
 * `end`. Day-time: milliseconds, truncated toward zero to whole `end` units (SECOND keeps milliseconds).
 * Year-month: whole months between them (a month counts only once the day and time of `a` reach those of `b`).
 *
 * @example datetimeDiff(Date.UTC(2000,0,1,0,5), Date.UTC(2000,0,1), 'MINUTE') // 300000
 */
export function datetimeDiff(a: Num, b: Num, end: TimeUnit): Num {
  if (a === null || b === null) return null;
  if (end === 'YEAR' || end === 'MONTH') {
    const fa = toFields(a);
    const fb = toFields(b);
    let months = (fa.year - fb.year) * 12 + (fa.month - fb.month);
    const restA = a - fromFields(fa.year, fa.month, 1);
    const restB = b - fromFields(fb.year, fb.month, 1);
    if (months > 0 && restA < restB) months--;
    if (months < 0 && restA > restB) months++;
    return end === 'YEAR' ? Math.trunc(months / 12) * 12 || 0 : months;
  }
  const size = end === 'SECOND' ? 1 : UNIT_MS[end];
  return Math.trunc((a - b) / size) * size || 0;
}

/** TSDIFF(a, b): a - b in milliseconds (applications pass TIMESTAMPs; the doc says BIGINT epoch ms: same numbers). */
export function tsdiff(a: Num, b: Num): Num {
  return a === null || b === null ? null : a - b;
}

/** UNIX_TIMESTAMP(ts): milliseconds since the epoch, as BIGINT. @example unixTimestamp(0) // 0 */
export function unixTimestamp(ts: Num): Num {
  return ts;
}

/** TO_TIMESTAMP(ms): a BIGINT of epoch milliseconds as a TIMESTAMP (fractions of a millisecond dropped). */
export function toTimestamp(ms: Num): Num {
  return ms === null ? null : Math.floor(ms);
}

/**
 * CURRENT_ROW_TIMESTAMP: the clock's time when the row is processed, in whole milliseconds. The clock is the
 * engine's (injectable) one, so replays are deterministic.
 */
export function currentRowTimestamp(clock: () => number): number {
  return Math.floor(clock());
}

/** TIMESTAMP -> DATE: midnight of its day. */
export function timestampToDate(ts: Num): Num {
  return ts === null ? null : ts - floorMod(ts, MS_PER_DAY);
}

/** TIMESTAMP -> TIME: milliseconds since its midnight. */
export function timestampToTime(ts: Num): Num {
  return ts === null ? null : floorMod(ts, MS_PER_DAY);
}
