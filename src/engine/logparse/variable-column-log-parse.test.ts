import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExecutionError, PlanError } from '../../errors.js';
import { SqlTypes } from '../../types/sql-type.js';
import { planVariableColumnLogParse } from './variable-column-log-parse.js';

describe('VARIABLE_COLUMN_LOG_PARSE', () => {
  it('splits on the delimiter into n VARCHAR columns (SQLREF: "a,b" gives a and b)', () => {
    const parser = planVariableColumnLogParse(2, ',');
    expect(parser.fields).toEqual([
      { name: 'COLUMN1', type: SqlTypes.varchar(1024) },
      { name: 'COLUMN2', type: SqlTypes.varchar(1024) },
    ]);
    expect(parser.parse('a,b')).toEqual(['a', 'b']);
  });

  it('keeps an escaped delimiter (SQLREF: "a\\,b" gives one field a,b)', () => {
    expect(planVariableColumnLogParse(2, ',', '\\').parse('a\\,b')).toEqual(['a,b', null]);
  });

  it('keeps delimiters inside quotes, with one or two quote characters', () => {
    expect(planVariableColumnLogParse(3, ',', null, '"').parse('a,"b,c",d')).toEqual(['a', 'b,c', 'd']);
    expect(planVariableColumnLogParse(2, ' ', null, '[]').parse('x [1 2] y')).toEqual(['x', '1 2']);
  });

  it('accepts a delimiter string and a tab', () => {
    expect(planVariableColumnLogParse(3, '||').parse('a||b|c||d')).toEqual(['a', 'b|c', 'd']);
    expect(planVariableColumnLogParse(2, '\t').parse('a\tb')).toEqual(['a', 'b']);
  });

  it('types columns from a column list, empty fields NULL', () => {
    const parser = planVariableColumnLogParse(
      'TICKER TYPE VARCHAR(4), "price" TYPE DECIMAL(8,2), QTY TYPE INTEGER NOT NULL, AT TYPE TIMESTAMP \'dd/MMM/yyyy:HH:mm:ss\', OK TYPE BOOLEAN',
      ',',
    );
    expect(parser.fields.map((f) => f.name)).toEqual(['TICKER', 'price', 'QTY', 'AT', 'OK']);
    expect(parser.fields[1].type).toEqual(SqlTypes.decimal(8, 2));
    expect(parser.parse('AMZNX,12.345,7,24/May/2004:22:01:02,true')).toEqual(['AMZN', 12.35, 7, Date.UTC(2004, 4, 24, 22, 1, 2), true]);
    expect(parser.parse('A,,3,,')).toEqual(['A', null, 3, null, null]);
  });

  it('sends bad values to error_stream (ExecutionError) naming the column', () => {
    const parser = planVariableColumnLogParse('QTY TYPE INTEGER NOT NULL, N TYPE SMALLINT', ',');
    expect(() => parser.parse('x,1')).toThrow(ExecutionError);
    expect(() => parser.parse('x,1')).toThrow(/column QTY: expected an integer .* Received 'x'/);
    expect(() => parser.parse(',1')).toThrow(/NOT NULL/);
    expect(() => parser.parse('1,40000')).toThrow(/out of range for SMALLINT/);
  });

  it('rejects bad arguments at plan time', () => {
    expect(() => planVariableColumnLogParse(0, ',')).toThrow(PlanError);
    expect(() => planVariableColumnLogParse(2, '')).toThrow(/delimiter/);
    expect(() => planVariableColumnLogParse(2, ',', null, 'abc')).toThrow(/quote/);
    expect(() => planVariableColumnLogParse('A VARCHAR(3)', ',')).toThrow(/not of the form/);
    expect(() => planVariableColumnLogParse('A TYPE WHATEVER', ',')).toThrow(/unknown SQL type/);
    expect(() => planVariableColumnLogParse("A TYPE INTEGER 'yyyy'", ',')).toThrow(/format string/);
  });

  it('round-trips any fields joined with the delimiter, with delimiter and escape characters escaped', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: fc.constantFrom('a', 'b', ',', '\\', ' ', 'é') }), { minLength: 1, maxLength: 6 }), (fields) => {
        const line = fields.map((f) => f.replace(/[\\,]/g, (c) => `\\${c}`)).join(',');
        expect(planVariableColumnLogParse(fields.length, ',', '\\').parse(line)).toEqual(fields);
      }),
    );
  });
});
