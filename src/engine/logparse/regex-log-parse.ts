import { ExecutionError, PlanError } from '../../errors.js';
import { parseSqlType, SqlTypeSyntaxError, SqlTypes, type SqlType, type Value } from '../../types/sql-type.js';
import { javaGroup, translateJavaRegex } from '../functions/index.js';
import { LOG_COLUMN_LENGTH, rowTypeOf, varcharValue, type LogParseField, type LogParser } from './log-parser.js';
import { convertField, type TypedColumnSpec } from './typed-column-spec.js';

const FN = 'REGEX_LOG_PARSE';

/**
 * REGEX_LOG_PARSE(input, 'java regex' [, 'columns']) (SQLREF sql-reference-regex-log-parse): one column per
 * capturing group, left to right, COLUMN1..n VARCHAR(1024). The optional column list
 * (`<name> [<type>] {, <name> <type>}`, from the page's syntax line) names and types the first groups; groups
 * beyond it keep their COLUMNk name. The pattern is searched for in the input (Java Matcher.find(), greedy as
 * Java is); no match gives NULL; a group that did not take part gives NULL. Throws PlanError for a pattern that
 * is not valid Java or cannot be translated, that has no group, or fewer groups than named columns.
 *
 * @example
 * planRegexLogParse('(\\w.+) (\\d.+)').parse('ab 12 cd') // ['ab', '12 cd']
 */
export function planRegexLogParse(pattern: string, columns: string | null = null): LogParser {
  let translated;
  try {
    translated = translateJavaRegex(pattern);
  } catch (e) {
    // The functions library reports a pattern Java rejects (INVALID_REGEX) or JS cannot express as ExecutionError.
    if (e instanceof ExecutionError) throw new PlanError(`${FN}: ${e.message}`);
    throw e;
  }
  if (translated.groupCount === 0) {
    throw new PlanError(`${FN}: the regular expression '${pattern}' has no capturing group, so it gives no column`);
  }
  const specs = columns === null ? [] : parseColumnList(columns);
  if (specs.length > translated.groupCount) {
    throw new PlanError(
      `${FN}: ${specs.length} columns are named but the regular expression '${pattern}' has only ${translated.groupCount} groups`,
    );
  }
  const fields: LogParseField[] = Array.from({ length: translated.groupCount }, (_, i) =>
    i < specs.length ? { name: specs[i].name, type: specs[i].type } : { name: `COLUMN${i + 1}`, type: SqlTypes.varchar(LOG_COLUMN_LENGTH) },
  );
  const regex = new RegExp(translated.source, translated.flags);
  const groups = Array.from({ length: translated.groupCount }, (_, i) => i + 1);
  return {
    functionName: FN,
    fields,
    rowType: rowTypeOf(fields),
    parse(input) {
      if (input === null) return null;
      const m = regex.exec(input);
      if (!m) return null;
      return groups.map((n, i): Value => (i < specs.length ? convertField(FN, specs[i], javaGroup(m, n) ?? null) : varcharValue(javaGroup(m, n))));
    },
  };
}

/** `<name> [<type>] {, <name> <type>}`; a name without a type is VARCHAR(1024). */
function parseColumnList(text: string): TypedColumnSpec[] {
  return text.split(/,(?![^(]*\))/).map((raw) => {
    const part = raw.trim();
    const m = /^("(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)(?:\s+(.+))?$/s.exec(part);
    if (!m) throw new PlanError(`${FN}: column '${part}' is not of the form <name> [<type>]`);
    const name = m[1].startsWith('"') ? m[1].slice(1, -1).replace(/""/g, '"') : m[1].toUpperCase();
    let type: SqlType = SqlTypes.varchar(LOG_COLUMN_LENGTH);
    if (m[2] !== undefined) {
      try {
        type = parseSqlType(m[2]);
      } catch (e) {
        if (e instanceof SqlTypeSyntaxError) throw new PlanError(`${FN}: column ${name}: ${e.message}`);
        throw e;
      }
    }
    return { name, type, notNull: false, format: null, start: null, width: null };
  });
}
