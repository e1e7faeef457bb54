import type { SqlType, Value } from '../types/sql-type.js';
import type { ErrorRow } from './error-row.js';

const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** 'YYYY-MM-DD HH:MM:SS.SSS' (UTC), the TIMESTAMP form of JSON output. */
export function formatTimestamp(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)} ${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.${pad(d.getUTCMilliseconds(), 3)}`;
}
const formatDate = (ms: number) => formatTimestamp(ms).slice(0, 10);
const formatTime = (ms: number) => formatTimestamp(((ms % 86_400_000) + 86_400_000) % 86_400_000).slice(11, 19);

/** A value as JSON output shows it: TIMESTAMP as 'YYYY-MM-DD HH:MM:SS.SSS' (UTC), DATE 'YYYY-MM-DD', TIME 'HH:MM:SS'. */
export function jsonValue(v: Value, type: SqlType): unknown {
  if (v === null) return null;
  switch (type.kind) {
    case 'TIMESTAMP':
      return formatTimestamp(v as number);
    case 'DATE':
      return formatDate(v as number);
    case 'TIME':
      return formatTime(v as number);
    case 'BINARY':
    case 'VARBINARY':
      return Buffer.from(v as Uint8Array).toString('hex').toUpperCase();
    case 'ROW':
      return (v as Value[]).map((x, i) => jsonValue(x, type.fields[i]?.type ?? { kind: 'VARCHAR', length: null }));
    default:
      return v;
  }
}

/** A stream row as a JSON object keyed by the stored column names, with ROWTIME first. */
export function jsonRow(columns: readonly { name: string; type: SqlType }[], row: readonly Value[], rowtime: number): Record<string, unknown> {
  const o: Record<string, unknown> = { ROWTIME: formatTimestamp(rowtime) };
  for (let i = 0; i < columns.length; i++) o[columns[i].name] = jsonValue(row[i], columns[i].type);
  return o;
}

/** An error_stream row as a JSON object (timestamps formatted like other TIMESTAMP columns). */
export function jsonErrorRow(e: ErrorRow): Record<string, unknown> {
  return {
    ERROR_TIME: formatTimestamp(e.ERROR_TIME),
    ERROR_LEVEL: e.ERROR_LEVEL,
    ERROR_NAME: e.ERROR_NAME,
    MESSAGE: e.MESSAGE,
    DATA_ROWTIME: e.DATA_ROWTIME === null ? null : formatTimestamp(e.DATA_ROWTIME),
    DATA_ROW: e.DATA_ROW,
    PUMP_NAME: e.PUMP_NAME,
  };
}
