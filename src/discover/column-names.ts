/**
 * Column names from the keys of the records, made valid SQL identifiers the way KDA's schema discovery made them:
 * the case is kept (so `"price"` is written quoted in SQL, as the key was), characters an identifier cannot hold
 * become `_`, and a name that is a reserved word or does not start with a letter gets the prefix `COL_`
 * (`year` -> `COL_year`).
 */
import { RESERVED_WORDS } from '../sql/reserved-words.js';

/** KDA's limit on a column name's length. */
const MAX_NAME_LENGTH = 128;

export function columnName(raw: string): string {
  let name = raw.replace(/[^A-Za-z0-9_]/g, '_');
  if (name === '' || !/^[A-Za-z]/.test(name) || RESERVED_WORDS.has(name.toUpperCase())) name = `COL_${name}`;
  return name.slice(0, MAX_NAME_LENGTH);
}

/**
 * Names for a list of key paths (a nested key's path joined with `_`): each made valid, and made unique by a
 * suffix `_2`, `_3`... in the order given. Names compare case-insensitively for uniqueness, so that no two differ
 * only in case (unquoted SQL would not tell them apart).
 */
export function uniqueColumnNames(paths: readonly (readonly string[])[]): string[] {
  const used = new Set<string>();
  return paths.map((p) => {
    const base = columnName(p.join('_'));
    let name = base;
    for (let i = 2; used.has(name.toUpperCase()); i++) name = `${base}_${i}`;
    used.add(name.toUpperCase());
    return name;
  });
}
