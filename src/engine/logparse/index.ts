// Log-parsing functions of the KDA dialect: each has a plan-time function (constant arguments -> ROW fields
// and types, errors as PlanError) returning a LogParser whose `parse` is the row-time half.
export type { LogParser, LogParseField } from './log-parser.js';
export { LOG_COLUMN_LENGTH, varcharColumns, rowTypeOf } from './log-parser.js';
export { planRegexLogParse } from './regex-log-parse.js';
export { planFastRegexLogParse } from './fast-regex-log-parse.js';
export { planW3cLogParse, W3C_PREDEFINED_FORMATS } from './w3c-log-parse.js';
export { planVariableColumnLogParse, splitFields } from './variable-column-log-parse.js';
export { planFixedColumnLogParse } from './fixed-column-log-parse.js';
export { planSysLogParse } from './sys-log-parse.js';
export { parseFastRegex, fastRegexToSource, fixedLengthOf, FastRegexSyntaxError } from './fast-regex-pattern.js';
export type { FastRegexNode } from './fast-regex-pattern.js';
export { parseTypedColumnSpecs, convertField } from './typed-column-spec.js';
export type { TypedColumnSpec } from './typed-column-spec.js';
export { planLogParseFunction, isLogParseFunction, LOG_PARSE_FUNCTION_NAMES } from './log-parse-functions.js';
