/**
 * Translates a java.util.regex pattern into an equivalent JavaScript RegExp, for REGEX_LOG_PARSE.
 *
 * Differences handled: possessive quantifiers (X*+ X++ X?+ X{n,m}+) and atomic groups (?>X), emulated with a
 * lookahead and a backreference; \Q...\E quoting; \A \z \Z and Java's `$` (which also matches before a final line
 * terminator); \h \H \v \R \e \a \x{h} and octal \0n escapes; POSIX classes \p{Alpha} etc. (also inside a
 * class); leading inline flags (?i) (?s) (?m) (?x) (?u) (?d). Every capturing group (numbered or named) becomes a
 * JS named group `__gN` so that the emulation groups do not shift the numbering; `\N` and `\k<name>`
 * backreferences are rewritten accordingly. Constructs with no JS equivalent (class intersection `&&`, inline
 * flags after the start, \G, \X, Unicode properties other than the POSIX ones) raise
 * {@link JavaRegexTranslationError} with the position.
 */
export interface TranslatedRegex {
  readonly source: string;
  readonly flags: string;
  /** Number of capturing groups of the Java pattern: group i (1-based) is `match.groups['__g' + i]`. */
  readonly groupCount: number;
}

export class JavaRegexTranslationError extends Error {
  constructor(message: string, pattern: string, index: number) {
    super(`${message} at index ${index} of the regular expression '${pattern}'`);
    this.name = 'JavaRegexTranslationError';
  }
}

const POSIX: Record<string, string> = {
  Lower: 'a-z',
  Upper: 'A-Z',
  ASCII: '\\x00-\\x7F',
  Alpha: 'a-zA-Z',
  Digit: '0-9',
  Alnum: 'a-zA-Z0-9',
  Punct: '!-\\/:-@\\[-`{-~',
  Graph: '!-~',
  Print: ' -~',
  Blank: ' \\t',
  Cntrl: '\\x00-\\x1F\\x7F',
  XDigit: '0-9a-fA-F',
  Space: ' \\t\\n\\x0B\\f\\r',
  javaLowerCase: 'a-z',
  javaUpperCase: 'A-Z',
  javaWhitespace: ' \\t\\n\\x0B\\f\\r\\x1C-\\x1F',
  L: 'a-zA-Z\\u00C0-\\u024F',
  IsAlphabetic: 'a-zA-Z\\u00C0-\\u024F',
  IsDigit: '0-9',
  IsLetter: 'a-zA-Z\\u00C0-\\u024F',
};
const HORIZONTAL_SPACE = ' \\t\\xA0\\u1680\\u180e\\u2000-\\u200a\\u202f\\u205f\\u3000';
const VERTICAL_SPACE = '\\n\\x0B\\f\\r\\x85\\u2028\\u2029';
const JAVA_END = '(?=(?:\\r\\n|[\\n\\r\\u0085\\u2028\\u2029])?$)';

/**
 * @example
 * const t = translateJavaRegex('(\\w+)++x');
 * new RegExp(t.source, t.flags).exec('abx')?.groups?.__g1 // 'ab'
 */
export function translateJavaRegex(pattern: string): TranslatedRegex {
  let i = 0;
  const flags = new Set<string>();
  // Leading inline flags apply to the whole pattern.
  for (;;) {
    const m = /^\(\?([imsxud]+)\)/.exec(pattern.slice(i));
    if (!m) break;
    for (const f of m[1]) flags.add(f);
    i += m[0].length;
  }
  const comments = flags.has('x');
  const multiline = flags.has('m');
  let out = '';
  let groupCount = 0;
  let atomicCount = 0;
  const names = new Map<string, number>();
  // Start offsets (in `out`) of the atoms a quantifier may follow: the last one, and an open-group stack.
  let lastAtomStart = -1;
  const groupStarts: number[] = [];
  // Parallel to groupStarts: for each open group, its atomic-emulation number (0 = not atomic).
  const atomicMarkers: number[] = [];
  const fail = (message: string, at = i): never => {
    throw new JavaRegexTranslationError(message, pattern, at);
  };

  const readEscape = (inClass: boolean): string => {
    // pattern[i] === '\\'
    const c = pattern[i + 1];
    if (c === undefined) fail('trailing backslash');
    i += 2;
    switch (c) {
      case 'Q': {
        const end = pattern.indexOf('\\E', i);
        const literal = end < 0 ? pattern.slice(i) : pattern.slice(i, end);
        i = end < 0 ? pattern.length : end + 2;
        return literal.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
      }
      case 'A':
        if (inClass) fail('\\A inside a character class');
        return '^';
      case 'z':
        if (inClass) fail('\\z inside a character class');
        return '$';
      case 'Z':
        if (inClass) fail('\\Z inside a character class');
        return JAVA_END;
      case 'h':
        return inClass ? HORIZONTAL_SPACE : `[${HORIZONTAL_SPACE}]`;
      case 'H':
        if (inClass) fail('\\H inside a character class is not supported');
        return `[^${HORIZONTAL_SPACE}]`;
      case 'v':
        return inClass ? VERTICAL_SPACE : `[${VERTICAL_SPACE}]`;
      case 'V':
        if (inClass) fail('\\V inside a character class is not supported');
        return `[^${VERTICAL_SPACE}]`;
      case 'R':
        if (inClass) fail('\\R inside a character class');
        return '(?:\\r\\n|[\\n\\x0B\\f\\r\\x85\\u2028\\u2029])';
      case 'e':
        return '\\x1B';
      case 'a':
        return '\\x07';
      case 'G':
      case 'X':
        return fail(`\\${c} is not supported`, i - 2);
      case 'x': {
        if (pattern[i] === '{') {
          const end = pattern.indexOf('}', i);
          if (end < 0) fail('unclosed \\x{');
          const code = parseInt(pattern.slice(i + 1, end), 16);
          i = end + 1;
          if (!(code >= 0 && code <= 0xffff)) fail('\\x{...} beyond U+FFFF is not supported');
          return `\\u${code.toString(16).padStart(4, '0')}`;
        }
        const hex = pattern.slice(i, i + 2);
        if (!/^[0-9a-fA-F]{2}$/.test(hex)) fail('bad \\x escape');
        i += 2;
        return `\\x${hex}`;
      }
      case '0': {
        const m = /^[0-3]?[0-7]{1,2}/.exec(pattern.slice(i)) ?? fail('bad octal escape');
        i += m[0].length;
        return `\\x${parseInt(m[0], 8).toString(16).padStart(2, '0')}`;
      }
      case 'p':
      case 'P': {
        let name: string;
        if (pattern[i] === '{') {
          const end = pattern.indexOf('}', i);
          if (end < 0) fail('unclosed \\p{');
          name = pattern.slice(i + 1, end);
          i = end + 1;
        } else {
          name = pattern[i++];
        }
        const bare = name.replace(/^Is/, '') in POSIX && !(name in POSIX) ? name.replace(/^Is/, '') : name;
        const set = POSIX[bare] ?? fail(`the character property \\${c}{${name}} is not supported`);
        if (c === 'P') {
          if (inClass) fail(`\\P{${name}} inside a character class is not supported`);
          return `[^${set}]`;
        }
        return inClass ? set : `[${set}]`;
      }
      case 'k': {
        const m = /^<([a-zA-Z][a-zA-Z0-9]*)>/.exec(pattern.slice(i)) ?? fail('bad \\k<name> reference');
        i += m[0].length;
        const n = names.get(m[1]) ?? fail(`reference to an undefined group <${m[1]}>`);
        return `\\k<__g${n}>`;
      }
      default:
        if (!inClass && c >= '1' && c <= '9') {
          // Java takes as many digits as form an existing group number.
          let digits = c;
          while (/[0-9]/.test(pattern[i] ?? '') && Number(digits + pattern[i]) <= groupCount) digits += pattern[i++];
          return `\\k<__g${Number(digits)}>`;
        }
        return `\\${c}`;
    }
  };

  while (i < pattern.length) {
    const c = pattern[i];
    if (comments && /\s/.test(c)) {
      i++;
      continue;
    }
    if (comments && c === '#') {
      while (i < pattern.length && pattern[i] !== '\n') i++;
      continue;
    }
    if (c === '\\') {
      const start = out.length;
      out += readEscape(false);
      lastAtomStart = start;
      continue;
    }
    if (c === '[') {
      const start = out.length;
      out += readClass();
      lastAtomStart = start;
      continue;
    }
    if (c === '(') {
      groupStarts.push(out.length);
      const rest = pattern.slice(i);
      if (rest.startsWith('(?>')) {
        out += `(?=(?<__a${++atomicCount}>`;
        i += 3;
        atomicMarkers.push(atomicCount);
      } else if (/^\(\?<[a-zA-Z]/.test(rest)) {
        const m = /^\(\?<([a-zA-Z][a-zA-Z0-9]*)>/.exec(rest) ?? fail('bad group name');
        names.set(m[1], ++groupCount);
        out += `(?<__g${groupCount}>`;
        i += m[0].length;
        atomicMarkers.push(0);
      } else if (/^\(\?(?:[:=!]|<[=!])/.test(rest)) {
        const m = /^\(\?(?:[:=!]|<[=!])/.exec(rest) as RegExpExecArray;
        out += m[0];
        i += m[0].length;
        atomicMarkers.push(0);
      } else if (rest.startsWith('(?')) {
        const m = /^\(\?([imsxud-]+):/.exec(rest);
        if (m) fail(`inline flags (?${m[1]}:...) are not supported`);
        fail('inline flags are supported only at the start of the pattern');
      } else {
        out += `(?<__g${++groupCount}>`;
        i += 1;
        atomicMarkers.push(0);
      }
      continue;
    }
    if (c === ')') {
      const start = groupStarts.pop();
      const atomic = atomicMarkers.pop();
      if (start === undefined || atomic === undefined) fail('unmatched )');
      out += atomic ? `))\\k<__a${atomic}>` : ')';
      i++;
      lastAtomStart = start as number;
      continue;
    }
    if (c === '*' || c === '+' || c === '?' || (c === '{' && /^\{\d+(?:,\d*)?\}/.test(pattern.slice(i)))) {
      const m = /^(?:[*+?]|\{\d+(?:,\d*)?\})/.exec(pattern.slice(i)) as RegExpExecArray;
      i += m[0].length;
      if (lastAtomStart < 0) fail('quantifier without anything to repeat', i - m[0].length);
      if (pattern[i] === '+') {
        // Possessive: match greedily once, never give back.
        i++;
        const atom = out.slice(lastAtomStart);
        const n = ++atomicCount;
        out = `${out.slice(0, lastAtomStart)}(?=(?<__a${n}>(?:${atom})${m[0]}))\\k<__a${n}>`;
      } else {
        out += m[0];
        if (pattern[i] === '?') {
          out += '?';
          i++;
        }
      }
      lastAtomStart = -1;
      continue;
    }
    if (c === '$') {
      const start = out.length;
      out += multiline ? '$' : JAVA_END;
      lastAtomStart = start;
      i++;
      continue;
    }
    const start = out.length;
    out += c === '/' ? '\\/' : c;
    lastAtomStart = c === '|' || c === '^' ? -1 : start;
    i++;
  }
  if (groupStarts.length > 0) fail('unclosed group', pattern.length);

  function readClass(): string {
    // pattern[i] === '['
    let s = '[';
    i++;
    if (pattern[i] === '^') {
      s += '^';
      i++;
    }
    let first = true;
    while (i < pattern.length) {
      const c = pattern[i];
      if (c === ']' && !first) {
        i++;
        return `${s}]`;
      }
      first = false;
      if (c === '[') {
        // Java class union [a[bc]]: inline the inner class's members.
        const inner = readClass();
        if (inner.startsWith('[^')) fail('a negated class inside a class is not supported');
        s += inner.slice(1, -1);
        continue;
      }
      if (c === '&' && pattern[i + 1] === '&') fail('character class intersection (&&) is not supported');
      if (c === '\\') {
        s += readEscape(true);
        continue;
      }
      // A ']' first in a Java class is a literal; in JS '[]' would be an empty class.
      s += c === '/' ? '\\/' : c === ']' ? '\\]' : c;
      i++;
    }
    return fail('unclosed character class', pattern.length);
  }

  const jsFlags = `${flags.has('i') ? 'i' : ''}${flags.has('s') ? 's' : ''}${multiline ? 'm' : ''}`;
  try {
    new RegExp(out, jsFlags);
  } catch (e) {
    fail(`the pattern is not valid (${(e as Error).message})`, 0);
  }
  return { source: out, flags: jsFlags, groupCount };
}
