import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { daysFromCivil, parseDateBytes, parseTimeBytes, parseTimestampBytes } from './datetime-text.js';

const ts = (s: string) => parseTimestampBytes(Buffer.from(s), 0, Buffer.byteLength(s));
const date = (s: string) => parseDateBytes(Buffer.from(s), 0, Buffer.byteLength(s));
const time = (s: string) => parseTimeBytes(Buffer.from(s), 0, Buffer.byteLength(s));

describe('daysFromCivil', () => {
  it('agrees with Date.UTC over a wide range', () => {
    for (const [y, m, d] of [[1970, 1, 1], [1969, 12, 31], [2000, 2, 29], [1900, 3, 1], [2400, 12, 31], [1, 1, 1], [9999, 12, 31]]) {
      const viaDate = new Date(0);
      viaDate.setUTCFullYear(y, m - 1, d);
      expect(daysFromCivil(y, m, d)).toBe(Math.floor(viaDate.getTime() / 86_400_000));
    }
  });
});

describe('parseTimestampBytes', () => {
  it('reads the forms of the KDA examples', () => {
    expect(ts('1992-02-14')).toBe(Date.UTC(1992, 1, 14));
    expect(ts('1992-02-14 18:35:44.0')).toBe(Date.UTC(1992, 1, 14, 18, 35, 44, 0));
    expect(ts('2018-05-09T12:50:41.337510')).toBe(Date.UTC(2018, 4, 9, 12, 50, 41, 337));
    expect(ts('2018-05-09T12:50:41.337000')).toBe(Date.UTC(2018, 4, 9, 12, 50, 41, 337));
    expect(ts('2026-01-01 00:00:00')).toBe(Date.UTC(2026, 0, 1));
  });
  it('truncates fractions to milliseconds and accepts 1-9 digits', () => {
    expect(ts('2020-01-01 00:00:00.9999')).toBe(Date.UTC(2020, 0, 1, 0, 0, 0, 999));
    expect(ts('2020-01-01 00:00:00.5')).toBe(Date.UTC(2020, 0, 1, 0, 0, 0, 500));
    expect(ts('2020-01-01 00:00:00.05')).toBe(Date.UTC(2020, 0, 1, 0, 0, 0, 50));
    expect(ts('2020-01-01 00:00:00.123456789')).toBe(Date.UTC(2020, 0, 1, 0, 0, 0, 123));
  });
  it('accepts HH:mm without seconds, one-digit month/day/hour, Z and offsets, surrounding spaces', () => {
    expect(ts('2020-01-01 10:30')).toBe(Date.UTC(2020, 0, 1, 10, 30));
    expect(ts('2020-1-2 3:04:05')).toBe(Date.UTC(2020, 0, 2, 3, 4, 5));
    expect(ts('2020-01-01T10:00:00Z')).toBe(Date.UTC(2020, 0, 1, 10));
    expect(ts('2020-01-01T10:00:00+02:00')).toBe(Date.UTC(2020, 0, 1, 8));
    expect(ts('2020-01-01T10:00:00-0130')).toBe(Date.UTC(2020, 0, 1, 11, 30));
    expect(ts('  2020-01-01 10:00:00 ')).toBe(Date.UTC(2020, 0, 1, 10));
  });
  it('returns NaN for anything else', () => {
    for (const bad of ['', '2020', '2020-13-01', '2020-02-30', '2019-02-29', '2020-01-01 24:00:00', '2020-01-01 10:60',
      '2020-01-01 10:00:61', '2020-01-01x10:00', '2020/01/01', '20-01-01', '2020-01-01 10:00:00.', '2020-01-01 10:00:00 junk',
      '1588000000000', 'yesterday']) {
      expect(ts(bad), bad).toBeNaN();
    }
  });
  it('reads only the given byte range', () => {
    const b = Buffer.from('xx2020-01-01yy');
    expect(parseTimestampBytes(b, 2, 12)).toBe(Date.UTC(2020, 0, 1));
  });
});

describe('parseDateBytes / parseTimeBytes', () => {
  it('DATE is midnight of the day; a timestamp loses its time', () => {
    expect(date('1992-02-14')).toBe(Date.UTC(1992, 1, 14));
    expect(date('1992-02-14 18:35:44.0')).toBe(Date.UTC(1992, 1, 14));
    expect(date('1969-12-31 23:59:59')).toBe(Date.UTC(1969, 11, 31));
    expect(date('14/02/1992')).toBeNaN();
  });
  it('TIME is milliseconds of the day', () => {
    expect(time('18:35:44.5')).toBe(((18 * 60 + 35) * 60 + 44) * 1000 + 500);
    expect(time('00:00')).toBe(0);
    expect(time('1992-02-14 01:02:03')).toBe(3_723_000);
    expect(time('25:00:00')).toBeNaN();
  });
});
