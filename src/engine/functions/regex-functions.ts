/**
 * The scalar functions that take Java regular expressions: REGEX_REPLACE and SUBSTRING(s FROM regex).
 */
import { fail, FunctionErrorNames } from './function-errors.js';
import { compileJavaRegex, javaGroup, type JavaRegex } from './regex-translation.js';

type Str = string | null;
type Int = number | null;

/** A parsed Java replacement string: literal text and group references. */
type ReplacementPart = string | { readonly group: number };

const replacementCache = new Map<string, ReplacementPart[]>();

/**
 * Parses a replacement string as java.util.regex.Matcher.appendReplacement does: `$n` (more digits are taken
 * while such a group exists), `${name}`, and `\x` for a literal x.
 *
 * @throws ExecutionError INVALID_ARGUMENT for the cases Java rejects (a lone `$` or `\` at the end, `$` not
 * followed by a digit or `{`, a group that does not exist); REGEX_REPLACE reads it only when something matched
 */
export function parseJavaReplacement(replacement: string, regex: JavaRegex): ReplacementPart[] {
  const key = `${regex.pattern}\u0000${replacement}`;
  const hit = replacementCache.get(key);
  if (hit) return hit;
  const bad = (why: string): never =>
    fail(FunctionErrorNames.invalidArgument, `bad REGEX_REPLACE replacement '${replacement}': ${why}`);
  const parts: ReplacementPart[] = [];
  let text = '';
  for (let i = 0; i < replacement.length; ) {
    const ch = replacement[i];
    if (ch === '\\') {
      if (i + 1 >= replacement.length) bad('character to be escaped is missing');
      text += replacement[i + 1];
      i += 2;
    } else if (ch === '$') {
      i++;
      if (i >= replacement.length) bad('group index is missing after $');
      let group: number;
      if (replacement[i] === '{') {
        const close = replacement.indexOf('}', i);
        const name = close < 0 ? '' : replacement.slice(i + 1, close);
        if (!/^[a-zA-Z][a-zA-Z0-9]*$/.test(name)) bad('named group reference is malformed');
        const n = regex.groupNames.get(name);
        if (n === undefined) return bad(`no group with name {${name}}`);
        group = n;
        i = close + 1;
      } else {
        if (!/[0-9]/.test(replacement[i])) bad('illegal group reference');
        group = Number(replacement[i++]);
        while (i < replacement.length && /[0-9]/.test(replacement[i])) {
          const next = group * 10 + Number(replacement[i]);
          if (next > regex.groupCount) break;
          group = next;
          i++;
        }
        if (group > regex.groupCount) bad(`no group ${group}`);
      }
      if (text) parts.push(text);
      text = '';
      parts.push({ group });
    } else {
      text += ch;
      i++;
    }
  }
  if (text) parts.push(text);
  if (replacementCache.size > 512) replacementCache.clear();
  replacementCache.set(key, parts);
  return parts;
}

/** Runs `onMatch` for each match in turn, advancing past empty matches as java.util.regex.Matcher.find does. */
function eachMatch(regex: RegExp, s: string, onMatch: (m: RegExpExecArray) => boolean): void {
  let from = 0;
  while (from <= s.length) {
    regex.lastIndex = from;
    const m = regex.exec(s);
    if (m === null) return;
    if (!onMatch(m)) return;
    const end = m.index + m[0].length;
    from = m[0].length === 0 ? end + 1 : end;
  }
}

/**
 * REGEX_REPLACE(original, regex, replacement, startPosition, occurrence): java.lang.String.replaceAll semantics
 * (Java regex syntax, `$n` group references) applied from `startPosition` (1-based) on; `occurrence` 0 replaces
 * every match, n > 0 only the n-th.
 *
 * @throws ExecutionError INVALID_ARGUMENT for startPosition < 1 or occurrence < 0 (SQLREF: an error-stream row),
 * INVALID_REGEX / UNSUPPORTED_REGEX for the regex
 * @example regexReplace('2020-01-31', '(\\d+)-(\\d+)-(\\d+)', '$3/$2/$1', 1, 0) // '31/01/2020'
 */
export function regexReplace(original: Str, regex: Str, replacement: Str, startPosition: Int, occurrence: Int): Str {
  if (original === null || regex === null || replacement === null || startPosition === null || occurrence === null) return null;
  if (!(startPosition >= 1)) fail(FunctionErrorNames.invalidArgument, `REGEX_REPLACE startPosition must be at least 1. Received ${startPosition}`);
  if (!(occurrence >= 0)) fail(FunctionErrorNames.invalidArgument, `REGEX_REPLACE occurrence must not be negative. Received ${occurrence}`);
  const compiled = compileJavaRegex(regex);
  // Like Matcher.appendReplacement, the replacement is read only once there is a match to replace.
  let parts: ReplacementPart[] | null = null;
  const start = Math.trunc(startPosition);
  if (start > original.length) return original;
  const head = original.slice(0, start - 1);
  const s = original.slice(start - 1);
  let out = '';
  let copied = 0;
  let seen = 0;
  eachMatch(compiled.regex, s, (m) => {
    seen++;
    if (occurrence !== 0 && seen !== occurrence) return true;
    out += s.slice(copied, m.index);
    parts ??= parseJavaReplacement(replacement, compiled);
    for (const p of parts) out += typeof p === 'string' ? p : (javaGroup(m, p.group) ?? '');
    copied = m.index + m[0].length;
    return occurrence === 0;
  });
  return head + out + s.slice(copied);
}

/**
 * SUBSTRING(s FROM regex): the first match of the Java regex in s, NULL when there is none.
 *
 * @example substringRegex('TECHNOLOGY', 'L[A-Z]*') // 'LOGY'
 */
export function substringRegex(s: Str, regex: Str): Str {
  if (s === null || regex === null) return null;
  const compiled = compileJavaRegex(regex);
  compiled.regex.lastIndex = 0;
  const m = compiled.regex.exec(s);
  return m === null ? null : m[0];
}
