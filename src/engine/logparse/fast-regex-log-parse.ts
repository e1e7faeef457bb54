import { PlanError } from '../../errors.js';
import {
  FastRegexSyntaxError,
  fastRegexToSource,
  firstCharsOf,
  fixedLengthOf,
  isNullable,
  parseFastRegex,
  type FastRegexNode,
} from './fast-regex-pattern.js';
import { rowTypeOf, varcharColumns, varcharValue, type LogParser } from './log-parser.js';

interface Piece {
  readonly capture: boolean;
  readonly exact: RegExp;
  /** Tests one character: can a non-empty match start with it? */
  readonly first: RegExp | null;
  readonly nullable: boolean;
  readonly fixedLength: number | null;
}

/**
 * FAST_REGEX_LOG_PARSE(input, 'fast regex') (SQLREF sql-reference-fast-regex-log-parser): COLUMN1..n
 * VARCHAR(1024), one per top-level parenthesised group, left to right.
 *
 * Matching follows the page's description: the pattern is cut into a sequence of expressions (each top-level
 * group, and each run of items between groups) that are matched one after the other, left to right, without
 * backtracking; the whole input must be consumed, else the result is NULL. A group is matched lazily: it ends at
 * the first position where the next expression can start, i.e. where the next character can begin it (or the
 * next expression can be empty and the one after it can start there); the last expression must match the rest
 * of the input. Text between groups is consumed as far as it can go with the next expression still able to
 * start after it. So '(.*)_+(.*)' and '(.*)_+(<Alpha>.*)' both split 'Mary____had_a_little_lamb' into 'Mary' and
 * 'had_a_little_lamb', as the page's first example shows. A pattern whose top level is an alternation has no
 * top-level group and is rejected, like any pattern without a group.
 *
 * @example
 * planFastRegexLogParse('(.*)_+(.*)').parse('Mary____had_a_little_lamb') // ['Mary', 'had_a_little_lamb']
 */
export function planFastRegexLogParse(pattern: string): LogParser {
  let root: FastRegexNode;
  try {
    root = parseFastRegex(pattern);
  } catch (e) {
    if (e instanceof FastRegexSyntaxError) throw new PlanError(`FAST_REGEX_LOG_PARSE: ${e.message}`);
    throw e;
  }
  const items = root.kind === 'concat' ? root.items : [root];
  const pieces: Piece[] = [];
  let pending: FastRegexNode[] = [];
  const makePiece = (nodes: FastRegexNode[], capture: boolean): Piece => {
    const node: FastRegexNode = nodes.length === 1 ? nodes[0] : { kind: 'concat', items: nodes };
    const source = fastRegexToSource(node);
    return {
      capture,
      exact: new RegExp(`^(?:${source})$`, 's'),
      first: ((f) => (f === null ? null : new RegExp(`^(?:${f})$`, 's')))(firstCharsOf(node)),
      nullable: isNullable(node),
      fixedLength: fixedLengthOf(node),
    };
  };
  for (const item of items) {
    if (item.kind === 'group') {
      if (pending.length > 0) pieces.push(makePiece(pending, false));
      pending = [];
      pieces.push(makePiece([item.node], true));
    } else {
      pending.push(item);
    }
  }
  if (pending.length > 0) pieces.push(makePiece(pending, false));
  const groups = pieces.filter((p) => p.capture).length;
  if (groups === 0) {
    throw new PlanError(`FAST_REGEX_LOG_PARSE: the pattern '${pattern}' has no top-level group, so it gives no column`);
  }
  const fields = varcharColumns(groups);
  return {
    functionName: 'FAST_REGEX_LOG_PARSE',
    fields,
    rowType: rowTypeOf(fields),
    parse(input) {
      if (input === null) return null;
      const captured = matchPieces(pieces, input);
      return captured === null ? null : captured.map((v) => varcharValue(v));
    },
  };
}

function matchPieces(pieces: readonly Piece[], input: string): string[] | null {
  const out: string[] = [];
  const len = input.length;
  const exactAt = (p: Piece, from: number, to: number): boolean => p.exact.test(input.slice(from, to));
  const canStart = (k: number, at: number): boolean => {
    if (k === pieces.length) return at === len;
    if (k === pieces.length - 1) return exactAt(pieces[k], at, len);
    const p = pieces[k];
    if (at < len && p.first !== null && p.first.test(input[at])) return true;
    return p.nullable && canStart(k + 1, at);
  };
  let pos = 0;
  for (let k = 0; k < pieces.length; k++) {
    const piece = pieces[k];
    let end = -1;
    if (k === pieces.length - 1) {
      if (exactAt(piece, pos, len)) end = len;
    } else if (piece.fixedLength !== null) {
      const e = pos + piece.fixedLength;
      if (e <= len && exactAt(piece, pos, e) && canStart(k + 1, e)) end = e;
    } else if (piece.capture) {
      for (let e = pos; e <= len; e++) {
        if (exactAt(piece, pos, e) && canStart(k + 1, e)) {
          end = e;
          break;
        }
      }
    } else {
      for (let e = len; e >= pos; e--) {
        if (exactAt(piece, pos, e) && canStart(k + 1, e)) {
          end = e;
          break;
        }
      }
    }
    if (end < 0) return null;
    if (piece.capture) out.push(input.slice(pos, end));
    pos = end;
  }
  return pos === len ? out : null;
}
