/**
 * The SQL editor: CodeMirror 6 with SQL highlighting, validated as you type by the engine itself (through the
 * server), each problem marked at its line and column.
 */
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { sql, StandardSQL } from '@codemirror/lang-sql';
import { bracketMatching, defaultHighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { linter, lintGutter, type Diagnostic as CmDiagnostic } from '@codemirror/lint';
import { EditorState, type Text } from '@codemirror/state';
import { EditorView, highlightActiveLine, keymap, lineNumbers } from '@codemirror/view';
import type { Diagnostic } from './api.js';

export interface SqlEditorOptions {
  readonly doc: string;
  readonly parent: HTMLElement;
  readonly validate: (sql: string) => Promise<Diagnostic[]>;
  /** Called with every validation result (the page lists the problems beside the editor). */
  readonly onDiagnostics: (d: Diagnostic[]) => void;
  readonly onSave: () => void;
}

/** The document range a diagnostic marks: from its line and column to the end of the word there. */
export function rangeOf(doc: Text, d: Diagnostic): { from: number; to: number } {
  const line = doc.line(Math.min(Math.max(d.line, 1), doc.lines));
  const from = Math.min(line.from + Math.max(d.column - 1, 0), line.to);
  const rest = doc.sliceString(from, line.to);
  const word = /^("[^"]*"|'[^']*'|[\w$.]+|\S)/.exec(rest);
  return { from, to: from + (word ? word[0].length : 0) };
}

export function createSqlEditor(o: SqlEditorOptions): EditorView {
  const engineLinter = linter(
    async (view) => {
      const text = view.state.doc.toString();
      const diagnostics = await o.validate(text);
      o.onDiagnostics(diagnostics);
      // The document may have changed while the server answered; positions are mapped onto the current text.
      const doc = view.state.doc;
      return diagnostics.map((d): CmDiagnostic => ({ ...rangeOf(doc, d), severity: 'error', message: `${d.kind}: line ${d.line}, column ${d.column}: ${d.message}` }));
    },
    { delay: 300 },
  );
  return new EditorView({
    parent: o.parent,
    state: EditorState.create({
      doc: o.doc,
      extensions: [
        lineNumbers(),
        history(),
        highlightActiveLine(),
        bracketMatching(),
        syntaxHighlighting(defaultHighlightStyle),
        sql({ dialect: StandardSQL, upperCaseKeywords: true }),
        lintGutter(),
        engineLinter,
        keymap.of([{ key: 'Mod-s', preventDefault: true, run: () => (o.onSave(), true) }, ...defaultKeymap, ...historyKeymap]),
        EditorView.lineWrapping,
      ],
    }),
  });
}
