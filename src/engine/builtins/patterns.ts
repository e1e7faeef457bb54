/** Temporary LIKE / SIMILAR TO / Java-regex translation to JS RegExp, until the functions library lands. */
import { ExecutionError } from '../../errors.js';

const REGEX_SPECIAL = /[.*+?^${}()|[\]\\/-]/g;
const escapeRegex = (s: string) => s.replace(REGEX_SPECIAL, '\\$&');

/** LIKE pattern -> anchored RegExp (`%` any run, `_` one character, optional one-character escape). */
export function likeToRegExp(pattern: string, escape: string | null): RegExp {
  if (escape !== null && escape.length !== 1) throw new ExecutionError('INVALID_ESCAPE', `the LIKE escape must be one character, got '${escape}'`);
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (escape !== null && c === escape) {
      const n = pattern[i + 1];
      if (n === undefined) throw new ExecutionError('INVALID_ESCAPE', `LIKE pattern '${pattern}' ends with the escape character`);
      re += escapeRegex(n);
      i++;
    } else if (c === '%') re += '[\\s\\S]*';
    else if (c === '_') re += '[\\s\\S]';
    else re += escapeRegex(c);
  }
  return new RegExp(`^${re}$`);
}

/** SIMILAR TO pattern -> RegExp body (not anchored): `%` `_` as in LIKE, regex operators kept. */
export function similarToRegExpSource(pattern: string, escape: string | null): string {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (escape !== null && c === escape) {
      const n = pattern[i + 1];
      if (n === undefined) throw new ExecutionError('INVALID_ESCAPE', `SIMILAR TO pattern '${pattern}' ends with the escape character`);
      re += escapeRegex(n);
      i++;
    } else if (c === '%') re += '[\\s\\S]*';
    else if (c === '_') re += '[\\s\\S]';
    else if ('|*+?{}()[]'.includes(c)) re += c;
    else if (c === '^' && re.endsWith('[')) re += c;
    else if (c === '-' && /\[[^\]]*$/.test(re)) re += c;
    else re += escapeRegex(c);
  }
  return re;
}

export function similarToRegExp(pattern: string, escape: string | null): RegExp {
  try {
    return new RegExp(`^(?:${similarToRegExpSource(pattern, escape)})$`);
  } catch (e) {
    throw new ExecutionError('INVALID_PATTERN', `invalid SIMILAR TO pattern '${pattern}': ${(e as Error).message}`);
  }
}

/** A Java regular expression as a JS RegExp (the common syntax is the same; possessive/atomic forms are not). */
export function javaRegExp(pattern: string, flags = ''): RegExp {
  try {
    return new RegExp(pattern.replace(/\\Q([\s\S]*?)(\\E|$)/g, (_m, lit: string) => escapeRegex(lit)).replace(/\(\?<([a-zA-Z][a-zA-Z0-9]*)>/g, '(?<$1>'), flags);
  } catch (e) {
    throw new ExecutionError('INVALID_REGEX', `invalid regular expression '${pattern}': ${(e as Error).message}`);
  }
}

/** One-entry cache: patterns are nearly always constant per call site. */
export function cached<K, V>(make: (k: K, k2: K | null) => V): (k: K, k2?: K | null) => V {
  let lastK: K | undefined;
  let lastK2: K | null | undefined;
  let lastV: V | undefined;
  return (k: K, k2: K | null = null) => {
    if (lastV === undefined || k !== lastK || k2 !== lastK2) {
      lastV = make(k, k2);
      lastK = k;
      lastK2 = k2;
    }
    return lastV;
  };
}
