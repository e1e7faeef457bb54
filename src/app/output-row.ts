/**
 * Turns an engine row (values in column order) into the JSON-ready object that outputs and `replay` write:
 * keys are the stored column names plus ROWTIME; TIMESTAMP as "YYYY-MM-DD HH:MM:SS.SSS" (UTC), DATE as
 * "YYYY-MM-DD", TIME as "HH:MM:SS.SSS", binary as hex, numbers as JSON numbers, NULL as null.
 */
import type { SqlType, Value } from '../types/sql-type.js';

export interface OutputColumn {
  readonly name: string;
  readonly type: SqlType;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

export function formatTimestamp(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
}

export function formatValue(type: SqlType, v: Value): unknown {
  if (v === null) return null;
  switch (type.kind) {
    case 'TIMESTAMP':
      return formatTimestamp(v as number);
    case 'DATE':
      return formatTimestamp(v as number).slice(0, 10);
    case 'TIME':
      return formatTimestamp(v as number).slice(11);
    case 'BINARY':
    case 'VARBINARY':
      return Buffer.from(v as Uint8Array).toString('hex');
    case 'ROW':
      return (v as readonly Value[]).map((x, i) => formatValue(type.fields[i]?.type ?? { kind: 'VARCHAR', length: null }, x));
    default:
      return v;
  }
}

/** A row formatter for one stream, built once (the column list does not change while the application runs). */
export function rowFormatter(columns: readonly OutputColumn[]): (values: readonly Value[], rowtime: number) => Record<string, unknown> {
  return (values, rowtime) => {
    const o: Record<string, unknown> = { ROWTIME: formatTimestamp(rowtime) };
    for (let i = 0; i < columns.length; i++) o[columns[i].name] = formatValue(columns[i].type, values[i] ?? null);
    return o;
  };
}
