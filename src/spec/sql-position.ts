/**
 * Maps a line and column inside an application's SQL to the line and column in the file it was read from,
 * so that a SQL error in a YAML template or a describe-application JSON names the file's own line and column.
 */
import type { DefinitionOrigin } from './app-definition.js';

export function sqlPositionInFile(origin: DefinitionOrigin, line: number, column: number): { file: string; line: number; column: number } {
  const file = origin.sqlFile ?? origin.file;
  const start = origin.sqlStart;
  if (!start) return { file, line, column };
  if (origin.sqlQuoted) {
    const offset = offsetInQuoted(origin.sqlQuoted, line, column);
    if (offset !== undefined) return { file, line: start.line, column: start.column + offset };
  }
  if (line === 1) return { file, line: start.line, column: start.column + column - 1 };
  // Later lines of a YAML block scalar are indented like the first; of a quoted string we know only the start.
  if (origin.sqlIndent !== undefined) return { file, line: start.line + line - 1, column: origin.sqlIndent + column };
  if (origin.sqlQuoted) return { file, line: start.line, column: start.column };
  return { file, line: start.line + line - 1, column };
}

/** Length of the escape sequence at `i` of a double-quoted string (`\n`, `\"`, `\u0041`, YAML's `\x41`, `\U…`). */
function escapeLength(text: string, i: number): number {
  const c = text[i + 1];
  return c === 'u' ? 6 : c === 'x' ? 4 : c === 'U' ? 10 : 2;
}

/**
 * Walks a quoted string as written, counting the SQL's lines and columns as its escapes decode, and returns the
 * offset in the file's line (from the string's first character) of SQL `line`:`column`. Undefined when the
 * string breaks across file lines (YAML line folding), which this walk does not follow.
 */
function offsetInQuoted(quoted: { style: 'double' | 'single'; text: string }, line: number, column: number): number | undefined {
  const { text, style } = quoted;
  let sqlLine = 1;
  let sqlColumn = 1;
  let i = 0;
  while (i <= text.length) {
    if (sqlLine === line && sqlColumn === column) return i;
    if (i === text.length) break;
    const c = text[i];
    if (c === '\n' || c === '\r') return undefined;
    let width = 1;
    let newline = false;
    if (style === 'double' && c === '\\') {
      width = escapeLength(text, i);
      newline = text[i + 1] === 'n';
    } else if (style === 'single' && c === "'" && text[i + 1] === "'") {
      width = 2;
    }
    i += width;
    if (newline) {
      sqlLine++;
      sqlColumn = 1;
    } else sqlColumn++;
  }
  return undefined;
}
