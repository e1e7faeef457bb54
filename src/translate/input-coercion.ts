/**
 * How a mapped source value becomes a column value, as KDA's input schema coerces it (our input decoder:
 * src/input/README.md, "Coercion"): the job's SA_JSON_* UDFs (flink/: JsonInput and its users) read the value as a
 * one-element JSON array, so they see its JSON kind (the string "42" and the number 42, true and "true" coerce
 * differently). A value that does not fit its column is NULL there; the input view (source-translator.ts) then drops
 * the row, which KDA sends to error_stream.
 */
import { IntegerRange, isIntegerType, type SqlType } from '../types/sql-type.js';
import { flinkType } from './flink-dialect.js';

/** The largest finite REAL (32-bit float), the range our decoder checks for REAL columns. */
const REAL_MAX = '3.4028234663852886E38';
const DOUBLE_MAX = '1.7976931348623157E308';

/** Whether a column of this type is read through an SA_JSON_* coercion (the others: CHAR/VARCHAR text, BINARY). */
export function isCoercedType(t: SqlType): boolean {
  return isIntegerType(t) || ['BOOLEAN', 'REAL', 'DOUBLE', 'DECIMAL', 'TIMESTAMP', 'DATE', 'TIME'].includes(t.kind);
}

/**
 * The column value of `wrapped`, a Flink expression giving the value as a one-element JSON array (`[42]`, `["x"]`;
 * `[]` or NULL for none), or null for column types read otherwise (CHAR/VARCHAR take the value's text; BINARY).
 */
export function coerceWrappedValue(wrapped: string, t: SqlType): string | null {
  if (isIntegerType(t)) {
    const [lo, hi] = IntegerRange[t.kind];
    return `CAST(SA_JSON_INTEGER(${wrapped}, CAST(${lo} AS BIGINT), CAST(${hi} AS BIGINT)) AS ${flinkType(t)})`;
  }
  switch (t.kind) {
    case 'BOOLEAN':
      return `SA_JSON_BOOLEAN(${wrapped})`;
    case 'REAL':
      return `CAST(SA_JSON_DOUBLE(${wrapped}, CAST(${REAL_MAX} AS DOUBLE)) AS ${flinkType(t)})`;
    case 'DOUBLE':
      return `SA_JSON_DOUBLE(${wrapped}, CAST(${DOUBLE_MAX} AS DOUBLE))`;
    case 'DECIMAL':
      return `CAST(SA_JSON_DECIMAL(${wrapped}, ${t.precision}, ${t.scale}) AS ${flinkType(t)})`;
    case 'TIMESTAMP':
      return `SA_JSON_TIMESTAMP(${wrapped})`;
    case 'DATE':
      return `SA_JSON_DATE(${wrapped})`;
    case 'TIME':
      return `SA_JSON_TIME(${wrapped})`;
    default:
      return null;
  }
}

/** A mapped JSON value as a one-element array (JSON_QUERY gives none for a missing member). */
export function wrappedJsonValue(doc: string, path: string): string {
  return `JSON_QUERY(${doc}, ${path} WITH UNCONDITIONAL ARRAY WRAPPER)`;
}

/** A CSV field as a one-element array holding it as a JSON string; an empty or missing field is none. */
export function wrappedTextValue(field: string): string {
  return `JSON_ARRAY(NULLIF(${field}, ''))`;
}
