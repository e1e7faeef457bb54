/**
 * Translates Java regular expressions (java.util.regex.Pattern syntax, which KDA's REGEX_REPLACE,
 * SUBSTRING(s FROM regex) and the log parsers take) into JavaScript RegExps with the same matching behaviour.
 *
 * What changes on the way:
 * - capturing groups become named groups `(?<jN>...)`, so group N is `match.groups.jN` whatever helper groups
 *   the translation adds; Java named groups keep their number and are mapped by name;
 * - possessive quantifiers (`a*+`) and atomic groups (`(?>...)`) become `(?=(?<hK>...))\k<hK>` (a JS lookahead
 *   does not backtrack into itself, which is exactly atomic matching);
 * - `\Q...\E` quoting, `\e \a \x{h..} \0oo \cX`, `\h \v \R \A \z \Z`, POSIX and java.lang.Character classes
 *   (`\p{Alpha}`, `\p{javaLowerCase}`), Unicode categories/scripts (`\p{L}`, `\p{IsLatin}`) are rewritten;
 * - Java's `\s`, `.` and `$` use Java's own character sets (JS `\s` is wider, JS `.` admits U+0085, JS `$`
 *   does not match before a final line break);
 * - inline flags `(?imsxd-imsxd)` and `(?i:...)` are applied while translating: `.`/`^`/`$` follow `s`/`m`/`d`,
 *   `x` drops whitespace and comments, and a case-insensitive part that is not the whole pattern is expanded
 *   into case pairs (ASCII only, like Java without UNICODE_CASE);
 * - character-class union `[a[b]]` and intersection `[a-z&&[^aeiou]]` become alternations and lookaheads;
 * - `\b`/`\B` treat Unicode letters and digits as word characters (Java 8 to 18), `\R` never splits `\r\n`, a
 *   quantifier after `\Q...\E` binds to its last character, and `X?` is an alternation so that a group matching
 *   nothing still counts as matched.
 * java-reference/ checks all this against the JDK's own answers.
 *
 * Known differences: inside `*`/`+`/`{n,}` a group that matches the empty string reports no match where Java
 * reports ''; Java keeps group values from failed attempts at earlier positions, JavaScript does not; with
 * `(?i)` a back reference compares case-sensitively unless the whole pattern is case-insensitive and ASCII.
 *
 * Not translatable (thrown as UNSUPPORTED_REGEX): `\G`, `\X`, `\N{...}`, Unicode blocks `\p{InGreek}`,
 * UNICODE_CHARACTER_CLASS `(?U)`, CANON_EQ. A pattern Java itself rejects is INVALID_REGEX.
 */
import { fail, FunctionErrorNames } from './function-errors.js';

export interface TranslatedRegex {
  /** JavaScript source; capture group N of the Java pattern is the named group `j<N>`. */
  readonly source: string;
  /** JavaScript flags, without `g`/`y` (always `u`, plus `i` when the whole pattern is case-insensitive). */
  readonly flags: string;
  /** How many capturing groups the Java pattern has. */
  readonly groupCount: number;
  /** Java group names and their numbers. */
  readonly groupNames: ReadonlyMap<string, number>;
}

interface Flags {
  i: boolean; // CASE_INSENSITIVE
  s: boolean; // DOTALL
  m: boolean; // MULTILINE
  x: boolean; // COMMENTS
  d: boolean; // UNIX_LINES
  u: boolean; // UNICODE_CASE
}

/** A set of characters being built from a Java class, emitted as a JS class or, when needed, a group. */
type CharSet =
  | { kind: 'items'; negated: boolean; parts: string[] }
  | { kind: 'union'; sets: CharSet[]; negated: boolean }
  | { kind: 'intersect'; a: CharSet; b: CharSet; negated: boolean };

const JAVA_LINE_TERMINATORS = '\\n\\r\\x85\\u2028\\u2029';
/**
 * A word character for \b and \B: Java up to 18 (KDA ran on Java 8) takes letters, digits, non-spacing marks
 * and '_' from all of Unicode there, unlike its own ASCII \w.
 */
const JAVA_WORD = '[\\p{L}\\p{Nd}\\p{Mn}_]';
const SYNTAX_CHARS = new Set('^$\\.*+?()[]{}|/'.split(''));
const CLASS_SPECIAL = new Set('\\]-[^'.split(''));

function invalid(pattern: string, index: number, what: string): never {
  fail(FunctionErrorNames.invalidRegex, `invalid regular expression '${pattern}' at index ${index}: ${what}`);
}

function unsupported(pattern: string, what: string): never {
  fail(FunctionErrorNames.unsupportedRegex, `regular expression '${pattern}' uses ${what}, which this engine cannot run`);
}

/** A code point written so it is literal in a JS `u` regex outside a class. */
function literal(cp: number): string {
  const ch = String.fromCodePoint(cp);
  if (SYNTAX_CHARS.has(ch)) return '\\' + ch;
  if (cp < 0x20 || cp === 0x7f || (cp >= 0x80 && cp < 0xa0) || cp === 0x2028 || cp === 0x2029) return `\\u{${cp.toString(16)}}`;
  return ch;
}

/** A code point written so it is literal inside a JS `u` class. */
function classLiteral(cp: number): string {
  const ch = String.fromCodePoint(cp);
  if (CLASS_SPECIAL.has(ch)) return '\\' + ch;
  if (cp < 0x20 || cp === 0x7f || (cp >= 0x80 && cp < 0xa0) || cp === 0x2028 || cp === 0x2029) return `\\u{${cp.toString(16)}}`;
  return ch;
}

/** Other-case variants of a code point: ASCII letters only, or any letter with UNICODE_CASE. */
function caseVariants(cp: number, unicode: boolean): number[] {
  if (!unicode && cp > 0x7f) return [];
  const ch = String.fromCodePoint(cp);
  const out = new Set<number>();
  for (const v of [ch.toLowerCase(), ch.toUpperCase()]) {
    const c = v.codePointAt(0)!;
    if (v.length === String.fromCodePoint(c).length && c !== cp && (unicode || c <= 0x7f)) out.add(c);
  }
  return [...out];
}

/** POSIX classes (ASCII in Java unless UNICODE_CHARACTER_CLASS) as JS class contents. */
const POSIX: Record<string, string> = {
  Lower: 'a-z',
  Upper: 'A-Z',
  ASCII: '\\u{0}-\\u{7f}',
  Alpha: 'a-zA-Z',
  Digit: '0-9',
  Alnum: 'a-zA-Z0-9',
  Punct: '!-\\/:-@\\[-`{-~',
  Graph: '!-~',
  Print: ' -~',
  Blank: ' \\t',
  Cntrl: '\\u{0}-\\u{1f}\\u{7f}',
  XDigit: '0-9a-fA-F',
  Space: ' \\t\\n\\u{b}\\f\\r',
};

/** java.lang.Character predicates, as close JS Unicode properties. */
const JAVA_CHARACTER: Record<string, string> = {
  javaLowerCase: '\\p{Lowercase}',
  javaUpperCase: '\\p{Uppercase}',
  javaTitleCase: '\\p{Lt}',
  javaDigit: '\\p{Nd}',
  javaDefined: '\\P{Cn}',
  javaLetter: '\\p{L}',
  javaLetterOrDigit: '\\p{L}\\p{Nd}',
  javaAlphabetic: '\\p{Alphabetic}',
  javaIdeographic: '\\p{Ideographic}',
  javaSpaceChar: '\\p{Zs}\\p{Zl}\\p{Zp}',
  javaWhitespace: '\\t-\\r\\u{1c}-\\u{1f} \\u{1680}\\u{2000}-\\u{2006}\\u{2008}-\\u{200a}\\u{2028}\\u{2029}\\u{205f}\\u{3000}',
  javaISOControl: '\\u{0}-\\u{1f}\\u{7f}-\\u{9f}',
  javaMirrored: '\\p{Bidi_M}',
};

/** Unicode binary properties Java accepts after `Is`, by their JS names. */
const BINARY_PROPERTIES: Record<string, string> = {
  ALPHABETIC: 'Alphabetic',
  IDEOGRAPHIC: 'Ideographic',
  LETTER: 'L',
  LOWERCASE: 'Lowercase',
  UPPERCASE: 'Uppercase',
  TITLECASE: 'Lt',
  PUNCTUATION: 'P',
  CONTROL: 'Cc',
  WHITE_SPACE: 'White_Space',
  WHITESPACE: 'White_Space',
  DIGIT: 'Nd',
  HEX_DIGIT: 'Hex_Digit',
  HEXDIGIT: 'Hex_Digit',
  JOIN_CONTROL: 'Join_Control',
  JOINCONTROL: 'Join_Control',
  NONCHARACTER_CODE_POINT: 'Noncharacter_Code_Point',
  NONCHARACTERCODEPOINT: 'Noncharacter_Code_Point',
  ASSIGNED: 'Assigned',
  EMOJI: 'Emoji',
};

function jsPropertyValid(body: string): boolean {
  try {
    new RegExp(`\\p{${body}}`, 'u');
    return true;
  } catch {
    return false;
  }
}

function scriptName(name: string): string {
  return name
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase())
    .join('_');
}

/** Resolves the name inside `\p{...}` to JS class contents. */
function propertyContents(pattern: string, index: number, name: string): string {
  if (name in POSIX) return POSIX[name];
  if (name in JAVA_CHARACTER) return JAVA_CHARACTER[name];
  if (/^In/.test(name) || /^(blk|block)=/i.test(name)) unsupported(pattern, `the Unicode block \\p{${name}}`);
  const eq = /^(\w+)=(\w+)$/.exec(name);
  if (eq) {
    const key = eq[1].toLowerCase();
    if ((key === 'sc' || key === 'script') && jsPropertyValid(`Script=${scriptName(eq[2])}`)) return `\\p{Script=${scriptName(eq[2])}}`;
    if ((key === 'gc' || key === 'general_category') && jsPropertyValid(`General_Category=${eq[2]}`)) return `\\p{General_Category=${eq[2]}}`;
    invalid(pattern, index, `unknown character property \\p{${name}}`);
  }
  if (name.startsWith('Is')) {
    const rest = name.slice(2);
    const binary = BINARY_PROPERTIES[rest.toUpperCase()];
    if (binary !== undefined) return `\\p{${binary}}`;
    if (/^[A-Z][a-z&]?$/.test(rest) && jsPropertyValid(`General_Category=${rest.replace('&', '')}`)) return categoryContents(rest);
    if (jsPropertyValid(`Script=${scriptName(rest)}`)) return `\\p{Script=${scriptName(rest)}}`;
    invalid(pattern, index, `unknown character property \\p{${name}}`);
  }
  if (/^[A-Z][a-z&]?$/.test(name) && jsPropertyValid(`General_Category=${name.replace('&', '')}`)) return categoryContents(name);
  invalid(pattern, index, `unknown character property \\p{${name}}`);
}

/**
 * Class contents widened to both cases, for a case-insensitive part of a pattern translated without the JS `i`
 * flag: ASCII letter ranges gain their other case, cased-letter properties become all cased letters.
 */
function caseClosed(contents: string): string {
  return contents
    .replace(/a-z|A-Z/g, 'a-zA-Z')
    .replace(/\\p\{(Lu|Ll|Lt|LC|Lowercase|Uppercase)\}/g, '\\p{Lu}\\p{Ll}\\p{Lt}');
}

/** `L&` (cased letter) is Java's name for LC. */
function categoryContents(name: string): string {
  return name === 'L&' ? '\\p{LC}' : `\\p{${name}}`;
}

class Translator {
  private pos = 0;
  private groupCount = 0;
  private helperCount = 0;
  private readonly groupNames = new Map<string, number>();
  /**
   * Whether JS's own `i` flag carries case-insensitivity (the pattern starts with (?i), never turns it off and
   * has only ASCII text); otherwise case-insensitive parts are expanded into case pairs while translating.
   */
  private globalCaseInsensitive = false;

  constructor(
    private readonly pattern: string,
    /** Group count from a first pass, to resolve multi-digit back references as Java does. */
    private readonly knownGroups: number | null,
    private readonly knownNames: ReadonlyMap<string, number> | null,
  ) {}

  translate(): TranslatedRegex {
    const flags: Flags = { i: false, s: false, m: false, x: false, d: false, u: false };
    this.globalCaseInsensitive = this.detectGlobalCaseInsensitive();
    const source = this.alternation(flags, 0);
    if (this.pos < this.pattern.length) invalid(this.pattern, this.pos, `unmatched closing ')'`);
    return {
      source,
      flags: this.globalCaseInsensitive ? 'iu' : 'u',
      groupCount: this.groupCount,
      groupNames: this.groupNames,
    };
  }

  /** See {@link Translator.globalCaseInsensitive}. */
  private detectGlobalCaseInsensitive(): boolean {
    const lead = /^(?:\(\?[a-zA-Z]*(?:-[a-zA-Z]*)?\))+/.exec(this.pattern);
    if (!lead || !/\(\?[a-zA-Z]*i[a-zA-Z]*(?:-[a-zA-Z]*)?\)/.test(lead[0])) return false;
    // JavaScript's i folds all of Unicode; Java's CASE_INSENSITIVE only ASCII unless UNICODE_CASE (u) is on.
    // Non-ASCII text (or escapes that may spell it) then needs the ASCII-only expansion instead.
    const unicodeCase = /\(\?[a-zA-Z]*u[a-zA-Z]*(?:-[a-zA-Z]*)?\)/.test(lead[0]);
    if (!unicodeCase && ([...this.pattern].some((ch) => ch.charCodeAt(0) > 0x7f) || /\\[xuc0]/.test(this.pattern))) return false;
    // A later "-i" (turning it off) anywhere means the simple flag would be wrong; fall back to expansion.
    return !/\(\?[a-zA-Z]*-[a-zA-Z]*i[a-zA-Z]*[:)]/.test(this.pattern);
  }

  private get done(): boolean {
    return this.pos >= this.pattern.length;
  }

  private nextCp(): number {
    const cp = this.pattern.codePointAt(this.pos)!;
    this.pos += cp > 0xffff ? 2 : 1;
    return cp;
  }

  /** In COMMENTS mode, skips whitespace and `#` comments. */
  private skipComments(flags: Flags): void {
    if (!flags.x) return;
    while (!this.done) {
      const ch = this.pattern[this.pos];
      if (/\s/.test(ch)) this.pos++;
      else if (ch === '#') {
        while (!this.done && !/[\n\r\u0085\u2028\u2029]/.test(this.pattern[this.pos])) this.pos++;
      } else break;
    }
  }

  private alternation(flags: Flags, depth: number): string {
    const branches = [this.sequence(flags, depth)];
    while (!this.done && this.pattern[this.pos] === '|') {
      this.pos++;
      branches.push(this.sequence(flags, depth));
    }
    return branches.join('|');
  }

  private sequence(flags: Flags, depth: number): string {
    let out = '';
    for (;;) {
      this.skipComments(flags);
      if (this.done) return out;
      const ch = this.pattern[this.pos];
      if (ch === '|') return out;
      if (ch === ')') {
        if (depth === 0) invalid(this.pattern, this.pos, `unmatched closing ')'`);
        return out;
      }
      const start = this.pos;
      if (this.pattern.startsWith('\\Q', this.pos)) {
        // Quoted text is a run of literals: a following quantifier applies to its last character only.
        this.pos += 2;
        const quoted = [...this.quotedText()];
        const last = quoted.pop();
        for (const ch of quoted) out += this.literalWithCase(ch.codePointAt(0)!, flags);
        if (last !== undefined) out += this.quantified(this.literalWithCase(last.codePointAt(0)!, flags), flags, start);
        continue;
      }
      const atom = this.atom(flags, depth);
      if (atom === null) continue; // a flag group such as (?i): no text, changes `flags`
      out += this.quantified(atom, flags, start);
    }
  }

  /** Parses an optional quantifier after an atom and returns the atom with it. */
  private quantified(atom: string, flags: Flags, atomStart: number): string {
    this.skipComments(flags);
    if (this.done) return atom;
    const ch = this.pattern[this.pos];
    let q: string;
    if (ch === '*' || ch === '+' || ch === '?') {
      q = ch;
      this.pos++;
    } else if (ch === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.pattern.slice(this.pos));
      if (!m) invalid(this.pattern, this.pos, `illegal repetition '{'`);
      if (m[3] !== undefined && m[3] !== '' && Number(m[3]) < Number(m[1])) invalid(this.pattern, this.pos, 'illegal repetition range');
      q = m[0];
      this.pos += m[0].length;
    } else {
      return atom;
    }
    if (atom === '') invalid(this.pattern, atomStart, `dangling meta character '${ch}'`);
    const mode = this.pattern[this.pos];
    // X? becomes an alternation: JavaScript refuses a quantified group's iteration that matches nothing (so
    // (a|)? would leave group 1 unset), where Java accepts it.
    const quantifiedText = (lazy: boolean) =>
      q === '?' ? (lazy ? `(?:|${atom})` : `(?:${atom}|)`) : `(?:${atom})${q}${lazy ? '?' : ''}`;
    if (mode === '?') {
      this.pos++;
      return quantifiedText(true);
    }
    if (mode === '+') {
      this.pos++;
      const h = `h${++this.helperCount}`;
      return `(?=(?<${h}>${quantifiedText(false)}))\\k<${h}>`;
    }
    return quantifiedText(false);
  }

  /** One atom; null for a bare flag group. */
  private atom(flags: Flags, depth: number): string | null {
    const start = this.pos;
    const cp = this.nextCp();
    switch (cp) {
      case 0x28 /* ( */:
        return this.group(flags, depth, start);
      case 0x5b /* [ */: {
        this.pos = start;
        return this.emitSet(this.charClass(flags));
      }
      case 0x2e /* . */:
        return flags.s ? '[\\s\\S]' : flags.d ? '[^\\n]' : `[^${JAVA_LINE_TERMINATORS}]`;
      case 0x5e /* ^ */:
        if (!flags.m) return '^';
        return flags.d ? '(?:^|(?<=\\n)(?=[\\s\\S]))' : '(?:^|(?<=[\\n\\x85\\u2028\\u2029]|\\r(?!\\n))(?=[\\s\\S]))';
      case 0x24 /* $ */:
        if (flags.d) return flags.m ? '(?=\\n|(?![\\s\\S]))' : '(?=\\n?(?![\\s\\S]))';
        return flags.m
          ? '(?:(?=[\\r\\x85\\u2028\\u2029]|(?![\\s\\S]))|(?<!\\r)(?=\\n))'
          : `(?=(?:\\r\\n|[${JAVA_LINE_TERMINATORS}])?(?![\\s\\S]))`;
      case 0x5c /* \ */:
        return this.escape(flags, start);
      case 0x2a /* * */:
      case 0x2b /* + */:
      case 0x3f /* ? */:
        invalid(this.pattern, start, `dangling meta character '${String.fromCodePoint(cp)}'`);
      // falls through (never reached: invalid throws)
      case 0x7b /* { */:
        invalid(this.pattern, start, `illegal repetition '{'`);
      // falls through
      default:
        return this.literalWithCase(cp, flags);
    }
  }

  private literalWithCase(cp: number, flags: Flags): string {
    if (flags.i && !this.globalCaseInsensitive) {
      const variants = caseVariants(cp, flags.u);
      if (variants.length > 0) return `[${[cp, ...variants].map(classLiteral).join('')}]`;
    }
    return literal(cp);
  }

  private group(flags: Flags, depth: number, start: number): string | null {
    const rest = this.pattern.slice(this.pos);
    let prefix: string;
    let inner: Flags = { ...flags };
    let name: string | null = null;
    let capture = false;
    let atomic = false;
    if (!rest.startsWith('?')) {
      capture = true;
      prefix = '';
    } else if (rest.startsWith('?:')) {
      this.pos += 2;
      prefix = '?:';
    } else if (rest.startsWith('?=') || rest.startsWith('?!')) {
      this.pos += 2;
      prefix = rest.slice(0, 2);
    } else if (rest.startsWith('?<=') || rest.startsWith('?<!')) {
      this.pos += 3;
      prefix = rest.slice(0, 3);
    } else if (rest.startsWith('?>')) {
      this.pos += 2;
      atomic = true;
      prefix = '?:';
    } else if (rest.startsWith('?<')) {
      const m = /^\?<([a-zA-Z][a-zA-Z0-9]*)>/.exec(rest);
      if (!m) invalid(this.pattern, start, 'bad named-group syntax');
      if (this.groupNames.has(m[1])) invalid(this.pattern, start, `named capturing group <${m[1]}> is already defined`);
      name = m[1];
      capture = true;
      this.pos += m[0].length;
      prefix = '';
    } else {
      const m = /^\?([a-zA-Z]*)(?:-([a-zA-Z]*))?([:)])/.exec(rest);
      if (!m) invalid(this.pattern, start, 'unknown inline modifier');
      const on = m[1];
      const off = m[2] ?? '';
      for (const f of on + off) {
        if (f === 'U') unsupported(this.pattern, 'UNICODE_CHARACTER_CLASS (?U)');
        if (!'imsxdu'.includes(f)) invalid(this.pattern, start, `unknown inline modifier '${f}'`);
      }
      const apply = (target: Flags) => {
        for (const f of on) target[f as keyof Flags] = true;
        for (const f of off) target[f as keyof Flags] = false;
      };
      this.pos += m[0].length;
      if (m[3] === ')') {
        apply(flags); // applies to the rest of the enclosing group
        return null;
      }
      inner = { ...flags };
      apply(inner);
      prefix = '?:';
    }
    let open = prefix;
    if (capture) {
      const n = ++this.groupCount;
      if (name !== null) this.groupNames.set(name, n);
      open = `?<j${n}>`;
    }
    const body = this.alternation(inner, depth + 1);
    if (this.done || this.pattern[this.pos] !== ')') invalid(this.pattern, start, `unclosed group`);
    this.pos++;
    if (atomic) {
      const h = `h${++this.helperCount}`;
      return `(?=(?<${h}>${body}))\\k<${h}>`;
    }
    return `(${open}${body})`;
  }

  /** Reads a numeric escape value (hex/octal/unicode) after the escape letter. */
  private escapedCodePoint(letter: string, start: number): number {
    const text = this.pattern;
    switch (letter) {
      case 't':
        return 9;
      case 'n':
        return 10;
      case 'r':
        return 13;
      case 'f':
        return 12;
      case 'a':
        return 7;
      case 'e':
        return 27;
      case '0': {
        const m = /^[0-7]{1,3}/.exec(text.slice(this.pos));
        if (!m) invalid(text, start, 'illegal octal escape sequence');
        let digits = m[0];
        if (digits.length === 3 && Number(digits[0]) > 3) digits = digits.slice(0, 2);
        this.pos += digits.length;
        return parseInt(digits, 8);
      }
      case 'x': {
        const braced = /^\{([0-9a-fA-F]+)\}/.exec(text.slice(this.pos));
        if (braced) {
          this.pos += braced[0].length;
          const v = parseInt(braced[1], 16);
          if (v > 0x10ffff) invalid(text, start, 'hexadecimal codepoint is too big');
          return v;
        }
        const m = /^[0-9a-fA-F]{2}/.exec(text.slice(this.pos));
        if (!m) invalid(text, start, 'illegal hexadecimal escape sequence');
        this.pos += 2;
        return parseInt(m[0], 16);
      }
      case 'u': {
        const m = /^[0-9a-fA-F]{4}/.exec(text.slice(this.pos));
        if (!m) invalid(text, start, 'illegal Unicode escape sequence');
        this.pos += 4;
        let v = parseInt(m[0], 16);
        // A surrogate pair written as two \u escapes is one code point, as in Java.
        const low = /^\\u([dD][c-fC-F][0-9a-fA-F]{2})/.exec(text.slice(this.pos));
        if (v >= 0xd800 && v <= 0xdbff && low) {
          this.pos += 6;
          v = 0x10000 + ((v - 0xd800) << 10) + (parseInt(low[1], 16) - 0xdc00);
        }
        return v;
      }
      case 'c': {
        if (this.done) invalid(text, start, 'illegal control escape sequence');
        return this.nextCp() ^ 64;
      }
      default:
        return -1;
    }
  }

  /** Escapes outside a class. */
  private escape(flags: Flags, start: number): string {
    if (this.done) invalid(this.pattern, start, 'unexpected internal error: pattern ends with \\');
    const letterCp = this.nextCp();
    const letter = String.fromCodePoint(letterCp);
    const cpValue = this.escapedCodePoint(letter, start);
    if (cpValue >= 0) return this.literalWithCase(cpValue, flags);
    switch (letter) {
      case 'd':
      case 'D':
      case 'w':
      case 'W':
        return '\\' + letter;
      case 'b':
        return `(?:(?<=${JAVA_WORD})(?!${JAVA_WORD})|(?<!${JAVA_WORD})(?=${JAVA_WORD}))`;
      case 'B':
        return `(?:(?<=${JAVA_WORD})(?=${JAVA_WORD})|(?<!${JAVA_WORD})(?!${JAVA_WORD}))`;
      case 's':
        return '[ \\t\\n\\u{b}\\f\\r]';
      case 'S':
        return '[^ \\t\\n\\u{b}\\f\\r]';
      case 'h':
        return '[ \\t\\xa0\\u1680\\u180e\\u2000-\\u200a\\u202f\\u205f\\u3000]';
      case 'H':
        return '[^ \\t\\xa0\\u1680\\u180e\\u2000-\\u200a\\u202f\\u205f\\u3000]';
      case 'v':
        return '[\\n\\u{b}\\f\\r\\x85\\u2028\\u2029]';
      case 'V':
        return '[^\\n\\u{b}\\f\\r\\x85\\u2028\\u2029]';
      case 'R': {
        // A line break; \r\n is taken whole, never split back into \r then \n.
        const h = `h${++this.helperCount}`;
        return `(?=(?<${h}>\\r\\n|[\\n\\u{b}\\f\\r\\x85\\u2028\\u2029]))\\k<${h}>`;
      }
      case 'A':
        return '(?<![\\s\\S])';
      case 'z':
        return '(?![\\s\\S])';
      case 'Z':
        return flags.d ? '(?=\\n?(?![\\s\\S]))' : `(?=(?:\\r\\n|[${JAVA_LINE_TERMINATORS}])?(?![\\s\\S]))`;
      case 'G':
        unsupported(this.pattern, '\\G (end of the previous match)');
      // falls through
      case 'X':
        unsupported(this.pattern, '\\X (grapheme clusters)');
      // falls through
      case 'N':
        unsupported(this.pattern, '\\N{name}');
      // falls through
      case 'p':
      case 'P': {
        const contents = flags.i && !this.globalCaseInsensitive ? caseClosed(this.property(start)) : this.property(start);
        // Java complements the case-insensitive set; a JS [^...] under the i flag would fold the complement.
        if (letter === 'P') return flags.i ? `(?:(?![${contents}])[\\s\\S])` : `[^${contents}]`;
        return `[${contents}]`;
      }
      case 'k': {
        const m = /^<([a-zA-Z][a-zA-Z0-9]*)>/.exec(this.pattern.slice(this.pos));
        if (!m) invalid(this.pattern, start, '\\k is not followed by <name>');
        this.pos += m[0].length;
        const n = this.groupNames.get(m[1]) ?? this.knownNames?.get(m[1]);
        if (n === undefined) invalid(this.pattern, start, `named capturing group <${m[1]}> does not exist`);
        return `\\k<j${n}>`;
      }
      default:
        break;
    }
    if (letterCp >= 0x31 && letterCp <= 0x39) return this.backReference(letterCp - 0x30);
    if (/[a-zA-Z]/.test(letter)) invalid(this.pattern, start, `illegal/unsupported escape sequence \\${letter}`);
    return this.literalWithCase(letterCp, flags);
  }

  /** Java takes more digits into a back reference only while such a group exists. */
  private backReference(first: number): string {
    let n = first;
    const total = this.knownGroups ?? this.groupCount;
    while (!this.done && /[0-9]/.test(this.pattern[this.pos])) {
      const next = n * 10 + Number(this.pattern[this.pos]);
      if (next > this.groupCount) break;
      n = next;
      this.pos++;
    }
    // A reference to a group that never exists can never match in Java.
    if (n > total) return '(?!)';
    return `(?:\\k<j${n}>)`;
  }

  private property(start: number): string {
    let name: string;
    if (!this.done && this.pattern[this.pos] === '{') {
      const end = this.pattern.indexOf('}', this.pos);
      if (end < 0) invalid(this.pattern, start, 'unclosed character family');
      name = this.pattern.slice(this.pos + 1, end);
      this.pos = end + 1;
    } else {
      if (this.done) invalid(this.pattern, start, 'illegal character family');
      name = String.fromCodePoint(this.nextCp());
    }
    return propertyContents(this.pattern, start, name);
  }

  /** The text of `\Q...\E` (or to the end of the pattern), after the `\Q`. */
  private quotedText(): string {
    const end = this.pattern.indexOf('\\E', this.pos);
    const text = this.pattern.slice(this.pos, end < 0 ? undefined : end);
    this.pos = end < 0 ? this.pattern.length : end + 2;
    return text;
  }

  // ---- character classes ----

  private charClass(flags: Flags): CharSet {
    const start = this.pos;
    this.pos++; // [
    let negated = false;
    if (this.pattern[this.pos] === '^') {
      negated = true;
      this.pos++;
    }
    let current: CharSet = { kind: 'items', negated: false, parts: [] };
    const unionParts: CharSet[] = [];
    let intersectLeft: CharSet | null = null;
    let first = true;
    const flushUnion = (): CharSet => {
      const sets = [current, ...unionParts].filter((s) => !(s.kind === 'items' && !s.negated && s.parts.length === 0));
      current = { kind: 'items', negated: false, parts: [] };
      unionParts.length = 0;
      if (sets.length === 0) return { kind: 'items', negated: false, parts: [] };
      return sets.length === 1 ? sets[0] : { kind: 'union', sets, negated: false };
    };
    for (;;) {
      if (flags.x) while (!this.done && /\s/.test(this.pattern[this.pos])) this.pos++;
      if (this.done) invalid(this.pattern, start, 'unclosed character class');
      const ch = this.pattern[this.pos];
      if (ch === ']' && !first) {
        this.pos++;
        break;
      }
      first = false;
      if (ch === '[') {
        unionParts.push(this.charClass(flags));
        continue;
      }
      if (ch === '&' && this.pattern[this.pos + 1] === '&') {
        this.pos += 2;
        const left = flushUnion();
        intersectLeft = intersectLeft === null ? left : { kind: 'intersect', a: intersectLeft, b: left, negated: false };
        continue;
      }
      const lo = this.classAtom(flags, start);
      if (typeof lo !== 'number') {
        if (lo.kind === 'items' && !lo.negated) (current as { parts: string[] }).parts.push(...lo.parts);
        else unionParts.push(lo);
        continue;
      }
      // A range a-b, unless '-' is last or followed by a nested class. In COMMENTS mode blanks may surround '-'.
      const skipBlanks = (at: number) => {
        while (flags.x && at < this.pattern.length && /\s/.test(this.pattern[at])) at++;
        return at;
      };
      const dash = skipBlanks(this.pos);
      const afterDash = skipBlanks(dash + 1);
      if (this.pattern[dash] === '-' && afterDash < this.pattern.length && this.pattern[afterDash] !== ']' && this.pattern[afterDash] !== '[') {
        this.pos = afterDash;
        const hi = this.classAtom(flags, start);
        if (typeof hi !== 'number') invalid(this.pattern, this.pos, 'illegal character range');
        if (hi < lo) invalid(this.pattern, this.pos, 'illegal character range');
        (current as { parts: string[] }).parts.push(...this.rangeParts(lo, hi, flags));
      } else {
        (current as { parts: string[] }).parts.push(...this.rangeParts(lo, lo, flags));
      }
    }
    let set = flushUnion();
    if (intersectLeft !== null) set = { kind: 'intersect', a: intersectLeft, b: set, negated: false };
    if (negated) set = this.negate(set);
    return set;
  }

  private negate(set: CharSet): CharSet {
    return { ...set, negated: !set.negated } as CharSet;
  }

  /** Class contents for lo..hi plus, when case-insensitive by expansion, the other-case ranges. */
  private rangeParts(lo: number, hi: number, flags: Flags): string[] {
    const parts = [lo === hi ? classLiteral(lo) : `${classLiteral(lo)}-${classLiteral(hi)}`];
    if (flags.i && !this.globalCaseInsensitive) {
      const add = (a: number, b: number, delta: number) => {
        const from = Math.max(lo, a);
        const to = Math.min(hi, b);
        if (from <= to) parts.push(`${classLiteral(from + delta)}-${classLiteral(to + delta)}`);
      };
      add(0x61, 0x7a, -32);
      add(0x41, 0x5a, 32);
      if (flags.u && hi - lo < 256) {
        for (let c = Math.max(lo, 0x80); c <= hi; c++) for (const v of caseVariants(c, true)) parts.push(classLiteral(v));
      }
    }
    return parts;
  }

  /** One element inside a class: a code point, or a set (an escape like \d or \p{L}). */
  private classAtom(flags: Flags, classStart: number): number | CharSet {
    const start = this.pos;
    const cp = this.nextCp();
    if (cp !== 0x5c) return cp;
    if (this.done) invalid(this.pattern, classStart, 'unclosed character class');
    const letterCp = this.nextCp();
    const letter = String.fromCodePoint(letterCp);
    const value = this.escapedCodePoint(letter, start);
    if (value >= 0) return value;
    const items = (parts: string[], negated = false): CharSet => ({ kind: 'items', negated, parts });
    switch (letter) {
      case 'd':
      case 'D':
      case 'w':
      case 'W':
        return items(['\\' + letter]);
      case 's':
        return items([' \\t\\n\\u{b}\\f\\r']);
      case 'S':
        return items([' \\t\\n\\u{b}\\f\\r'], true);
      case 'h':
        return items([' \\t\\xa0\\u1680\\u180e\\u2000-\\u200a\\u202f\\u205f\\u3000']);
      case 'H':
        return items([' \\t\\xa0\\u1680\\u180e\\u2000-\\u200a\\u202f\\u205f\\u3000'], true);
      case 'v':
        return items(['\\n\\u{b}\\f\\r\\x85\\u2028\\u2029']);
      case 'V':
        return items(['\\n\\u{b}\\f\\r\\x85\\u2028\\u2029'], true);
      case 'p':
      case 'P': {
        const contents = flags.i && !this.globalCaseInsensitive ? caseClosed(this.property(start)) : this.property(start);
        return items([contents], letter === 'P');
      }
      case 'Q': {
        const end = this.pattern.indexOf('\\E', this.pos);
        const text = this.pattern.slice(this.pos, end < 0 ? undefined : end);
        this.pos = end < 0 ? this.pattern.length : end + 2;
        const parts: string[] = [];
        for (const ch of text) parts.push(...this.rangeParts(ch.codePointAt(0)!, ch.codePointAt(0)!, flags));
        return items(parts);
      }
      default:
        if (/[a-zA-Z0-9]/.test(letter)) invalid(this.pattern, start, `illegal/unsupported escape sequence \\${letter} in a character class`);
        return letterCp;
    }
  }

  private emitSet(set: CharSet): string {
    switch (set.kind) {
      case 'items':
        if (set.parts.length === 0) return set.negated ? '[\\s\\S]' : '(?!)';
        return `[${set.negated ? '^' : ''}${set.parts.join('')}]`;
      case 'union': {
        const body = set.sets.map((s) => this.emitSet(s)).join('|');
        return set.negated ? `(?:(?!${body})[\\s\\S])` : `(?:${body})`;
      }
      case 'intersect': {
        const body = `(?=${this.emitSet(set.a)})${this.emitSet(set.b)}`;
        return set.negated ? `(?:(?!${body})[\\s\\S])` : `(?:${body})`;
      }
    }
  }
}

/**
 * Translates a Java regular expression to JavaScript (see the module comment for what is rewritten).
 *
 * @throws ExecutionError INVALID_REGEX when Java would reject the pattern, UNSUPPORTED_REGEX when JS cannot express it
 * @example translateJavaRegex('(\\d+)-(\\d+)').source // '(?<j1>(?:\\d)+)-(?<j2>(?:\\d)+)'
 */
export function translateJavaRegex(pattern: string): TranslatedRegex {
  // Two passes: the first counts groups so that back references resolve as Java resolves them.
  const first = new Translator(pattern, null, null).translate();
  const second = new Translator(pattern, first.groupCount, first.groupNames).translate();
  try {
    new RegExp(second.source, second.flags);
  } catch (e) {
    fail(FunctionErrorNames.unsupportedRegex, `regular expression '${pattern}' could not be translated: ${(e as Error).message}`);
  }
  return second;
}

/** A compiled Java regex: a global JS RegExp plus its Java group layout. */
export interface JavaRegex extends TranslatedRegex {
  /** Global (`g`) RegExp; callers set lastIndex before exec. */
  readonly regex: RegExp;
  /** The original Java pattern. */
  readonly pattern: string;
}

const CACHE_LIMIT = 512;
const cache = new Map<string, JavaRegex>();

/**
 * Compiles (and caches) a Java regular expression. Patterns usually are literals, so the cache makes the
 * per-row cost a Map lookup.
 *
 * @throws ExecutionError INVALID_REGEX / UNSUPPORTED_REGEX
 */
export function compileJavaRegex(pattern: string): JavaRegex {
  const hit = cache.get(pattern);
  if (hit) return hit;
  const t = translateJavaRegex(pattern);
  const compiled: JavaRegex = { ...t, pattern, regex: new RegExp(t.source, t.flags + 'g') };
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(pattern, compiled);
  return compiled;
}

/** The text of Java group `n` (0 = the whole match) in a match of a translated regex; undefined if it did not take part. */
export function javaGroup(match: RegExpExecArray, n: number): string | undefined {
  return n === 0 ? match[0] : match.groups?.[`j${n}`];
}
