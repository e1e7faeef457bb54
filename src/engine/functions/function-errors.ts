import { ExecutionError } from '../../errors.js';

/**
 * The `errorName`s this library gives the ExecutionErrors it throws (they end up in error_stream.ERROR_NAME,
 * which is VARCHAR(32)). KDA does not document its own names, so these are ours; keep them stable.
 */
export const FunctionErrorNames = {
  /** x / 0 or MOD(x, 0), for every numeric type (KDA writes no row; see case error-divide-by-zero). */
  divisionByZero: 'DIVISION_BY_ZERO',
  /** A value does not fit its target type (INTEGER range, DECIMAL precision). */
  numericOverflow: 'NUMERIC_OUT_OF_RANGE',
  /** A string that does not read as the CAST's target type ('abc' AS INTEGER). */
  invalidCast: 'INVALID_CAST',
  /** CAST into CHAR(n)/VARCHAR(n) of a value longer than n (case scalar-cast-too-short-no-row). */
  stringTooLong: 'STRING_TOO_LONG',
  /** An argument outside the function's domain (negative SUBSTRING length, TRIM character not 1 long...). */
  invalidArgument: 'INVALID_ARGUMENT',
  /** A Java regular expression that does not parse. */
  invalidRegex: 'INVALID_REGEX',
  /** A valid Java regular expression using a construct JavaScript cannot express. */
  unsupportedRegex: 'UNSUPPORTED_REGEX',
  /** A LIKE / SIMILAR TO pattern with a bad escape. */
  invalidEscape: 'INVALID_ESCAPE',
  /** CHAR_TO_TIMESTAMP and friends: the text does not match the template (KDA gives no row). */
  dateParse: 'DATETIME_PARSE_ERROR',
  /** A SimpleDateFormat template with an unknown letter or an unterminated quote. */
  invalidDateFormat: 'INVALID_DATETIME_FORMAT',
  /** An interval string that does not match its qualifier ('1:2' DAY). */
  invalidInterval: 'INVALID_INTERVAL',
} as const;

export type FunctionErrorName = (typeof FunctionErrorNames)[keyof typeof FunctionErrorNames];

/** Shorthand used across this folder. */
export function fail(name: FunctionErrorName, message: string): never {
  throw new ExecutionError(name, message);
}
