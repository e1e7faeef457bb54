/**
 * A definition file parsed with positions, so that errors can name the line and column of a field and of the
 * SQL inside it. YAML is a superset of JSON, so one parser serves every accepted form.
 */
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, isNode, isScalar, type Document } from 'yaml';
import { ConfigError } from '../../errors.js';
import { cloudFormationTags } from './cloudformation-yaml-tags.js';

export type FieldPath = readonly (string | number)[];

/** A quoted string as written in the file, between its quotes (escapes and all). */
export interface QuotedText {
  readonly style: 'double' | 'single';
  readonly text: string;
}

export class SourceDocument {
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
    for (let n = path.length; n >= 0; n--) {
      const node = this.doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range) {
        const pos = this.lines.linePos(node.range[0]);
        return { line: pos.line, column: pos.col };
      }
    }
    return { line: 1, column: 1 };
  }

  /**
   * Where the text of the string at `path` starts in the file, for mapping SQL positions to file positions.
   * For a YAML block scalar (`|`), the text starts on the next line, indented; `indent` is that indentation.
   */
  locateText(path: FieldPath): { line: number; column: number; indent?: number; quoted?: QuotedText } | undefined {
    const node = this.doc.getIn(path, true);
    if (!isScalar(node) || !node.range) return undefined;
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

/** `['input', 'columns', 2, 'sqlType']` -> `input.columns[2].sqlType`. */
export function formatPath(path: FieldPath): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? p : `.${p}`;
  return out === '' ? '(root)' : out;
}
