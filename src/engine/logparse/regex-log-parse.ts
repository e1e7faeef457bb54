import { PlanError } from '../../errors.js';
import { JavaRegexTranslationError, translateJavaRegex } from './java-regex-translation.js';
import { rowTypeOf, varcharColumns, varcharValue, type LogParser } from './log-parser.js';

/**
 * REGEX_LOG_PARSE(input, 'java regex') (SQLREF sql-reference-regex-log-parse): one VARCHAR(1024) column
 * COLUMN1..n per capturing group, left to right. The pattern is searched for in the input (Java
 * Matcher.find(), greedy as Java is); no match gives NULL; a group that did not take part gives NULL.
 * Throws PlanError for a pattern that is not valid Java or cannot be translated, or that has no group.
 *
 * @example
 * planRegexLogParse('(\\w.+) (\\d.+)').parse('ab 12 cd') // ['ab', '12 cd']
 */
export function planRegexLogParse(pattern: string): LogParser {
  let translated;
  try {
    translated = translateJavaRegex(pattern);
  } catch (e) {
    if (e instanceof JavaRegexTranslationError) throw new PlanError(`REGEX_LOG_PARSE: ${e.message}`);
    throw e;
  }
  if (translated.groupCount === 0) {
    throw new PlanError(`REGEX_LOG_PARSE: the regular expression '${pattern}' has no capturing group, so it gives no column`);
  }
  const regex = new RegExp(translated.source, translated.flags);
  const names = Array.from({ length: translated.groupCount }, (_, i) => `__g${i + 1}`);
  const fields = varcharColumns(translated.groupCount);
  return {
    functionName: 'REGEX_LOG_PARSE',
    fields,
    rowType: rowTypeOf(fields),
    parse(input) {
      if (input === null) return null;
      const m = regex.exec(input);
      if (!m) return null;
      const groups = m.groups as Record<string, string | undefined>;
      return names.map((n) => varcharValue(groups[n]));
    },
  };
}
