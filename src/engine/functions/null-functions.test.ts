import { describe, expect, it } from 'vitest';
import { coalesce, nullif, sqlValuesEqual } from './null-functions.js';

describe('COALESCE and NULLIF (SQLREF examples)', () => {
  it('COALESCE returns the first non-null argument', () => {
    expect(coalesce('chair')).toBe('chair');
    expect(coalesce('chair', null, 'sofa')).toBe('chair');
    expect(coalesce(null, null, 'sofa')).toBe('sofa');
    expect(coalesce(null, 2, 5)).toBe(2);
    expect(coalesce(null, null)).toBeNull();
  });

  it('NULLIF returns NULL when both are equal, else the first', () => {
    expect(nullif(4, 2)).toBe(4);
    expect(nullif(4, 4)).toBeNull();
    expect(nullif('amy', 'fred')).toBe('amy');
    expect(nullif('amy', null)).toBe('amy');
    expect(nullif(null, 'fred')).toBeNull();
  });

  it('compares bytes and rows by content', () => {
    expect(sqlValuesEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2]))).toBe(true);
    expect(sqlValuesEqual(new Uint8Array([1, 2]), new Uint8Array([1]))).toBe(false);
    expect(sqlValuesEqual([1, 'a', null], [1, 'a', null])).toBe(true);
    expect(sqlValuesEqual([1, 'a'], [1, 'b'])).toBe(false);
    expect(sqlValuesEqual(1, '1')).toBe(false);
  });
});
