import { InternalError } from '../../errors.js';
import type { Value } from '../../types/sql-type.js';

/**
 * Helpers for the JSON-serialisable snapshots of analytics state (Engine.snapshot()): typed arrays travel as
 * base64 of their bytes (compact and exact for doubles), run-time values as JSON with bytes tagged.
 */
export function encodeTyped(array: Float64Array | Int32Array | Uint8Array): string {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64');
}

export function decodeFloat64(text: string, target: Float64Array): void {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.byteLength !== target.byteLength) throw new InternalError('analytics snapshot: Float64Array size mismatch');
  target.set(new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)));
}

export function decodeInt32(text: string, target: Int32Array): void {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.byteLength !== target.byteLength) throw new InternalError('analytics snapshot: Int32Array size mismatch');
  target.set(new Int32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)));
}

export function decodeUint8(text: string, target: Uint8Array): void {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.byteLength !== target.byteLength) throw new InternalError('analytics snapshot: Uint8Array size mismatch');
  target.set(bytes);
}

export type EncodedValue = null | boolean | number | string | { bytes: string } | { row: EncodedValue[] };

export function encodeValue(value: Value): EncodedValue {
  if (value instanceof Uint8Array) return { bytes: Buffer.from(value).toString('base64') };
  if (Array.isArray(value)) return { row: value.map(encodeValue) };
  return value as null | boolean | number | string;
}

export function decodeValue(value: EncodedValue): Value {
  if (value !== null && typeof value === 'object') {
    if ('bytes' in value) return new Uint8Array(Buffer.from(value.bytes, 'base64'));
    return value.row.map(decodeValue);
  }
  return value;
}
