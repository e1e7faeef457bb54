/**
 * Maps a line and column inside an application's SQL to the line and column in the file it was read from,
 * so that a SQL error in a YAML template names the template's own line.
 */
import type { DefinitionOrigin } from './app-definition.js';

export function sqlPositionInFile(origin: DefinitionOrigin, line: number, column: number): { file: string; line: number; column: number } {
  const file = origin.sqlFile ?? origin.file;
  const start = origin.sqlStart;
  if (!start) return { file, line, column };
  if (line === 1) return { file, line: start.line, column: start.column + column - 1 };
  // Later lines of a YAML block scalar are indented like the first; of a JSON string we know only the start.
  if (origin.sqlIndent !== undefined) return { file, line: start.line + line - 1, column: origin.sqlIndent + column };
  if (origin.form === 'describe-application') return { file, line: start.line, column: start.column };
  return { file, line: start.line + line - 1, column };
}
