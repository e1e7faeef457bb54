import type { Value } from '../../types/sql-type.js';
import { rowTypeOf, type LogParser } from './log-parser.js';
import { checkConvertibleTypes, convertField, parseTypedColumnSpecs } from './typed-column-spec.js';

const FN = 'FIXED_COLUMN_LOG_PARSE';

/**
 * FIXED_COLUMN_LOG_PARSE(input, 'NAME TYPE t [NOT NULL] START n [FOR m], ...') (SQLREF
 * sql-reference-fixed-column-log-parse): each column is the substring from START (0-based) for m characters,
 * or to the end of the input without FOR, converted to its type (DATE/TIME/TIMESTAMP may carry a
 * SimpleDateFormat pattern, e.g. `"name" TYPE TIMESTAMP 'dd/MMM/yyyy:HH:mm:ss'`). CHAR/VARCHAR fields are kept
 * as they are; other types are trimmed first. A column that starts beyond the input is NULL.
 *
 * @example
 * planFixedColumnLogParse('A TYPE VARCHAR(3) START 0 FOR 3, N TYPE INTEGER START 3').parse('abc 42') // ['abc', 42]
 */
export function planFixedColumnLogParse(columnSpec: string): LogParser {
  const specs = parseTypedColumnSpecs(FN, columnSpec, true);
  checkConvertibleTypes(FN, specs);
  const fields = specs.map((s) => ({ name: s.name, type: s.type }));
  return {
    functionName: FN,
    fields,
    rowType: rowTypeOf(fields),
    parse(input) {
      if (input === null) return null;
      const out: Value[] = [];
      for (const spec of specs) {
        const start = spec.start as number;
        const text =
          start >= input.length ? null : spec.width === null ? input.slice(start) : input.slice(start, start + spec.width);
        out.push(convertField(FN, spec, text));
      }
      return out;
    },
  };
}
