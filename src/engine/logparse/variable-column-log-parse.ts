import { PlanError } from '../../errors.js';
import type { Value } from '../../types/sql-type.js';
import { rowTypeOf, varcharColumns, varcharValue, type LogParser } from './log-parser.js';
import { checkConvertibleTypes, convertField, parseTypedColumnSpecs, type TypedColumnSpec } from './typed-column-spec.js';

const FN = 'VARIABLE_COLUMN_LOG_PARSE';

/**
 * VARIABLE_COLUMN_LOG_PARSE(input, columns, delimiter [, escape, quote]) (SQLREF
 * sql-reference-variable-column-log-parse). `columns` is a count n (COLUMN1..n VARCHAR(1024)) or a typed list
 * 'NAME TYPE t [NOT NULL], ...'. The input is split on the delimiter string; the escape string makes the next
 * character literal (so `a\,b` is one field `a,b`); the quote string is one character (begin = end) or two
 * (begin, end) and a quoted part keeps delimiters, its quote characters removed.
 * Fields missing at the end are NULL; fields beyond the last column are ignored (our choice: the page does
 * not say). A NULL input gives NULL.
 *
 * @example
 * planVariableColumnLogParse(3, ',').parse('a,"b,c",d') // with quote '"': ['a', 'b,c', 'd']
 */
export function planVariableColumnLogParse(
  columns: number | string,
  delimiter: string,
  escape: string | null = null,
  quote: string | null = null,
): LogParser {
  if (typeof delimiter !== 'string' || delimiter.length === 0) {
    throw new PlanError(`${FN}: the delimiter must be a non-empty string. Received '${delimiter}'`);
  }
  if (quote !== null && quote.length > 2) {
    throw new PlanError(`${FN}: the quote string must be one or two characters. Received '${quote}'`);
  }
  let specs: TypedColumnSpec[] | null = null;
  let count: number;
  if (typeof columns === 'number') {
    if (!Number.isInteger(columns) || columns < 1) {
      throw new PlanError(`${FN}: the number of columns must be a positive integer. Received ${columns}`);
    }
    count = columns;
  } else {
    specs = parseTypedColumnSpecs(FN, columns, false);
    checkConvertibleTypes(FN, specs);
    count = specs.length;
  }
  const fields = specs ? specs.map((s) => ({ name: s.name, type: s.type })) : varcharColumns(count);
  const esc = escape === null || escape === '' ? null : escape;
  const openQuote = quote === null || quote === '' ? null : quote[0];
  const closeQuote = quote === null || quote === '' ? null : (quote[1] ?? quote[0]);
  return {
    functionName: FN,
    fields,
    rowType: rowTypeOf(fields),
    parse(input) {
      if (input === null) return null;
      const parts = splitFields(input, delimiter, esc, openQuote, closeQuote, count);
      const out: Value[] = [];
      for (let i = 0; i < count; i++) {
        const text = i < parts.length ? parts[i] : null;
        out.push(specs ? convertField(FN, specs[i], text) : varcharValue(text));
      }
      return out;
    },
  };
}

/** Splits at most `limit` fields (the rest of the input is not needed). */
export function splitFields(
  input: string,
  delimiter: string,
  escape: string | null,
  openQuote: string | null,
  closeQuote: string | null,
  limit = Infinity,
): string[] {
  const out: string[] = [];
  let current = '';
  let inQuote = false;
  let i = 0;
  while (i < input.length) {
    if (escape !== null && input.startsWith(escape, i) && i + escape.length < input.length) {
      current += input[i + escape.length];
      i += escape.length + 1;
      continue;
    }
    const c = input[i];
    if (inQuote) {
      if (c === closeQuote) inQuote = false;
      else current += c;
      i++;
      continue;
    }
    if (openQuote !== null && c === openQuote) {
      inQuote = true;
      i++;
      continue;
    }
    if (input.startsWith(delimiter, i)) {
      out.push(current);
      if (out.length >= limit) return out;
      current = '';
      i += delimiter.length;
      continue;
    }
    current += c;
    i++;
  }
  out.push(current);
  return out;
}
