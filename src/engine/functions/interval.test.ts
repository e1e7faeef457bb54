import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ExecutionError } from '../../errors.js';
import type { IntervalUnit } from '../../types/sql-type.js';
import {
  ceilInterval,
  divideInterval,
  floorInterval,
  formatInterval,
  intervalQualifierError,
  multiplyInterval,
  parseInterval,
} from './interval.js';

const H = 3_600_000;
const D = 24 * H;

describe('parseInterval', () => {
  it.each([
    ['10', 'SECOND', 'SECOND', 10_000],
    ['60', 'SECOND', 'SECOND', 60_000],
    ['1', 'MINUTE', 'MINUTE', 60_000],
    ['1', 'HOUR', 'HOUR', H],
    ['5', 'DAY', 'DAY', 5 * D],
    ['3 4', 'DAY', 'HOUR', 3 * D + 4 * H],
    ['2 3:4:5.678', 'DAY', 'SECOND', 2 * D + 3 * H + 4 * 60_000 + 5_678],
    ['3:04', 'HOUR', 'MINUTE', 3 * H + 4 * 60_000],
    ['6:11', 'MINUTE', 'SECOND', 6 * 60_000 + 11_000],
    ['1.5', 'SECOND', 'SECOND', 1_500],
    ['86400', 'SECOND', 'SECOND', 86_400_000],
    ['-1 2', 'DAY', 'HOUR', -(D + 2 * H)],
    ['3-4', 'YEAR', 'MONTH', 40],
    ['1', 'YEAR', 'YEAR', 12],
    ['15', 'MONTH', 'MONTH', 15],
  ] as const)("'%s' %s TO %s", (text, start, end, expected) => {
    expect(parseInterval(text, start as IntervalUnit, end as IntervalUnit)).toBe(expected);
  });

  it('rejects strings that do not fit the qualifier, and fields out of range', () => {
    for (const [text, start, end] of [
      ['1:2', 'DAY', 'DAY'],
      ['abc', 'SECOND', 'SECOND'],
      ['3 24', 'DAY', 'HOUR'],
      ['1:60', 'HOUR', 'MINUTE'],
      ['3-12', 'YEAR', 'MONTH'],
      ['', 'DAY', 'DAY'],
    ] as const) {
      expect(() => parseInterval(text, start, end), `${text} ${start} TO ${end}`).toThrow(ExecutionError);
    }
    expect(() => parseInterval('1', 'HOUR', 'DAY')).toThrow(/coarser/);
    expect(() => parseInterval('1', 'MONTH', 'DAY')).toThrow(/mixes/);
  });

  it('validates qualifiers', () => {
    expect(intervalQualifierError('DAY', 'SECOND')).toBeNull();
    expect(intervalQualifierError('SECOND', 'DAY')).not.toBeNull();
  });
});

describe('formatInterval (SQLREF interval operator results)', () => {
  it('prints sign, leading field and two-digit fields', () => {
    expect(formatInterval(4 * D, 'DAY')).toBe('+4');
    expect(formatInterval(4 * D + 4 * H, 'DAY', 'HOUR')).toBe('+4 04');
    expect(formatInterval(-(2 * D + 4 * H), 'DAY', 'HOUR')).toBe('-2 04');
    expect(formatInterval(52, 'YEAR', 'MONTH')).toBe('+4-04');
    expect(formatInterval(6 * 60_000 + 11_000, 'MINUTE', 'SECOND')).toBe('+6:11');
    expect(formatInterval(2 * D + 3 * H + 4 * 60_000 + 5_678, 'DAY', 'SECOND')).toBe('+2 03:04:05.678');
  });

  it('round-trips with parseInterval', () => {
    const qualifiers: [IntervalUnit, IntervalUnit][] = [
      ['DAY', 'SECOND'],
      ['DAY', 'HOUR'],
      ['HOUR', 'SECOND'],
      ['MINUTE', 'SECOND'],
      ['SECOND', 'SECOND'],
      ['YEAR', 'MONTH'],
    ];
    fc.assert(
      fc.property(fc.constantFrom(...qualifiers), fc.integer({ min: -1e6, max: 1e6 }), ([start, end], n) => {
        const unit = end === 'MONTH' ? 1 : end === 'SECOND' ? 1 : end === 'HOUR' ? H : 1;
        const value = n * unit;
        expect(parseInterval(formatInterval(value, start, end), start, end)).toBe(value);
      }),
    );
  });
});

describe('interval arithmetic (SQLREF examples)', () => {
  it('2 * INTERVAL 3 4 DAY TO HOUR = 6 8; / 2 = 1 14', () => {
    const v = parseInterval('3 4', 'DAY', 'HOUR');
    expect(formatInterval(multiplyInterval(v, 2, false)!, 'DAY', 'HOUR')).toBe('+6 08');
    expect(formatInterval(divideInterval(v, 2, false)!, 'DAY', 'HOUR')).toBe('+1 14');
  });

  it('year-month intervals stay whole months; division by zero fails', () => {
    expect(multiplyInterval(5, 0.5, true)).toBe(2);
    expect(divideInterval(5, 2, true)).toBe(2);
    expect(() => divideInterval(5, 0, true)).toThrow(ExecutionError);
    expect(multiplyInterval(null, 2, false)).toBeNull();
  });

  it('FLOOR / CEIL of an interval to a unit', () => {
    expect(floorInterval(12_345, 'SECOND', false)).toBe(12_000);
    expect(floorInterval(-1, 'SECOND', false)).toBe(-1000);
    expect(ceilInterval(12_345, 'SECOND', false)).toBe(13_000);
    expect(floorInterval(40, 'YEAR', true)).toBe(36);
    expect(floorInterval(null, 'DAY', false)).toBeNull();
  });
});
