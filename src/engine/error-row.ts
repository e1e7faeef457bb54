import type { ExecutionError } from '../errors.js';
import type { Value } from '../types/sql-type.js';
import { encodeValue } from './snapshot-codec.js';

/** One row of error_stream (DG error-handling.html). */
export interface ErrorRow {
  ERROR_TIME: number;
  ERROR_LEVEL: string;
  ERROR_NAME: string;
  MESSAGE: string;
  DATA_ROWTIME: number | null;
  /** The offending row or record, hex-encoded. */
  DATA_ROW: string;
  PUMP_NAME: string | null;
}

/** Hex of the UTF-8 text (or the bytes) of the data that caused an error. */
export function hexOf(data: Uint8Array | string | readonly Value[]): string {
  if (data instanceof Uint8Array) return Buffer.from(data).toString('hex');
  if (typeof data === 'string') return Buffer.from(data, 'utf8').toString('hex');
  return Buffer.from(JSON.stringify(data.map(encodeValue)), 'utf8').toString('hex');
}

export function errorRow(error: ExecutionError, time: number, dataRowtime: number | null, data: Uint8Array | string | readonly Value[], pump: string | null): ErrorRow {
  return {
    ERROR_TIME: time,
    ERROR_LEVEL: 'ERROR',
    ERROR_NAME: error.errorName.slice(0, 32),
    MESSAGE: error.message.slice(0, 4096),
    DATA_ROWTIME: dataRowtime,
    DATA_ROW: hexOf(data).slice(0, 49152),
    PUMP_NAME: pump,
  };
}
