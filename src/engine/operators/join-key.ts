import type { Value } from '../../types/sql-type.js';
import type { Evaluator } from '../compile-expression.js';

/** A hashable join key: the value itself for one key, a joined string for several; null when any part is NULL (never matches). */
export type JoinKey = string | number | boolean | null;

/** Evaluates equi-join key expressions into one {@link JoinKey} (NULL parts never match, as `=` gives UNKNOWN). */
export function joinKeyOf(keys: readonly Evaluator[], row: readonly Value[], rowtime: number): JoinKey {
  if (keys.length === 1) return part(keys[0](row, rowtime));
  let out = '';
  for (let i = 0; i < keys.length; i++) {
    const p = part(keys[i](row, rowtime));
    if (p === null) return null;
    out += `${typeof p}:${String(p)}\u0001`;
  }
  return out;
}

function part(v: Value): JoinKey {
  if (v === null) return null;
  if (v instanceof Uint8Array) return `bin:${Buffer.from(v).toString('hex')}`;
  if (Array.isArray(v)) return `row:${JSON.stringify(v)}`;
  // -0 and 0 are equal under `=`.
  if (typeof v === 'number') return v === 0 ? 0 : v;
  return v as string | boolean;
}
