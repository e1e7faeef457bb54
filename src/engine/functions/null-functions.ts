/**
 * COALESCE and NULLIF over run-time values (the engine coerces the arguments to their common type first).
 */
import type { Value } from '../../types/sql-type.js';

/** SQL equality of two non-null run-time values of the same type (numbers, strings, booleans, bytes, rows). */
export function sqlValuesEqual(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    return a.length === b.length && a.every((x, i) => x === b[i]);
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => (x === null ? b[i] === null : b[i] !== null && sqlValuesEqual(x, b[i])));
  }
  return false;
}

/** COALESCE(v1, v2, ...): the first argument that is not NULL, else NULL. @example coalesce(null, 2, 5) // 2 */
export function coalesce(...values: Value[]): Value {
  for (const v of values) if (v !== null) return v;
  return null;
}

/** NULLIF(a, b): NULL when a equals b, else a (NULL when a is NULL). @example nullif(4, 4) // null */
export function nullif(a: Value, b: Value): Value {
  if (a === null) return null;
  if (b !== null && sqlValuesEqual(a, b)) return null;
  return a;
}
