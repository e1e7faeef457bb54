/**
 * SQL pattern matching: LIKE and SIMILAR TO, translated to anchored JavaScript RegExps.
 * Matching is per UTF-16 code unit (no `u` flag), like Java's char-based String.
 */
import { fail, FunctionErrorNames } from './function-errors.js';

type Str = string | null;

function escapeRegExpChar(ch: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(ch) ? '\\' + ch : ch;
}

function checkEscape(escape: string | undefined, what: string): string | undefined {
  if (escape !== undefined && escape.length !== 1) {
    fail(FunctionErrorNames.invalidEscape, `${what} ESCAPE must be exactly one character. Received '${escape}'`);
  }
  return escape;
}

const likeCache = new Map<string, RegExp>();

/**
 * The RegExp for a LIKE pattern: `_` is any one character, `%` any run of characters, everything else is itself
 * (case-sensitive). After the escape character only `_`, `%` or the escape character itself may follow.
 *
 * @throws ExecutionError INVALID_ESCAPE for an escape that is not one character or is followed by anything else
 * @example likeToRegExp('a\\_', '\\').test('a_') // true
 */
export function likeToRegExp(pattern: string, escape?: string): RegExp {
  const key = `${escape ?? ''}\u0000${pattern}`;
  const hit = likeCache.get(key);
  if (hit) return hit;
  checkEscape(escape, 'LIKE');
  let source = '^';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (escape !== undefined && ch === escape) {
      const next = pattern[i + 1];
      if (next === undefined || (next !== '_' && next !== '%' && next !== escape)) {
        fail(FunctionErrorNames.invalidEscape, `invalid escape sequence in LIKE pattern '${pattern}' at position ${i + 1}`);
      }
      source += escapeRegExpChar(next);
      i++;
    } else if (ch === '_') source += '.';
    else if (ch === '%') source += '.*';
    else source += escapeRegExpChar(ch);
  }
  const re = new RegExp(source + '$', 's');
  if (likeCache.size > 512) likeCache.clear();
  likeCache.set(key, re);
  return re;
}

/** `s LIKE pattern [ESCAPE e]`; NULL in any operand gives NULL (UNKNOWN). */
export function like(s: Str, pattern: Str, escape?: Str): boolean | null {
  if (s === null || pattern === null || escape === null) return null;
  return likeToRegExp(pattern, escape).test(s);
}

/** POSIX-style class names allowed inside SIMILAR TO brackets. */
const SIMILAR_CLASSES: Record<string, string> = {
  ALPHA: 'a-zA-Z',
  UPPER: 'A-Z',
  LOWER: 'a-z',
  DIGIT: '0-9',
  ALNUM: 'a-zA-Z0-9',
  SPACE: ' ',
  WHITESPACE: ' \\t\\n\\r\\f\\v',
};

/**
 * Translates the body of a SIMILAR TO pattern (no anchors) with every `(` non-capturing.
 * SQL SIMILAR TO metacharacters: `_ % | * + ? {m,n} ( ) [...]`; `.`, `^`, `$` and `\` are ordinary characters.
 */
function similarBody(pattern: string, escape: string | undefined): string {
  let out = '';
  let depth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (escape !== undefined && ch === escape) {
      const next = pattern[i + 1];
      if (next === undefined) fail(FunctionErrorNames.invalidEscape, `SIMILAR TO pattern '${pattern}' ends with its escape character`);
      out += escapeRegExpChar(next);
      i++;
      continue;
    }
    switch (ch) {
      case '_':
        out += '.';
        break;
      case '%':
        out += '.*';
        break;
      case '|':
      case '*':
      case '+':
      case '?':
        out += ch;
        break;
      case '(':
        depth++;
        out += '(?:';
        break;
      case ')':
        if (--depth < 0) fail(FunctionErrorNames.invalidArgument, `unbalanced ')' in SIMILAR TO pattern '${pattern}'`);
        out += ')';
        break;
      case '{': {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i));
        if (!m) fail(FunctionErrorNames.invalidArgument, `bad repetition at position ${i + 1} of SIMILAR TO pattern '${pattern}'`);
        out += m[0];
        i += m[0].length - 1;
        break;
      }
      case '[': {
        const end = findClassEnd(pattern, i);
        out += similarClass(pattern.slice(i + 1, end), pattern);
        i = end;
        break;
      }
      default:
        out += escapeRegExpChar(ch);
    }
  }
  if (depth !== 0) fail(FunctionErrorNames.invalidArgument, `unbalanced '(' in SIMILAR TO pattern '${pattern}'`);
  return out;
}

function findClassEnd(pattern: string, open: number): number {
  let i = open + 1;
  if (pattern[i] === '^') i++;
  if (pattern[i] === ']') i++;
  while (i < pattern.length) {
    if (pattern.startsWith('[:', i)) {
      const close = pattern.indexOf(':]', i + 2);
      if (close > 0) {
        i = close + 2;
        continue;
      }
    }
    if (pattern[i] === ']') return i;
    i++;
  }
  fail(FunctionErrorNames.invalidArgument, `unclosed '[' in SIMILAR TO pattern '${pattern}'`);
}

function similarClass(body: string, pattern: string): string {
  let out = '';
  let i = 0;
  if (body[0] === '^') {
    out += '^';
    i = 1;
  }
  for (; i < body.length; i++) {
    if (body.startsWith('[:', i)) {
      const close = body.indexOf(':]', i + 2);
      const name = body.slice(i + 2, close).toUpperCase();
      const cls = SIMILAR_CLASSES[name];
      if (cls === undefined) fail(FunctionErrorNames.invalidArgument, `unknown class [:${name}:] in SIMILAR TO pattern '${pattern}'`);
      out += cls;
      i = close + 1;
      continue;
    }
    const ch = body[i];
    out += ch === '-' && i > 0 && i < body.length - 1 ? '-' : /[\\\]^[-]/.test(ch) ? '\\' + ch : ch;
  }
  return `[${out}]`;
}

const similarCache = new Map<string, RegExp>();

/**
 * The RegExp for a SIMILAR TO pattern (matching the whole string).
 *
 * @throws ExecutionError INVALID_ESCAPE / INVALID_ARGUMENT for a malformed pattern
 * @example similarToRegExp('%TECH%').test('TECHNOLOGY') // true
 */
export function similarToRegExp(pattern: string, escape?: string): RegExp {
  const key = `${escape ?? ''}\u0000${pattern}`;
  const hit = similarCache.get(key);
  if (hit) return hit;
  checkEscape(escape, 'SIMILAR TO');
  const re = new RegExp(`^(?:${similarBody(pattern, escape)})$`, 's');
  if (similarCache.size > 512) similarCache.clear();
  similarCache.set(key, re);
  return re;
}

/** `s SIMILAR TO pattern [ESCAPE e]`; NULL in any operand gives NULL. */
export function similarTo(s: Str, pattern: Str, escape?: Str): boolean | null {
  if (s === null || pattern === null || escape === null) return null;
  return similarToRegExp(pattern, escape).test(s);
}

const substringSimilarCache = new Map<string, RegExp>();

/**
 * SUBSTRING(s SIMILAR pattern ESCAPE e): the pattern is three SIMILAR TO patterns separated by `e"`. The first
 * place in s where they match in turn is found (KDA searches: the SQLREF example takes '456' out of '123456789'
 * with '23#"456#"78'), and the text matched by the middle one is returned; NULL if they match nowhere.
 *
 * @throws ExecutionError INVALID_ARGUMENT when the pattern does not have exactly two `e"` separators
 * @example substringSimilar('123456789', '23#"456#"78', '#') // '456'
 */
export function substringSimilar(s: Str, pattern: Str, escape: Str): Str {
  if (s === null || pattern === null || escape === null) return null;
  checkEscape(escape, 'SUBSTRING SIMILAR');
  const separator = escape + '"';
  const parts = pattern.split(separator);
  if (parts.length !== 3) {
    fail(FunctionErrorNames.invalidArgument, `SUBSTRING SIMILAR pattern '${pattern}' must contain exactly two ${separator} separators`);
  }
  const key = `${escape}\u0000${pattern}`;
  let re = substringSimilarCache.get(key);
  if (re === undefined) {
    re = new RegExp(`(?:${similarBody(parts[0], escape)})(?<m>${similarBody(parts[1], escape)})(?:${similarBody(parts[2], escape)})`, 's');
    if (substringSimilarCache.size > 512) substringSimilarCache.clear();
    substringSimilarCache.set(key, re);
  }
  const m = re.exec(s);
  return m ? m.groups!.m : null;
}
