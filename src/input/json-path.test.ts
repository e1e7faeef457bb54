import { describe, expect, it } from 'vitest';
import { formatJsonPath, parseJsonPath } from './json-path.js';

describe('parseJsonPath', () => {
  it('parses members, nested members, element access, [0:] and quoted names', () => {
    expect(parseJsonPath('$')).toEqual([]);
    expect(parseJsonPath('$.a.b.c')).toEqual([
      { kind: 'key', name: 'a' },
      { kind: 'key', name: 'b' },
      { kind: 'key', name: 'c' },
    ]);
    expect(parseJsonPath('$.arr[2]')).toEqual([{ kind: 'key', name: 'arr' }, { kind: 'index', index: 2 }]);
    expect(parseJsonPath('$.orders[0:].orderId')).toEqual([
      { kind: 'key', name: 'orders' },
      { kind: 'all' },
      { kind: 'key', name: 'orderId' },
    ]);
    expect(parseJsonPath("$['a.b'][0]")).toEqual([{ kind: 'key', name: 'a.b' }, { kind: 'index', index: 0 }]);
    expect(parseJsonPath('$[0:]')).toEqual([{ kind: 'all' }]);
  });

  it('keeps names exactly as written (paths are case-sensitive)', () => {
    expect(parseJsonPath('$.customerName')).toEqual([{ kind: 'key', name: 'customerName' }]);
    expect(parseJsonPath('$.customername')).not.toEqual(parseJsonPath('$.customerName'));
  });

  it('rejects what KDA does not support, saying why', () => {
    expect(() => parseJsonPath('a.b')).toThrow(/must start with '\$'/);
    expect(() => parseJsonPath('')).toThrow(/required/);
    expect(() => parseJsonPath('$..a')).toThrow(/recursive descent/);
    expect(() => parseJsonPath('$.a[*]')).toThrow(/\[\*\]' is not supported/);
    expect(() => parseJsonPath('$.a.*')).toThrow(/wildcard/);
    expect(() => parseJsonPath('$.a[1:]')).toThrow(/not supported/);
    expect(() => parseJsonPath('$.a[0:2]')).toThrow(/not supported/);
    expect(() => parseJsonPath('$.a[-1]')).toThrow(/not supported/);
    expect(() => parseJsonPath('$.a[?(@.x)]')).toThrow(/not supported/);
    expect(() => parseJsonPath('$.a[0')).toThrow(/not closed/);
    expect(() => parseJsonPath('$.')).toThrow(/member name is missing/);
    expect(() => parseJsonPath('$a')).toThrow(/unexpected 'a'/);
  });

  it('formats paths back', () => {
    expect(formatJsonPath(parseJsonPath('$.a[0][0:].b'))).toBe('$.a[0][0:].b');
    expect(formatJsonPath(parseJsonPath("$['x.y']"))).toBe("$['x.y']");
  });
});
