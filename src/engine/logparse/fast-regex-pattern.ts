import { PlanError } from '../../errors.js';
/**
 * The pattern language of FAST_REGEX_LOG_PARSE (SQLREF sql-reference-fast-regex-log-parser, which is the
 * dk.brics automaton syntax): `|` union, `?` `*` `+` `{n}` `{n,}` `{n,m}`, `[...]` `[^...]` with `a-z` ranges,
 * `.` any character, `#` the empty language, `@` any string, `"text"` a literal string, `()` the empty string,
 * `(...)` grouping, `<Name>` a named class (Digit, Alpha, Alnum, Upper, Lower, Punct, Space, Blank, Cntrl,
 * Graph, Print, XDigit, ASCII), `<n-m>` a decimal number between n and m, `\c` the character c. Intersection
 * `&` and complement `~` have no RegExp equivalent and are rejected.
 */
export type FastRegexNode =
  | { readonly kind: 'union'; readonly items: FastRegexNode[] }
  | { readonly kind: 'concat'; readonly items: FastRegexNode[] }
  | { readonly kind: 'repeat'; readonly node: FastRegexNode; readonly min: number; readonly max: number }
  | {
      readonly kind: 'atom';
      readonly source: string;
      readonly length: number | null;
      /** RegExp source matching the characters a match can start with; null when it cannot start with any. */
      readonly first: string | null;
      readonly nullable: boolean;
    }
  | { readonly kind: 'group'; readonly node: FastRegexNode };

/** A fast regex that does not parse; a plan-time error (the pattern is a constant argument of the query). */
export class FastRegexSyntaxError extends PlanError {
  readonly pattern: string;
  readonly index: number;
  constructor(message: string, pattern: string, index: number) {
    super(`${message} at index ${index} of the fast regex '${pattern}'`);
    this.pattern = pattern;
    this.index = index;
  }
}

const NAMED_CLASSES: Record<string, string> = {
  Digit: '[0-9]',
  Alpha: '[a-zA-Z]',
  Alnum: '[a-zA-Z0-9]',
  Upper: '[A-Z]',
  Lower: '[a-z]',
  Punct: '[!-\\/:-@\\[-`{-~]',
  Space: '[ \\t\\n\\x0B\\f\\r]',
  Blank: '[ \\t]',
  Cntrl: '[\\x00-\\x1F\\x7F]',
  Graph: '[!-~]',
  Print: '[ -~]',
  XDigit: '[0-9a-fA-F]',
  ASCII: '[\\x00-\\x7F]',
};

export function parseFastRegex(pattern: string): FastRegexNode {
  let i = 0;
  const fail = (message: string, at = i): never => {
    throw new FastRegexSyntaxError(message, pattern, at);
  };
  const peek = (): string | undefined => pattern[i];

  function union(): FastRegexNode {
    const items = [concat()];
    while (peek() === '|') {
      i++;
      items.push(concat());
    }
    return items.length === 1 ? items[0] : { kind: 'union', items };
  }

  function concat(): FastRegexNode {
    const items: FastRegexNode[] = [];
    for (;;) {
      const c = peek();
      if (c === undefined || c === '|' || c === ')') break;
      if (c === '&') fail('intersection (&) is not supported');
      items.push(repeat());
    }
    return items.length === 1 ? items[0] : { kind: 'concat', items };
  }

  function repeat(): FastRegexNode {
    let node = simple();
    for (;;) {
      const c = peek();
      if (c === '?') node = { kind: 'repeat', node, min: 0, max: 1 };
      else if (c === '*') node = { kind: 'repeat', node, min: 0, max: Infinity };
      else if (c === '+') node = { kind: 'repeat', node, min: 1, max: Infinity };
      else if (c === '{') {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i)) ?? fail('bad {n,m} repetition');
        const min = Number(m[1]);
        const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
        if (max < min) fail('{n,m} with m < n');
        node = { kind: 'repeat', node, min, max };
        i += m[0].length;
        continue;
      } else break;
      i++;
    }
    return node;
  }

  function charExp(): string {
    let c = pattern[i];
    if (c === undefined) fail('unexpected end of pattern');
    if (c === '\\') {
      i++;
      c = pattern[i];
      if (c === undefined) fail('trailing backslash');
    }
    i++;
    return c;
  }

  function simple(): FastRegexNode {
    const start = i;
    const c = pattern[i];
    switch (c) {
      case '~':
        return fail('complement (~) is not supported');
      case '.':
        i++;
        return { kind: 'atom', source: '[\\s\\S]', length: 1, first: '[\\s\\S]', nullable: false };
      case '#':
        i++;
        return { kind: 'atom', source: '(?!)', length: 0, first: null, nullable: false };
      case '@':
        i++;
        return { kind: 'atom', source: '[\\s\\S]*', length: null, first: '[\\s\\S]', nullable: true };
      case '"': {
        const end = pattern.indexOf('"', i + 1);
        if (end < 0) fail('unclosed "string"');
        const text = pattern.slice(i + 1, end);
        i = end + 1;
        return {
          kind: 'atom',
          source: escapeForRegExp(text),
          length: text.length,
          first: text === '' ? null : escapeForRegExp(text[0]),
          nullable: text === '',
        };
      }
      case '(': {
        i++;
        if (peek() === ')') {
          i++;
          return { kind: 'group', node: { kind: 'atom', source: '', length: 0, first: null, nullable: true } };
        }
        const node = union();
        if (peek() !== ')') fail('unclosed (', start);
        i++;
        return { kind: 'group', node };
      }
      case '[': {
        i++;
        let source = '[';
        if (peek() === '^') {
          source += '^';
          i++;
        }
        let empty = true;
        while (peek() !== ']') {
          if (peek() === undefined) fail('unclosed [', start);
          const from = charExp();
          source += escapeInClass(from);
          if (peek() === '-' && pattern[i + 1] !== ']' && pattern[i + 1] !== undefined) {
            i++;
            const to = charExp();
            if (to < from) fail(`bad range ${from}-${to}`);
            source += `-${escapeInClass(to)}`;
          }
          empty = false;
        }
        i++;
        if (empty) fail('empty character class', start);
        return { kind: 'atom', source: `${source}]`, length: 1, first: `${source}]`, nullable: false };
      }
      case '<': {
        const end = pattern.indexOf('>', i);
        if (end < 0) fail('unclosed <');
        const name = pattern.slice(i + 1, end);
        i = end + 1;
        const interval = /^(\d+)-(\d+)$/.exec(name);
        if (interval) return numericInterval(interval[1], interval[2], start);
        const cls = NAMED_CLASSES[name] ?? fail(`unknown named pattern <${name}> (known: ${Object.keys(NAMED_CLASSES).join(', ')})`, start);
        return { kind: 'atom', source: cls, length: 1, first: cls, nullable: false };
      }
      case ')':
      case '|':
      case '?':
      case '*':
      case '+':
      case '{':
      case '}':
      case ']':
      case '>':
      case '&':
        return fail(`unexpected '${c}'`);
      default: {
        const ch = charExp();
        return { kind: 'atom', source: escapeForRegExp(ch), length: 1, first: escapeForRegExp(ch), nullable: false };
      }
    }
  }

  function numericInterval(lo: string, hi: string, at: number): FastRegexNode {
    const min = Number(lo);
    const max = Number(hi);
    if (max < min) fail(`bad interval <${lo}-${hi}>`, at);
    if (max - min > 100000) fail(`interval <${lo}-${hi}> is too wide (at most 100000 values)`, at);
    // As in dk.brics: with equal digit counts the numbers are zero-padded to that width, else leading zeros are optional.
    const values: string[] = [];
    for (let n = max; n >= min; n--) values.push(lo.length === hi.length ? String(n).padStart(lo.length, '0') : String(n));
    const prefix = lo.length === hi.length ? '' : '0*';
    return {
      kind: 'atom',
      source: `${prefix}(?:${values.join('|')})`,
      length: lo.length === hi.length ? lo.length : null,
      first: '[0-9]',
      nullable: false,
    };
  }

  const root = union();
  if (i < pattern.length) fail(`unexpected '${pattern[i]}'`);
  return root;
}

/** The node as RegExp source (groups become non-capturing: captures are handled by the caller). */
export function fastRegexToSource(node: FastRegexNode): string {
  switch (node.kind) {
    case 'atom':
      return node.source;
    case 'group':
      return `(?:${fastRegexToSource(node.node)})`;
    case 'concat':
      return node.items.map(fastRegexToSource).join('');
    case 'union':
      return `(?:${node.items.map(fastRegexToSource).join('|')})`;
    case 'repeat': {
      const inner = `(?:${fastRegexToSource(node.node)})`;
      if (node.min === 0 && node.max === Infinity) return `${inner}*`;
      if (node.min === 1 && node.max === Infinity) return `${inner}+`;
      if (node.min === 0 && node.max === 1) return `${inner}?`;
      return `${inner}{${node.min},${node.max === Infinity ? '' : node.max}}`;
    }
  }
}

/** Whether the node matches the empty string. */
export function isNullable(node: FastRegexNode): boolean {
  switch (node.kind) {
    case 'atom':
      return node.nullable;
    case 'group':
      return isNullable(node.node);
    case 'concat':
      return node.items.every(isNullable);
    case 'union':
      return node.items.some(isNullable);
    case 'repeat':
      return node.min === 0 || isNullable(node.node);
  }
}

/** RegExp source for the set of characters a non-empty match can start with; null for none. */
export function firstCharsOf(node: FastRegexNode): string | null {
  const join = (parts: (string | null)[]): string | null => {
    const present = parts.filter((p): p is string => p !== null);
    return present.length === 0 ? null : present.length === 1 ? present[0] : `(?:${present.join('|')})`;
  };
  switch (node.kind) {
    case 'atom':
      return node.first;
    case 'group':
      return firstCharsOf(node.node);
    case 'repeat':
      return node.max === 0 ? null : firstCharsOf(node.node);
    case 'union':
      return join(node.items.map(firstCharsOf));
    case 'concat': {
      const parts: (string | null)[] = [];
      for (const item of node.items) {
        parts.push(firstCharsOf(item));
        if (!isNullable(item)) break;
      }
      return join(parts);
    }
  }
}

/** Length of every string the node matches, or null when it varies. */
export function fixedLengthOf(node: FastRegexNode): number | null {
  switch (node.kind) {
    case 'atom':
      return node.length;
    case 'group':
      return fixedLengthOf(node.node);
    case 'concat': {
      let total = 0;
      for (const item of node.items) {
        const n = fixedLengthOf(item);
        if (n === null) return null;
        total += n;
      }
      return total;
    }
    case 'union': {
      const lengths = node.items.map(fixedLengthOf);
      return lengths.every((n) => n !== null && n === lengths[0]) ? lengths[0] : null;
    }
    case 'repeat': {
      const n = fixedLengthOf(node.node);
      return n !== null && (node.min === node.max || n === 0) ? n * node.min : null;
    }
  }
}

function escapeForRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

function escapeInClass(c: string): string {
  return /[\\\]^-]/.test(c) ? `\\${c}` : c;
}
