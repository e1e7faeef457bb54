import { describe, expect, it } from 'vitest';
import { PlanError } from '../../errors.js';
import { isLogParseFunction, planLogParseFunction } from './log-parse-functions.js';

describe('planLogParseFunction', () => {
  it('dispatches every log parser by SQL name, with its constant arguments', () => {
    expect(planLogParseFunction('regex_log_parse', ['(a)(b)']).parse('ab')).toEqual(['a', 'b']);
    expect(planLogParseFunction('FAST_REGEX_LOG_PARSE', ['(.*)_+(.*)']).parse('a__b')).toEqual(['a', 'b']);
    expect(planLogParseFunction('FAST_REGEX_LOG_PARSER', ['(.*)']).fields).toHaveLength(1);
    expect(planLogParseFunction('W3C_LOG_PARSE', ['COMMON']).fields).toHaveLength(7);
    expect(planLogParseFunction('VARIABLE_COLUMN_LOG_PARSE', [2, ',', '\\', '"']).parse('"a,b",c')).toEqual(['a,b', 'c']);
    expect(planLogParseFunction('VARIABLE_COLUMN_LOG_PARSE', ['A TYPE INTEGER', '|']).parse('7')).toEqual([7]);
    expect(planLogParseFunction('FIXED_COLUMN_LOG_PARSE', ['A TYPE VARCHAR(2) START 0 FOR 2']).parse('abc')).toEqual(['ab']);
    expect(planLogParseFunction('SYS_LOG_PARSE', []).fields.map((f) => f.type.kind)).toEqual(['TIMESTAMP', 'VARCHAR']);
    expect(isLogParseFunction('w3c_log_parse')).toBe(true);
    expect(isLogParseFunction('UPPER')).toBe(false);
  });

  it('rejects wrong argument counts and non-constant types', () => {
    expect(() => planLogParseFunction('SYS_LOG_PARSE', ['x'])).toThrow(PlanError);
    expect(() => planLogParseFunction('W3C_LOG_PARSE', [])).toThrow(/takes 1 arguments .* Received 0/);
    expect(() => planLogParseFunction('REGEX_LOG_PARSE', [null])).toThrow(/must be a character constant. Received NULL/);
    expect(() => planLogParseFunction('VARIABLE_COLUMN_LOG_PARSE', [true, ','])).toThrow(/number or a column list/);
    expect(() => planLogParseFunction('LOG_PARSE', ['x'])).toThrow(/not a log-parsing function/);
  });
});
