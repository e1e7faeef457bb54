/** Test helpers shared by the input tests (not exported from index.ts). */
import type { ExecutionError } from '../errors.js';
import type { Value } from '../types/sql-type.js';
import type { InputDecoder } from './input-decoder.js';

export interface Decoded {
  rows: Value[][];
  errors: { error: ExecutionError; raw: string }[];
  /** Rows and errors in the order they were reported. */
  events: string[];
}

/** Decodes payloads and collects what the decoder reports (raw made readable as text). */
export function decodeAll(decoder: InputDecoder, ...payloads: (Uint8Array | string)[]): Decoded {
  const out: Decoded = { rows: [], errors: [], events: [] };
  for (const payload of payloads) {
    decoder.decode(
      payload,
      (row) => {
        out.rows.push(row);
        out.events.push('row');
      },
      (error, raw) => {
        out.errors.push({ error, raw: typeof raw === 'string' ? raw : Buffer.from(raw).toString('utf8') });
        out.events.push('error');
      },
    );
  }
  return out;
}
