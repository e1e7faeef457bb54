/** Tokens of the KDA SQL dialect, as produced by {@link tokenize}. */

export type TokenKind =
  | 'ident' // unquoted identifier or keyword; `text` is upper-cased
  | 'quoted' // "quoted identifier"; `text` is exact, with "" unescaped
  | 'string' // 'literal'; `text` is the value with '' unescaped
  | 'number' // 123, 1.5, 1e3; `text` as written
  | 'op' // punctuation and operators: ( ) , . ; + - * / || = <> != < <= > >= [ ] :
  | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** For `ident`, the upper-cased text; otherwise the value as described on {@link TokenKind}. */
  readonly text: string;
  /** The text exactly as it appears in the source. */
  readonly raw: string;
  readonly line: number;
  readonly column: number;
  /** Offset of the first character in the source. */
  readonly offset: number;
}

/** A human-readable description of a token for error messages. */
export function describeToken(t: Token): string {
  switch (t.kind) {
    case 'eof':
      return 'end of input';
    case 'string':
      return `string '${t.text}'`;
    case 'quoted':
      return `identifier "${t.text}"`;
    case 'number':
      return `number ${t.raw}`;
    default:
      return `'${t.raw}'`;
  }
}
