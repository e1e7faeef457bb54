import type { Value } from '../types/sql-type.js';

/** A Value in JSON-serialisable form: binary as {"$b": hex}, non-finite numbers as {"$n": "Infinity"}. */
export type EncodedValue = null | boolean | number | string | { $b: string } | { $n: string } | EncodedValue[];

export function encodeValue(v: Value): EncodedValue {
  if (v instanceof Uint8Array) return { $b: Buffer.from(v).toString('hex') };
  if (typeof v === 'number' && !Number.isFinite(v)) return { $n: String(v) };
  if (Array.isArray(v)) return v.map(encodeValue);
  return v as EncodedValue;
}

export function decodeValue(v: EncodedValue): Value {
  if (v !== null && typeof v === 'object') {
    if (Array.isArray(v)) return v.map(decodeValue);
    if ('$b' in v) return new Uint8Array(Buffer.from(v.$b, 'hex'));
    if ('$n' in v) return Number(v.$n);
  }
  return v as Value;
}

export const encodeRow = (row: readonly Value[]): EncodedValue[] => row.map(encodeValue);
export const decodeRow = (row: readonly EncodedValue[]): Value[] => row.map(decodeValue);
