/**
 * The first rows of a sample as a discovered schema maps them, through the input decoder `run` uses, and the
 * records the decoder rejects under that schema, with its reason.
 */
import { createInputDecoder, type InputFormatConfig } from '../input/index.js';
import { formatSqlType, type SqlType, type Value } from '../types/sql-type.js';

export interface Preview {
  readonly columns: readonly { readonly name: string; readonly type: SqlType }[];
  readonly rows: readonly (readonly Value[])[];
  /** Decoder errors: the record index, the reason and the failing part of the record. */
  readonly errors: readonly { readonly index: number; readonly reason: string; readonly text: string }[];
}

const decoder = new TextDecoder();

export function previewRows(schema: InputFormatConfig, payloads: readonly (Uint8Array | string)[], maxRows = 10): Preview {
  const input = createInputDecoder({ ...schema, columns: [...schema.columns] });
  const rows: Value[][] = [];
  const errors: { index: number; reason: string; text: string }[] = [];
  payloads.forEach((p, index) => {
    input.decode(
      p,
      (row) => void (rows.length < maxRows && rows.push(row)),
      (e, raw) => errors.push({ index, reason: `${e.errorName}: ${e.message}`, text: typeof raw === 'string' ? raw : decoder.decode(raw) }),
    );
  });
  return { columns: input.columns, rows, errors };
}

/** A value as the preview shows it: TIMESTAMP as ISO text, binary as hex, NULL as NULL. */
export function formatValue(v: Value, type: SqlType): string {
  if (v === null) return 'NULL';
  if (type.kind === 'TIMESTAMP' && typeof v === 'number') return new Date(v).toISOString().replace('T', ' ').replace('Z', '');
  if (v instanceof Uint8Array) return `x'${Buffer.from(v).toString('hex')}'`;
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** A plain-text table of rows (header: name and type), each cell cut to `width` characters. */
export function formatTable(columns: Preview['columns'], rows: readonly (readonly Value[])[], width = 24): string {
  const cut = (s: string) => (s.length > width ? `${s.slice(0, width - 1)}…` : s);
  const cells = [columns.map((c) => cut(`${c.name} ${formatSqlType(c.type)}`)), ...rows.map((r) => r.map((v, i) => cut(formatValue(v, columns[i].type))))];
  const widths = columns.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) => r.map((c, i) => c.padEnd(widths[i])).join(' | ').trimEnd();
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('-+-'), ...cells.slice(1).map(line)].join('\n');
}
