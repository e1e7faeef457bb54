import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ExecutionError } from '../../errors.js';
import {
  addInterval,
  addMonths,
  ceilDatetime,
  currentRowTimestamp,
  daysInMonth,
  datetimeDiff,
  extractDatetime,
  extractInterval,
  floorDatetime,
  fromFields,
  stepDatetime,
  stepDatetimeMonths,
  timestampToDate,
  timestampToTime,
  toFields,
  toTimestamp,
  tsdiff,
  unixTimestamp,
} from './datetime-functions.js';
import { parseInterval } from './interval.js';

const ts = (s: string) => Date.parse(s.replace(' ', 'T') + 'Z');
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString().replace('T', ' ').replace('Z', ''));
const T = ts('2004-09-30 13:48:23');

describe('fields', () => {
  it('toFields and fromFields agree with the JavaScript Date (proleptic Gregorian, UTC) over ±270,000 years', () => {
    fc.assert(
      fc.property(fc.integer({ min: -8.64e15, max: 8.64e15 }), (ms) => {
        const d = new Date(ms);
        const f = toFields(ms);
        expect(f).toEqual({
          year: d.getUTCFullYear(),
          month: d.getUTCMonth() + 1,
          day: d.getUTCDate(),
          hour: d.getUTCHours(),
          minute: d.getUTCMinutes(),
          second: d.getUTCSeconds(),
          millisecond: d.getUTCMilliseconds(),
          dayOfWeek: d.getUTCDay(),
        });
        expect(fromFields(f.year, f.month, f.day, f.hour, f.minute, f.second, f.millisecond)).toBe(ms);
      }),
      { numRuns: 2000 },
    );
  });

  it('fromFields carries over out-of-range fields; daysInMonth knows leap years', () => {
    expect(iso(fromFields(2004, 13, 1))).toBe('2005-01-01 00:00:00.000');
    expect(iso(fromFields(2004, 3, 0))).toBe('2004-02-29 00:00:00.000');
    expect(iso(fromFields(2004, 0, 1))).toBe('2003-12-01 00:00:00.000');
    expect([1900, 2000, 2004, 2100, -400, -100].map((y) => daysInMonth(y, 2))).toEqual([28, 29, 29, 28, 29, 28]);
    expect(daysInMonth(2004, 4)).toBe(30);
  });

  it('fromFields takes years below 100 literally', () => {
    expect(iso(fromFields(9, 1, 1))).toBe('0009-01-01 00:00:00.000');
    expect(toFields(fromFields(16, 2, 29)).day).toBe(29);
  });
});

describe('FLOOR / CEIL (datetime TO unit)', () => {
  it('SQLREF FLOOR examples', () => {
    expect(iso(floorDatetime(T, 'HOUR'))).toBe('2004-09-30 13:00:00.000');
    expect(iso(floorDatetime(T, 'MINUTE'))).toBe('2004-09-30 13:48:00.000');
    expect(iso(floorDatetime(T, 'DAY'))).toBe('2004-09-30 00:00:00.000');
    expect(iso(floorDatetime(T, 'YEAR'))).toBe('2004-01-01 00:00:00.000');
    expect(iso(floorDatetime(T, 'MONTH'))).toBe('2004-09-01 00:00:00.000');
    expect(iso(floorDatetime(T + 250, 'SECOND'))).toBe('2004-09-30 13:48:23.000');
  });

  it('SQLREF CEIL examples', () => {
    expect(iso(ceilDatetime(T, 'HOUR'))).toBe('2004-09-30 14:00:00.000');
    expect(iso(ceilDatetime(T, 'MINUTE'))).toBe('2004-09-30 13:49:00.000');
    expect(iso(ceilDatetime(T, 'DAY'))).toBe('2004-10-01 00:00:00.000');
    expect(iso(ceilDatetime(T, 'YEAR'))).toBe('2005-01-01 00:00:00.000');
    expect(iso(ceilDatetime(T, 'MONTH'))).toBe('2004-10-01 00:00:00.000');
  });

  it('a value already on the boundary stays put; before 1970 works too', () => {
    const midnight = ts('2004-09-30 00:00:00');
    expect(ceilDatetime(midnight, 'DAY')).toBe(midnight);
    expect(iso(floorDatetime(ts('1969-12-31 23:59:59'), 'HOUR'))).toBe('1969-12-31 23:00:00.000');
    expect(floorDatetime(null, 'DAY')).toBeNull();
  });

  it('floor <= value <= ceil, and both are fixed points', () => {
    const units = ['YEAR', 'MONTH', 'DAY', 'HOUR', 'MINUTE', 'SECOND'] as const;
    fc.assert(
      fc.property(fc.integer({ min: -4e12, max: 7e12 }), fc.constantFrom(...units), (v, unit) => {
        const f = floorDatetime(v, unit)!;
        const c = ceilDatetime(v, unit)!;
        expect(f).toBeLessThanOrEqual(v);
        expect(c).toBeGreaterThanOrEqual(v);
        expect(floorDatetime(f, unit)).toBe(f);
        expect(ceilDatetime(c, unit)).toBe(c);
      }),
    );
  });
});

describe('STEP (datetime BY interval)', () => {
  it('SQLREF examples: 10 SECOND, 2 HOUR', () => {
    expect(iso(stepDatetime(T, 10_000))).toBe('2004-09-30 13:48:20.000');
    expect(iso(stepDatetime(T, 2 * 3_600_000))).toBe('2004-09-30 12:00:00.000');
  });

  it('5 DAY is epoch aligned: 2004-09-27 falls in the bucket starting 2004-09-24 (case scalar-step-5-day-epoch-aligned)', () => {
    expect(iso(stepDatetime(ts('2004-09-27 13:48:23'), parseInterval('5', 'DAY')))).toBe('2004-09-24 00:00:00.000');
  });

  it('YEAR and MONTH steps align to the calendar (case scalar-step-year)', () => {
    expect(iso(stepDatetimeMonths(T, 12))).toBe('2004-01-01 00:00:00.000');
    expect(iso(stepDatetimeMonths(T, 1))).toBe('2004-09-01 00:00:00.000');
    expect(iso(stepDatetimeMonths(T, 3))).toBe('2004-07-01 00:00:00.000');
    expect(iso(stepDatetimeMonths(ts('1969-05-03 00:00:00'), 12))).toBe('1969-01-01 00:00:00.000');
  });

  it('rejects a non-positive step and passes NULL through', () => {
    expect(() => stepDatetime(T, 0)).toThrow(ExecutionError);
    expect(() => stepDatetimeMonths(T, -1)).toThrow(ExecutionError);
    expect(stepDatetime(null, 1000)).toBeNull();
  });

  it('is the documented formula ((ts - epoch) / i) * i + epoch for ts after the epoch', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4e12 }), fc.integer({ min: 1, max: 1e9 }), (v, i) => {
        expect(stepDatetime(v, i)).toBe(Math.trunc(v / i) * i);
      }),
    );
  });
});

describe('EXTRACT', () => {
  it('from a DAY TO SECOND interval (SQLREF examples)', () => {
    const v = parseInterval('2 3:4:5.678', 'DAY', 'SECOND');
    expect(extractInterval('DAY', v, false)).toBe(2);
    expect(extractInterval('HOUR', v, false)).toBe(3);
    expect(extractInterval('MINUTE', v, false)).toBe(4);
    expect(extractInterval('SECOND', v, false)).toBe(5.678);
  });

  it('from a timestamp (SQLREF examples with CURRENT_ROW_TIMESTAMP 2016-09-23 04:29:26.234)', () => {
    const t = ts('2016-09-23 04:29:26.234');
    expect(extractDatetime('MINUTE', t)).toBe(29);
    expect(extractDatetime('HOUR', t)).toBe(4);
    expect(extractDatetime('SECOND', t)).toBe(26.234);
    expect(extractDatetime('YEAR', t)).toBe(2016);
    expect(extractDatetime('MONTH', t)).toBe(9);
    expect(extractDatetime('DAY', t)).toBe(23);
  });

  it('interval sums: EXTRACT(HOUR/DAY FROM INTERVAL 1 DAY + 3 4 DAY TO HOUR) = 4, 4', () => {
    const v = parseInterval('1', 'DAY') + parseInterval('3 4', 'DAY', 'HOUR');
    expect(extractInterval('HOUR', v, false)).toBe(4);
    expect(extractInterval('DAY', v, false)).toBe(4);
  });

  it('the leading field is not bounded by the next larger unit', () => {
    expect(extractInterval('MINUTE', parseInterval('90', 'MINUTE'), false, 'MINUTE')).toBe(90);
    expect(extractInterval('MINUTE', parseInterval('90', 'MINUTE'), false)).toBe(30);
    expect(extractInterval('HOUR', parseInterval('50:10', 'HOUR', 'MINUTE'), false, 'HOUR')).toBe(50);
    expect(extractInterval('SECOND', parseInterval('100.5', 'SECOND'), false, 'SECOND')).toBe(100.5);
    expect(extractInterval('MONTH', 40, true, 'MONTH')).toBe(40);
  });

  it('negative and year-month intervals', () => {
    expect(extractInterval('HOUR', -parseInterval('2 04', 'DAY', 'HOUR'), false)).toBe(-4);
    expect(extractInterval('YEAR', 40, true)).toBe(3);
    expect(extractInterval('MONTH', 40, true)).toBe(4);
    expect(() => extractInterval('DAY', 40, true)).toThrow(ExecutionError);
    expect(() => extractInterval('YEAR', 40, false)).toThrow(ExecutionError);
  });

  it('from TIME and DATE', () => {
    expect(extractDatetime('HOUR', 13 * 3_600_000, 'TIME')).toBe(13);
    expect(() => extractDatetime('DAY', 0, 'TIME')).toThrow(ExecutionError);
    expect(extractDatetime('DAY', ts('2008-08-23 00:00:00'), 'DATE')).toBe(23);
    expect(extractDatetime('SECOND', null)).toBeNull();
  });
});

describe('datetime ± interval', () => {
  it('TIMESTAMP - 5 MINUTE (DG example)', () => {
    expect(iso(addInterval('TIMESTAMP', ts('2018-05-09 12:50:41.337'), -5 * 60_000, false))).toBe('2018-05-09 12:45:41.337');
  });

  it('interval sums added to a timestamp (SQLREF operator examples)', () => {
    const base = ts('2000-01-01 00:00:00');
    const d = (text: string, e: 'DAY' | 'HOUR' = 'DAY') => parseInterval(text, 'DAY', e);
    expect(iso(addInterval('TIMESTAMP', base, d('1') + d('3'), false))).toBe('2000-01-05 00:00:00.000');
    expect(iso(addInterval('TIMESTAMP', base, d('1') + d('3 4', 'HOUR'), false))).toBe('2000-01-05 04:00:00.000');
    expect(iso(addInterval('TIMESTAMP', base, d('1') - d('3 4', 'HOUR'), false))).toBe('1999-12-29 20:00:00.000');
  });

  it('months clamp to the end of the month', () => {
    expect(iso(addMonths(ts('2004-01-31 10:00:00'), 1))).toBe('2004-02-29 10:00:00.000');
    expect(iso(addMonths(ts('2003-01-31 10:00:00'), 1))).toBe('2003-02-28 10:00:00.000');
    expect(iso(addMonths(ts('2004-03-31 00:00:00'), -1))).toBe('2004-02-29 00:00:00.000');
    expect(iso(addInterval('TIMESTAMP', ts('2004-09-30 13:48:23'), 40, true))).toBe('2008-01-30 13:48:23.000');
  });

  it('DATE stays a day; TIME wraps around midnight', () => {
    expect(iso(addInterval('DATE', ts('2008-08-23 00:00:00'), 25 * 3_600_000, false))).toBe('2008-08-24 00:00:00.000');
    expect(addInterval('TIME', 23 * 3_600_000, 2 * 3_600_000, false)).toBe(3_600_000);
    expect(addInterval('TIME', 3_600_000, -2 * 3_600_000, false)).toBe(23 * 3_600_000);
    expect(addInterval('TIME', 5, 3, true)).toBe(5);
    expect(addInterval('TIMESTAMP', null, 1, false)).toBeNull();
  });
});

describe('(a - b) qualifier, TSDIFF and conversions', () => {
  it('day-time differences truncate to the qualifier\'s last field', () => {
    expect(datetimeDiff(ts('2000-01-01 00:05:30'), ts('2000-01-01 00:00:00'), 'MINUTE')).toBe(5 * 60_000);
    expect(datetimeDiff(ts('2000-01-01 00:00:00.250'), ts('1970-01-01 00:00:00'), 'SECOND')).toBe(ts('2000-01-01 00:00:00.250'));
    expect(datetimeDiff(12 * 3_600_000 + 3 * 60_000 + 34_000, 11 * 3_600_000 + 57 * 60_000 + 23_000, 'SECOND')).toBe(371_000);
    expect(datetimeDiff(ts('2000-01-01'), ts('2000-01-01 00:05:30'), 'MINUTE')).toBe(-5 * 60_000);
  });

  it('year-month differences count whole months', () => {
    expect(datetimeDiff(ts('2004-03-15 00:00:00'), ts('2004-01-20 00:00:00'), 'MONTH')).toBe(1);
    expect(datetimeDiff(ts('2004-03-20 00:00:00'), ts('2004-01-20 00:00:00'), 'MONTH')).toBe(2);
    expect(datetimeDiff(ts('2004-01-20 00:00:00'), ts('2004-03-15 00:00:00'), 'MONTH')).toBe(-1);
    expect(datetimeDiff(ts('2006-03-20 00:00:00'), ts('2004-01-20 00:00:00'), 'YEAR')).toBe(24);
  });

  it('TSDIFF is a - b in ms; UNIX_TIMESTAMP and TO_TIMESTAMP are the identity on ms', () => {
    expect(tsdiff(ts('2018-05-09 12:50:41.337'), ts('2018-05-09 12:50:40'))).toBe(1337);
    expect(tsdiff(null, 1)).toBeNull();
    expect(unixTimestamp(ts('2018-05-09 12:50:41.337'))).toBe(1525870241337);
    expect(toTimestamp(1525870241337.9)).toBe(1525870241337);
    expect(currentRowTimestamp(() => 1234.5)).toBe(1234);
  });

  it('TIMESTAMP to DATE and TIME', () => {
    expect(iso(timestampToDate(T))).toBe('2004-09-30 00:00:00.000');
    expect(timestampToTime(T)).toBe((13 * 60 + 48) * 60_000 + 23_000);
    expect(timestampToTime(-1)).toBe(86_399_999);
  });
});
