/**
 * A definition file parsed with positions, so that errors can name the line and column of a field and of the
 * SQL inside it. YAML is a superset of JSON, so one parser serves every accepted form.
 */
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, isMap, isNode, isScalar, isSeq, type Document } from 'yaml';
import { ConfigError } from '../../errors.js';
import { cloudFormationTags } from './cloudformation-yaml-tags.js';

export type FieldPath = readonly (string | number)[];

/** A quoted string as written in the file, between its quotes (escapes and all). */
export interface QuotedText {
  readonly style: 'double' | 'single';
  readonly text: string;
}

/** Anything that turns a field path into a ConfigError at that field's line and column. */
export interface ErrorSite {
  error(path: FieldPath, message: string): ConfigError;
}

export class SourceDocument implements ErrorSite {
  readonly file: string;
  readonly text: string;
  readonly value: unknown;
  private readonly doc: Document;
  private readonly lines: LineCounter;

  constructor(file: string, text: string) {
    this.file = file;
    this.text = text;
    this.lines = new LineCounter();
    this.doc = parseDocument(text, { customTags: cloudFormationTags, lineCounter: this.lines, prettyErrors: false });
    const first = this.doc.errors[0];
    if (first) {
      const pos = this.lines.linePos(first.pos[0]);
      throw new ConfigError('(file)', `not valid YAML or JSON: ${first.message.split('\n')[0]}`, {
        location: { file, line: pos.line, column: pos.col },
      });
    }
    this.value = this.doc.toJS({ maxAliasCount: 100 });
  }

  static read(file: string): SourceDocument {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new ConfigError('(file)', `cannot read the application file: ${(e as Error).message}`, { location: { file } });
    }
    return new SourceDocument(file, text);
  }

  /** Line and column (1-based) of the value at `path`, or of its nearest existing parent. */
  locate(path: FieldPath): { line: number; column: number } {
    const { node } = this.nodeAt(path);
    const pos = this.lines.linePos(isNode(node) && node.range ? node.range[0] : 0);
    return { line: pos.line, column: pos.col };
  }

  /** The node at `path`, or the deepest one on the way to it (`exact` false). */
  private nodeAt(path: FieldPath): { node: unknown; exact: boolean } {
    let node: unknown = this.doc.contents;
    for (const p of path) {
      // A short-form scalar tag (`!Sub x`) is the node itself; the long form (`Fn::Sub: x`) has the key in the path.
      if (isScalar(node) && node.tag !== undefined && shortFormOf(node.tag) === p) continue;
      const child = isMap(node) || isSeq(node) ? node.get(p, true) : undefined;
      if (!isNode(child) || !child.range) return { node, exact: false };
      node = child;
    }
    return { node, exact: true };
  }

  /**
   * Where the text of the string at `path` starts in the file, for mapping SQL positions to file positions.
   * For a YAML block scalar (`|`), the text starts on the next line, indented; `indent` is that indentation.
   */
  locateText(path: FieldPath): { line: number; column: number; indent?: number; quoted?: QuotedText } | undefined {
    const { node, exact } = this.nodeAt(path);
    if (!exact || !isScalar(node) || !node.range) return undefined;
    const start = this.lines.linePos(node.range[0]);
    if (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') {
      const allLines = this.text.split('\n');
      for (let l = start.line; l < allLines.length; l++) {
        const line = allLines[l];
        if (line.trim() === '') continue;
        const indent = line.length - line.trimStart().length;
        return { line: l + 1, column: indent + 1, indent };
      }
      return undefined;
    }
    // A quoted scalar starts one character after its quote.
    if (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') {
      const text = this.text.slice(node.range[0] + 1, node.range[1] - 1);
      return { line: start.line, column: start.col + 1, quoted: { style: node.type === 'QUOTE_DOUBLE' ? 'double' : 'single', text } };
    }
    return { line: start.line, column: start.col };
  }

  error(path: FieldPath, message: string): ConfigError {
    const pos = this.locate(path);
    return new ConfigError(formatPath(path), message, { location: { file: this.file, line: pos.line, column: pos.column } });
  }
}

/** `!Sub` -> `Fn::Sub`, `!Ref` -> `Ref`: the key of the long form a CloudFormation short-form tag stands for. */
function shortFormOf(tag: string): string | undefined {
  if (!tag.startsWith('!')) return undefined;
  const name = tag.slice(1);
  return name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
}

/** `['input', 'columns', 2, 'sqlType']` -> `input.columns[2].sqlType`. */
export function formatPath(path: FieldPath): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? p : `.${p}`;
  return out === '' ? '(root)' : out;
}
