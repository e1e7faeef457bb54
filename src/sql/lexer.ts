import { SqlSyntaxError } from '../errors.js';
import type { Token, TokenKind } from './token.js';

const TWO_CHAR_OPS = new Set(['||', '<>', '!=', '<=', '>=']);
const ONE_CHAR_OPS = new Set(['(', ')', ',', '.', ';', '+', '-', '*', '/', '=', '<', '>', '[', ']', ':', '%']);

function isIdentStart(c: string): boolean {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c === '_' || c.charCodeAt(0) > 127;
}
function isIdentPart(c: string): boolean {
  return isIdentStart(c) || (c >= '0' && c <= '9') || c === '$';
}
function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

/**
 * Splits SQL text into tokens with 1-based line and column. Comments (`-- ...` and `/* ... *\/`) and
 * whitespace are dropped. Unquoted identifiers are upper-cased here (the KDA identifier rule); quoted
 * identifiers keep their exact text.
 *
 * @example
 * tokenize('select "a"')  // [ident SELECT, quoted a, eof]
 */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const n = sql.length;
  const pos = (offset: number) => ({ line, column: offset - lineStart + 1 });
  const push = (kind: TokenKind, text: string, start: number, startLine: number, startCol: number) => {
    tokens.push({ kind, text, raw: sql.slice(start, i), line: startLine, column: startCol, offset: start });
  };
  while (i < n) {
    const c = sql[i];
    if (c === '\n') {
      i++;
      line++;
      lineStart = i;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v' || c === '\u00a0' || c === '\ufeff') {
      i++;
      continue;
    }
    if (c === '-' && sql[i + 1] === '-') {
      while (i < n && sql[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && sql[i + 1] === '*') {
      const p = pos(i);
      i += 2;
      while (i < n && !(sql[i] === '*' && sql[i + 1] === '/')) {
        if (sql[i] === '\n') {
          line++;
          lineStart = i + 1;
        }
        i++;
      }
      if (i >= n) throw new SqlSyntaxError('unterminated comment /* ... (expected */)', p, ['*/']);
      i += 2;
      continue;
    }
    const start = i;
    const { line: sl, column: sc } = pos(i);
    // U&'...' Unicode string literal (escapes resolved by the parser, which also sees UESCAPE).
    if ((c === 'U' || c === 'u') && sql[i + 1] === '&' && sql[i + 2] === "'") {
      i += 2;
      const text = readQuoted("'");
      tokens.push({ kind: 'string', text, raw: sql.slice(start, i), line: sl, column: sc, offset: start });
      continue;
    }
    if (isIdentStart(c)) {
      while (i < n && isIdentPart(sql[i])) i++;
      push('ident', sql.slice(start, i).toUpperCase(), start, sl, sc);
      continue;
    }
    if (c === '"') {
      const text = readQuoted('"');
      if (text.length === 0) throw new SqlSyntaxError('empty quoted identifier ""', { line: sl, column: sc }, ['identifier']);
      push('quoted', text, start, sl, sc);
      continue;
    }
    if (c === "'") {
      const text = readQuoted("'");
      push('string', text, start, sl, sc);
      continue;
    }
    if (isDigit(c) || (c === '.' && isDigit(sql[i + 1] ?? ''))) {
      while (i < n && isDigit(sql[i])) i++;
      if (sql[i] === '.' && isDigit(sql[i + 1] ?? '')) {
        i++;
        while (i < n && isDigit(sql[i])) i++;
      } else if (sql[i] === '.' && !isIdentStart(sql[i + 1] ?? '')) {
        i++; // "1." is a number
      }
      if ((sql[i] === 'e' || sql[i] === 'E') && (isDigit(sql[i + 1] ?? '') || ((sql[i + 1] === '+' || sql[i + 1] === '-') && isDigit(sql[i + 2] ?? '')))) {
        i += 2;
        while (i < n && isDigit(sql[i])) i++;
      }
      push('number', sql.slice(start, i), start, sl, sc);
      continue;
    }
    const two = sql.slice(i, i + 2);
    if (TWO_CHAR_OPS.has(two)) {
      i += 2;
      push('op', two, start, sl, sc);
      continue;
    }
    if (ONE_CHAR_OPS.has(c)) {
      i++;
      push('op', c, start, sl, sc);
      continue;
    }
    throw new SqlSyntaxError(`unexpected character '${c}'`, { line: sl, column: sc });
  }
  tokens.push({ kind: 'eof', text: '', raw: '', line, column: i - lineStart + 1, offset: i });
  return tokens;

  /** Reads a quoted run starting at the opening quote; a doubled quote is one quote character. */
  function readQuoted(q: string): string {
    const p = pos(i);
    i++;
    let out = '';
    for (;;) {
      if (i >= n) {
        throw new SqlSyntaxError(`unterminated ${q === "'" ? 'string literal' : 'quoted identifier'} (expected closing ${q})`, p, [q]);
      }
      const ch = sql[i];
      if (ch === q) {
        if (sql[i + 1] === q) {
          out += q;
          i += 2;
          continue;
        }
        i++;
        return out;
      }
      if (ch === '\n') {
        line++;
        lineStart = i + 1;
      }
      out += ch;
      i++;
    }
  }
}
