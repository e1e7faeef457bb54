// The scalar-function and type-conversion library of the KDA SQL engine (see README.md beside this file).
export { FunctionErrorNames, type FunctionErrorName } from './function-errors.js';
export { roundToScale, truncateToScale, decimalDivide, decimalArithmetic, toDecimal } from './decimal.js';
export { exactPrecisionScale, numericResultType, type ArithmeticOperator } from './decimal-types.js';
export {
  abs,
  ceil,
  floor,
  mod,
  integerDivide,
  approxDivide,
  checkIntegerRange,
  power,
  exp,
  ln,
  log10,
  stepNumber,
  negate,
} from './numeric-functions.js';
export {
  substringFrom,
  substringComma,
  position,
  overlay,
  trim,
  upper,
  lower,
  initcap,
  charLength,
  concat,
  concatBinary,
  padChar,
  type TrimSide,
} from './string-functions.js';
export { likeToRegExp, like, similarToRegExp, similarTo, substringSimilar } from './sql-patterns.js';
export {
  translateJavaRegex,
  compileJavaRegex,
  javaGroup,
  type TranslatedRegex,
  type JavaRegex,
} from './regex-translation.js';
export { regexReplace, substringRegex, parseJavaReplacement } from './regex-functions.js';
export {
  UNIT_MS,
  isYearMonthUnit,
  intervalQualifierError,
  parseInterval,
  formatInterval,
  multiplyInterval,
  divideInterval,
  floorInterval,
  ceilInterval,
} from './interval.js';
export {
  MS_PER_DAY,
  toFields,
  fromFields,
  daysInMonth,
  floorDatetime,
  ceilDatetime,
  stepDatetime,
  stepDatetimeMonths,
  extractDatetime,
  extractInterval,
  addMonths,
  addInterval,
  datetimeDiff,
  tsdiff,
  unixTimestamp,
  toTimestamp,
  currentRowTimestamp,
  timestampToDate,
  timestampToTime,
  type DateFields,
  type DatetimeKind,
  type TimeUnit,
} from './datetime-functions.js';
export {
  formatDouble,
  formatReal,
  formatDecimal,
  formatDate,
  formatTime,
  formatTimestamp,
  formatBoolean,
  formatValue,
  parseDateLiteral,
  parseTimeLiteral,
  parseTimestampLiteral,
} from './value-format.js';
export {
  TWO_DIGIT_YEAR_START,
  compileDateFormat,
  formatDateTime,
  parseDateTime,
  charToTimestamp,
  charToDate,
  charToTime,
  timestampToChar,
  dateToChar,
  timeToChar,
  type DateFormat,
  type ParseOptions,
} from './datetime-format.js';
export { canCast } from './cast-rules.js';
export { castValue, parseNumber } from './cast.js';
export { canAssign } from './assignment-rules.js';
export { assignValue } from './assignment.js';
export { coalesce, nullif, sqlValuesEqual } from './null-functions.js';
