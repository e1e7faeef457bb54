import { describe, expect, it } from 'vitest';
import { ExecutionError, PlanError } from '../../errors.js';
import { SqlTypes } from '../../types/sql-type.js';
import { planFixedColumnLogParse } from './fixed-column-log-parse.js';

describe('FIXED_COLUMN_LOG_PARSE', () => {
  it('cuts fields at 0-based positions and converts them, with a SimpleDateFormat timestamp (SQLREF column example)', () => {
    const parser = planFixedColumnLogParse(
      'HOST TYPE VARCHAR(8) START 0 FOR 8, "name" TYPE TIMESTAMP \'dd/MMM/yyyy:HH:mm:ss\' START 9 FOR 20, CODE TYPE INTEGER START 30 FOR 3, MSG TYPE VARCHAR(100) START 34',
    );
    expect(parser.fields).toEqual([
      { name: 'HOST', type: SqlTypes.varchar(8) },
      { name: 'name', type: SqlTypes.TIMESTAMP },
      { name: 'CODE', type: SqlTypes.INTEGER },
      { name: 'MSG', type: SqlTypes.varchar(100) },
    ]);
    const line = 'server01 24/May/2004:22:01:02 200 all good';
    expect(parser.parse(line)).toEqual(['server01', Date.UTC(2004, 4, 24, 22, 1, 2), 200, 'all good']);
  });

  it('gives NULL for fields beyond the input and trims non-character fields', () => {
    const parser = planFixedColumnLogParse('A TYPE CHAR(2) START 0 FOR 2, N TYPE DOUBLE START 2 FOR 6, Z TYPE VARCHAR(5) START 40');
    expect(parser.parse('ab  1.5 ')).toEqual(['ab', 1.5, null]);
  });

  it('reports conversion errors as ExecutionError and bad specs as PlanError', () => {
    const parser = planFixedColumnLogParse('N TYPE INTEGER START 0 FOR 3');
    expect(() => parser.parse('abc')).toThrow(ExecutionError);
    expect(() => planFixedColumnLogParse('N TYPE INTEGER')).toThrow(PlanError);
    expect(() => planFixedColumnLogParse('N TYPE INTEGER')).toThrow(/no START position/);
    expect(() => planFixedColumnLogParse("T TYPE TIMESTAMP 'yyyy-QQ' START 0")).toThrow(/illegal pattern character 'Q'/);
  });
});
