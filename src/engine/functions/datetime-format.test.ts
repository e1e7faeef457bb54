import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ExecutionError } from '../../errors.js';
import {
  charToDate,
  charToTime,
  charToTimestamp,
  compileDateFormat,
  dateToChar,
  formatDateTime,
  parseDateTime,
  timeToChar,
  timestampToChar,
} from './datetime-format.js';

const ts = (s: string) => {
  const [d, t = '00:00:00'] = s.split(' ');
  const [y, mo, da] = d.split('-').map(Number);
  const [h, mi, sec] = t.split(':');
  const dt = new Date(0);
  dt.setUTCFullYear(y, mo - 1, da);
  dt.setUTCHours(Number(h), Number(mi), Math.floor(Number(sec)), Math.round((Number(sec) % 1) * 1000));
  return dt.getTime();
};

function errorName(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return e instanceof ExecutionError ? e.errorName : 'not an ExecutionError';
  }
  return undefined;
}

describe('CHAR_TO_TIMESTAMP: SQLREF "Template Strings to Create Specific Output Timestamps"', () => {
  it.each([
    ['yyyy-MM-dd hh:mm:ss', '2009-09-16 03:15:24', '2009-09-16 03:15:24'],
    ['yyyy-mm', '2011-02-08 07:23:19', '2011-01-01 00:02:00'],
    ['MMM dd, yyyy', 'March 7, 2010', '2010-03-07 00:00:00'],
    ['MMM dd,', 'March 7, 2010', '1970-03-07 00:00:00'],
    ['MMM dd,y', 'March 7, 2010', '2010-03-07 00:00:00'],
    ['MMM dd,y', 'March 7, 10', '0010-03-07 00:00:00'],
    ['M-d', '2-8', '1970-02-08 00:00:00'],
    ['M-d', '2-8-2011', '1970-02-08 00:00:00'],
    ['MM-dd-yyyy', '06-23-2011 10:11:12', '2011-06-23 00:00:00'],
    ['dd-MM-yy hh:mm:ss', '23-06-11 10:11:12', '2011-06-23 10:11:12'],
    ['MM-dd-yy ss:hh:mm', '06-23-11 12:10:11', '2011-06-23 10:11:12'],
    ['yy-dd-MM ss:hh:mm', '06-23-11 12:10:11', '2006-11-23 10:11:12'],
  ])("CHAR_TO_TIMESTAMP('%s', '%s') = %s", (format, text, expected) => {
    expect(charToTimestamp(format, text)).toBe(ts(expected));
  });

  it("gives no result (an error) when a field is out of range: '2011-2-8' with 'M-d', Feb 30, a missing comma", () => {
    expect(errorName(() => charToTimestamp('M-d', '2011-2-8'))).toBe('DATETIME_PARSE_ERROR');
    expect(errorName(() => charToTimestamp('yyyy-MM-dd', '2011-02-30'))).toBe('DATETIME_PARSE_ERROR');
    expect(errorName(() => charToTimestamp('MMM dd yyyy', 'March 7, 2010'))).toBe('DATETIME_PARSE_ERROR');
    expect(errorName(() => charToTimestamp('MMM dd, yyyy', 'March 7 2010'))).toBe('DATETIME_PARSE_ERROR');
  });

  it("cases: 'yyyy' reads '09-16 03:15' as year 9; 'MM/dd/yy hh:mm:ss' rejects '2009/09/16 03:15:24'", () => {
    expect(charToTimestamp('yyyy', '09-16 03:15')).toBe(ts('0009-01-01'));
    expect(charToTimestamp('yyyy', '16 03:15')).toBe(ts('0016-01-01'));
    expect(charToTimestamp('MM/dd/yy hh:mm:ss', '09/16/11 03:15:24')).toBe(ts('2011-09-16 03:15:24'));
    expect(charToTimestamp('MM/dd/yy hh:mm:ss', '12/01/10 11:30:00')).toBe(ts('2010-12-01 11:30:00'));
    expect(errorName(() => charToTimestamp('MM/dd/yy hh:mm:ss', '2009/09/16 03:15:24'))).toBe('DATETIME_PARSE_ERROR');
  });

  it('two-digit years fall into the window starting 1946; more letters read the year literally', () => {
    expect(charToTimestamp('yy', '45')).toBe(ts('2045-01-01'));
    expect(charToTimestamp('yy', '46')).toBe(ts('1946-01-01'));
    expect(charToTimestamp('yy', '2011')).toBe(ts('2011-01-01'));
    expect(charToTimestamp('MM/dd/yyyy', '01/11/12')).toBe(ts('0012-01-11'));
    expect(parseDateTime('45', 'yy', { twoDigitYearStart: 1900 })).toBe(ts('1945-01-01'));
  });

  it('abutting numeric fields take exactly their width', () => {
    expect(charToTimestamp('yyyyMMdd', '20110916')).toBe(ts('2011-09-16'));
    expect(charToTimestamp('yyyyMMddHHmmss', '20110916031524')).toBe(ts('2011-09-16 03:15:24'));
    expect(charToTimestamp('HHmm', '0930')).toBe(ts('1970-01-01 09:30:00'));
  });

  it('12- and 24-hour clocks, AM/PM, milliseconds, day names', () => {
    expect(charToTimestamp('hh:mm a', '03:15 PM')).toBe(ts('1970-01-01 15:15:00'));
    expect(charToTimestamp('hh:mm a', '12:15 am')).toBe(ts('1970-01-01 00:15:00'));
    expect(charToTimestamp('hh:mm', '12:15')).toBe(ts('1970-01-01 00:15:00'));
    expect(charToTimestamp('HH:mm:ss.SSS', '23:59:58.250')).toBe(ts('1970-01-01 23:59:58.25'));
    expect(charToTimestamp('kk', '24')).toBe(ts('1970-01-01'));
    expect(charToTimestamp('EEE, d MMM yyyy', 'Wed, 4 Jul 2001')).toBe(ts('2001-07-04'));
    expect(errorName(() => charToTimestamp('EEE, d MMM yyyy', 'Thu, 4 Jul 2001'))).toBe('DATETIME_PARSE_ERROR');
    expect(errorName(() => charToTimestamp('hh', '13'))).toBe('DATETIME_PARSE_ERROR');
    expect(errorName(() => charToTimestamp('HH', '24'))).toBe('DATETIME_PARSE_ERROR');
  });

  it('time zones shift the result to UTC', () => {
    expect(charToTimestamp('yyyy-MM-dd HH:mm Z', '2001-07-04 12:08 -0700')).toBe(ts('2001-07-04 19:08:00'));
    expect(charToTimestamp('yyyy-MM-dd HH:mm z', '2001-07-04 12:08 PDT')).toBe(ts('2001-07-04 19:08:00'));
    expect(charToTimestamp('yyyy-MM-dd HH:mm z', '2001-07-04 12:08 GMT+02:00')).toBe(ts('2001-07-04 10:08:00'));
    expect(charToTimestamp("yyyy-MM-dd'T'HH:mm:ssX", '2001-07-04T12:08:56Z')).toBe(ts('2001-07-04 12:08:56'));
    expect(charToTimestamp('HH:mm:ss zzzz', '12:00:00 Coordinated Universal Time')).toBe(ts('1970-01-01 12:00:00'));
    expect(errorName(() => charToTimestamp('HH:mm z', '12:08 XYZ'))).toBe('DATETIME_PARSE_ERROR');
    // X reads only hours, XX hhmm, XXX hh:mm; Z needs four digits (java.text.SimpleDateFormat)
    expect(charToTimestamp("HH:mm'T'X", '12:08T+0130')).toBe(ts('1970-01-01 11:08:00'));
    expect(charToTimestamp('HH:mm XX', '12:08 +0130')).toBe(ts('1970-01-01 10:38:00'));
    expect(charToTimestamp('HH:mm XXX', '12:08 -01:30')).toBe(ts('1970-01-01 13:38:00'));
    expect(errorName(() => charToTimestamp('HH:mm Z', '12:08 +05'))).toBe('DATETIME_PARSE_ERROR');
  });

  it('quoted text must appear as is', () => {
    expect(charToTimestamp("yyyy.MM.dd 'at' HH", '2001.07.04 at 12')).toBe(ts('2001-07-04 12:00:00'));
    expect(errorName(() => charToTimestamp("yyyy 'at'", '2001 on'))).toBe('DATETIME_PARSE_ERROR');
  });

  it('text shorter than the template fails; NULL gives NULL', () => {
    expect(errorName(() => charToTimestamp('yyyy-MM-dd', '2011-02'))).toBe('DATETIME_PARSE_ERROR');
    expect(charToTimestamp(null, '2011')).toBeNull();
    expect(charToTimestamp('yyyy', null)).toBeNull();
  });

  it('blanks before a numeric field are skipped, before a name they are not (as SimpleDateFormat)', () => {
    expect(charToTimestamp('yyyy-MM-dd', ' 2012- 02-29')).toBe(ts('2012-02-29'));
    expect(errorName(() => charToTimestamp('d MMM yyyy', '4  Jul 2001'))).toBe('DATETIME_PARSE_ERROR');
    expect(errorName(() => charToTimestamp('h:mm a', '8:40  PM'))).toBe('DATETIME_PARSE_ERROR');
    // the width of an abutting field counts from before the blanks: HH reads only '2', then ss '84' fails
    expect(errorName(() => charToTimestamp('yyyyMMddHHmmss', '20661211 230842'))).toBe('DATETIME_PARSE_ERROR');
    expect(charToTimestamp('yyyyMMddHHmmss', ' 9710612194011')).toBe(ts('0971-06-12 19:40:11'));
  });

  it('a day name without a day of the month means that weekday\'s first date in the month', () => {
    expect(charToTimestamp('EEE', 'Wed')).toBe(ts('1970-01-07'));
    expect(charToTimestamp('EEEE MMM yyyy', 'Thursday Feb 2044')).toBe(ts('2044-02-04'));
  });

  it('numbers may carry a minus sign, as DecimalFormat reads them: -0 is 0, -1 is out of range', () => {
    expect(charToTimestamp('HH:mm', '-0:19')).toBe(ts('1970-01-01 00:19:00'));
    expect(errorName(() => charToTimestamp('HH:mm', '-1:19'))).toBe('DATETIME_PARSE_ERROR');
  });

  it('day of year', () => {
    expect(charToTimestamp('yyyy DDD', '2004 061')).toBe(ts('2004-03-01'));
  });
});

describe('CHAR_TO_DATE and CHAR_TO_TIME', () => {
  it('keep the day or the time of day', () => {
    expect(charToDate('yyyy-MM-dd HH:mm', '2009-09-16 03:15')).toBe(ts('2009-09-16'));
    expect(charToTime('yyyy-MM-dd HH:mm', '2009-09-16 03:15')).toBe(3 * 3_600_000 + 15 * 60_000);
    expect(charToDate(null, 'x')).toBeNull();
  });
});

describe('TIMESTAMP_TO_CHAR and friends', () => {
  const t = ts('2018-05-09 14:05:02.427');

  it('DG datetime example: 12-hour clock', () => {
    expect(timestampToChar('yyyy-MM-dd hh:mm:ss', ts('2018-05-09 12:50:41.337'))).toBe('2018-05-09 12:50:41');
    // Day names as SimpleDateFormat prints them: fewer than four letters the three-letter abbreviation.
    expect(['E', 'EE', 'EEE', 'EEEE'].map((f) => timestampToChar(f, ts('2018-05-09 12:50:41.337')))).toEqual(['Wed', 'Wed', 'Wed', 'Wednesday']);
    expect(timestampToChar('yyyy-MM-dd hh:mm:ss', t)).toBe('2018-05-09 02:05:02');
    expect(timestampToChar('yyyy-MM-dd hh:mm:ss', ts('2018-05-09 00:30:59.12'))).toBe('2018-05-09 12:30:59');
  });

  it("a NULL timestamp prints 'null' (case scalar-timestamp-to-char-null)", () => {
    expect(timestampToChar('yyyy-MM-dd', null)).toBe('null');
    expect(timestampToChar('yyyy-MM-dd', ts('2004-09-30 13:48:23'))).toBe('2004-09-30');
    expect(timestampToChar(null, t)).toBeNull();
  });

  it('every pattern letter', () => {
    expect(formatDateTime(t, "G yyyy yy y yyyyy MMMM MMM MM M d dd D DDD")).toBe('AD 2018 18 2018 02018 May May 05 5 9 09 129 129');
    expect(formatDateTime(t, 'EEEE EEE EE E u F W w YYYY')).toBe('Wednesday Wed Wed Wed 3 2 2 19 2018');
    expect(formatDateTime(t, 'a H HH k K h hh m mm s ss S SSS')).toBe('PM 14 14 14 2 2 02 5 05 2 02 427 427');
    expect(formatDateTime(ts('2018-05-09 00:00:00.005'), 'k K h a S SSS')).toBe('24 0 12 AM 5 005');
    expect(formatDateTime(t, "z zzzz Z X '''quoted''' 'o''clock' ''")).toBe("UTC Coordinated Universal Time +0000 Z 'quoted' o'clock '");
  });

  it('week-based fields at the turn of the year (Sunday-first weeks, week 1 holds 1 January)', () => {
    expect(formatDateTime(ts('2017-12-31'), 'YYYY w')).toBe('2018 1');
    expect(formatDateTime(ts('2016-01-02'), 'YYYY w')).toBe('2016 1');
    expect(formatDateTime(ts('2016-01-03'), 'YYYY w')).toBe('2016 2');
  });

  it('DATE_TO_CHAR and TIME_TO_CHAR', () => {
    expect(dateToChar('dd/MM/yyyy', ts('2008-08-23'))).toBe('23/08/2008');
    expect(timeToChar('HH:mm:ss', 13 * 3_600_000 + 48 * 60_000 + 23_000)).toBe('13:48:23');
    expect(dateToChar('yyyy', null)).toBeNull();
    expect(timeToChar('HH', null)).toBeNull();
  });
});

describe('templates', () => {
  it('rejects unknown letters and unterminated quotes', () => {
    expect(errorName(() => compileDateFormat('yyyy-bb'))).toBe('INVALID_DATETIME_FORMAT');
    expect(errorName(() => compileDateFormat("yyyy 'at"))).toBe('INVALID_DATETIME_FORMAT');
    expect(errorName(() => timestampToChar('qq', 0))).toBe('INVALID_DATETIME_FORMAT');
  });

  it('formatting then parsing round-trips', () => {
    const patterns = [
      'yyyy-MM-dd HH:mm:ss.SSS',
      'yyyyMMddHHmmssSSS',
      'dd MMMM yyyy hh:mm:ss.SSS a',
      'EEE, d MMM yyyy HH:mm:ss.SSS Z',
      "yyyy-MM-dd'T'HH:mm:ss.SSSX",
      'MM/dd/yyyy kk:mm:ss.SSS',
    ];
    fc.assert(
      fc.property(fc.integer({ min: ts('0001-01-01'), max: ts('9999-12-31 23:59:59.999') }), fc.constantFrom(...patterns), (ms, pattern) => {
        expect(parseDateTime(formatDateTime(ms, pattern), pattern)).toBe(ms);
      }),
    );
  });
});
