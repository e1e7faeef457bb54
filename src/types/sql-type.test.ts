import { describe, expect, it } from 'vitest';
import { formatSqlType, parseSqlType } from './sql-type.js';

describe('parseSqlType', () => {
  it('parses sized, unsized and two-word types', () => {
    expect(parseSqlType('varchar(8)')).toEqual({ kind: 'VARCHAR', length: 8 });
    expect(parseSqlType('VARCHAR')).toEqual({ kind: 'VARCHAR', length: null });
    expect(parseSqlType('DECIMAL(10, 2)')).toEqual({ kind: 'DECIMAL', precision: 10, scale: 2 });
    expect(parseSqlType('double precision')).toEqual({ kind: 'DOUBLE' });
    expect(parseSqlType('INT')).toEqual({ kind: 'INTEGER' });
    expect(formatSqlType(parseSqlType('numeric'))).toBe('DECIMAL(18,0)');
  });
  it('fails with the reason', () => {
    expect(() => parseSqlType('INTERVAL DAY')).toThrow(/only in expressions/);
    expect(() => parseSqlType('VARCHAR(0)')).toThrow(/between 1 and 65534. Received 0/);
    expect(() => parseSqlType('BLOB')).toThrow(/unknown SQL type 'BLOB'/);
    expect(() => parseSqlType('DECIMAL(5,6)')).toThrow(/scale 6 exceeds/);
  });
});
