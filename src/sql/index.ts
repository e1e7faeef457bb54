export type * from './ast.js';
export { tokenize } from './lexer.js';
export { parseScript, parseExpression, parseQuery } from './parser.js';
export { RESERVED_WORDS, RESERVED_FUNCTION_NAMES } from './reserved-words.js';
export type { Token, TokenKind } from './token.js';
export { describeToken } from './token.js';
