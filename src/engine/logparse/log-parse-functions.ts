import { PlanError } from '../../errors.js';
import type { Value } from '../../types/sql-type.js';
import { planFastRegexLogParse } from './fast-regex-log-parse.js';
import { planFixedColumnLogParse } from './fixed-column-log-parse.js';
import type { LogParser } from './log-parser.js';
import { planRegexLogParse } from './regex-log-parse.js';
import { planSysLogParse } from './sys-log-parse.js';
import { planVariableColumnLogParse } from './variable-column-log-parse.js';
import { planW3cLogParse } from './w3c-log-parse.js';

/** SQL names of the log-parsing functions (FAST_REGEX_LOG_PARSER is the SQLREF page title, accepted as an alias). */
export const LOG_PARSE_FUNCTION_NAMES = [
  'REGEX_LOG_PARSE',
  'FAST_REGEX_LOG_PARSE',
  'FAST_REGEX_LOG_PARSER',
  'W3C_LOG_PARSE',
  'VARIABLE_COLUMN_LOG_PARSE',
  'FIXED_COLUMN_LOG_PARSE',
  'SYS_LOG_PARSE',
] as const;

export function isLogParseFunction(name: string): boolean {
  return (LOG_PARSE_FUNCTION_NAMES as readonly string[]).includes(name.toUpperCase());
}

/**
 * Plans `name(input, ...args)`: `args` are the constant arguments after the input expression, evaluated at plan
 * time (the patterns, formats and column lists must be constants). Returns the LogParser: `fields`/`rowType`
 * for the planner, `parse(inputValue)` per row. Throws PlanError for a wrong count or type of arguments and for
 * invalid patterns.
 *
 * @example
 * planLogParseFunction('W3C_LOG_PARSE', ['COMMON']).fields.length // 7
 */
export function planLogParseFunction(name: string, args: readonly Value[]): LogParser {
  const fn = name.toUpperCase();
  const count = (min: number, max: number): void => {
    if (args.length < min || args.length > max) {
      const expected = min === max ? `${min}` : `${min} to ${max}`;
      throw new PlanError(`${fn} takes ${expected} arguments after the input string. Received ${args.length}`);
    }
  };
  switch (fn) {
    case 'REGEX_LOG_PARSE':
      count(1, 2);
      return planRegexLogParse(text(fn, 'regex-pattern', args[0]), args.length > 1 ? text(fn, 'columns', args[1]) : null);
    case 'FAST_REGEX_LOG_PARSE':
    case 'FAST_REGEX_LOG_PARSER':
      count(1, 1);
      return planFastRegexLogParse(text(fn, 'fast_regex_pattern', args[0]));
    case 'W3C_LOG_PARSE':
      count(1, 1);
      return planW3cLogParse(text(fn, 'format-string', args[0]));
    case 'VARIABLE_COLUMN_LOG_PARSE': {
      count(2, 4);
      const columns = args[0];
      if (typeof columns !== 'number' && typeof columns !== 'string') {
        throw new PlanError(`${fn}: columns must be a number or a column list string. Received ${String(columns)}`);
      }
      return planVariableColumnLogParse(
        columns,
        text(fn, 'delimiter-string', args[1]),
        args.length > 2 && args[2] !== null ? text(fn, 'escape-string', args[2]) : null,
        args.length > 3 && args[3] !== null ? text(fn, 'quote-string', args[3]) : null,
      );
    }
    case 'FIXED_COLUMN_LOG_PARSE':
      count(1, 1);
      return planFixedColumnLogParse(text(fn, 'column description', args[0]));
    case 'SYS_LOG_PARSE':
      count(0, 0);
      return planSysLogParse();
    default:
      throw new PlanError(`${name} is not a log-parsing function (${LOG_PARSE_FUNCTION_NAMES.join(', ')})`);
  }
}

function text(fn: string, parameter: string, value: Value): string {
  if (typeof value !== 'string') {
    throw new PlanError(`${fn}: ${parameter} must be a character constant. Received ${value === null ? 'NULL' : String(value)}`);
  }
  return value;
}
