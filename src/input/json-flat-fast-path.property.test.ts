/**
 * Property tests of the WebAssembly structural index and of the fast path built on it: the index equals a plain
 * JavaScript scan; whenever the fast path decodes a payload, the general decoder gives that same single row and
 * no error; a decoder with the fast path reports exactly what one without it reports (rows, errors, raw), for
 * flat documents, corrupted ones, several documents per payload and arbitrary bytes.
 */
import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSqlType } from '../types/sql-type.js';
import { type FlatJsonFastPath, strictNumber } from './json-flat-fast-path.js';
import { parseJsonPath } from './json-path.js';
import { JsonRecordDecoder } from './json-record-decoder.js';
import { decodeAll } from './test-support.js';
import { MAX_INDEXED_BYTES, StructuralIndex } from './wasm/structural-index.js';

/** The reference scan: offsets of quotes and of `{}[],:` outside strings, or -1 where the index refuses. */
function referenceIndex(bytes: Uint8Array): number[] | -1 {
  const out: number[] = [];
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x5c || b >= 0x80) return -1;
    if (b < 0x20 && (inString || (b !== 0x09 && b !== 0x0a && b !== 0x0d))) return -1;
    if (b === 0x22) {
      out.push(i);
      inString = !inString;
    } else if (!inString && (b === 0x7b || b === 0x7d || b === 0x5b || b === 0x5d || b === 0x2c || b === 0x3a)) out.push(i);
  }
  return inString ? -1 : out;
}

const jsonish = fc
  .array(fc.constantFrom(...'{}[]":,\\ \n\r\t0123456789-+.eEtrufalsnxA'.split(''), '\u0001', '\u00e9', '"a"', '{"a":', '"PRICE":', '"TICKER":', 'true', 'null'), {
    maxLength: 80,
  })
  .map((parts) => Buffer.from(parts.join('')));

const COLUMNS: [string, string][] = [
  ['a', 'VARCHAR'],
  ['TICKER', 'VARCHAR(4)'],
  ['PRICE', 'DOUBLE'],
  ['n', 'INTEGER'],
  ['b', 'BOOLEAN'],
  ['r', 'REAL'],
  ['ts', 'TIMESTAMP'],
];
function decoderWith(structuralIndex: boolean): JsonRecordDecoder {
  return new JsonRecordDecoder(
    {
      names: COLUMNS.map(([n]) => n),
      types: COLUMNS.map(([, t]) => parseSqlType(t)),
      paths: COLUMNS.map(([n]) => parseJsonPath(`$.${n}`)),
      rowPath: [],
      structuralIndex,
    },
    () => {
      throw new Error('unexpected mapping error');
    },
  );
}

/** Values that hit the fast path (ASCII scalars) and some that must leave it (escapes, Unicode, containers). */
const value = fc.oneof(
  { arbitrary: fc.constantFrom('"AMZN"', '"T001"', '""', '"84.51"', '" 42 "', '"true"', '"2026-01-01 00:00:00.000"', '"x,y:z{}[]"', '"nope"'), weight: 4 },
  { arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => JSON.stringify(d)), weight: 3 },
  { arbitrary: fc.integer({ min: -3e9, max: 3e9 }).map(String), weight: 3 },
  { arbitrary: fc.constantFrom('0', '-0', '1e400', '1.5e-7', '123456789012345678', '0.1', '-1.25E+2', 'true', 'false', 'null'), weight: 3 },
  { arbitrary: fc.constantFrom('01', '1.', '-', '1e', '.5', '+1', 'tru', 'nul', 'NaN', '1 2', '"a\\"b"', '"é"', '"\\u0041"', '{"x":1}', '[1,2]', '', '"a'), weight: 1 },
);
const name = fc.oneof(fc.constantFrom(...COLUMNS.map(([n]) => n)), fc.constantFrom('SECTOR', 'SEQ', 'x y', 'PRICEX', 'A'));
const ws = fc.constantFrom('', '', '', ' ', '\n', '\t', '\r\n');
const flatDoc = fc
  .array(fc.tuple(ws, name, ws, ws, value, ws), { maxLength: 8 })
  .chain((members) =>
    fc.tuple(ws, ws).map(([lead, trail]) => `${lead}{${members.map(([w1, n, w2, w3, v, w4]) => `${w1}"${n}"${w2}:${w3}${v}${w4}`).join(',')}}${trail}`),
  );

describe('structural index (WebAssembly SIMD)', () => {
  const index = StructuralIndex.create();

  it('is available on this runtime', () => {
    expect(index).not.toBeNull();
  });

  it('equals a plain JavaScript scan on arbitrary bytes, across 16-byte chunk boundaries', () => {
    fc.assert(
      fc.property(fc.oneof(jsonish, fc.uint8Array({ maxLength: 70 }), flatDoc.map((t) => Buffer.from(t))), (bytes) => {
        const n = index!.index(bytes);
        const want = referenceIndex(bytes);
        if (want === -1) expect(n).toBe(-1);
        else expect([...index!.positions.subarray(0, n)]).toEqual(want);
      }),
      { numRuns: 2000 },
    );
  });

  it('indexes up to its size limit, and sees a string left open by the last byte', () => {
    const big = Buffer.from(`{"a":"${'x'.repeat(MAX_INDEXED_BYTES - 8)}"}`);
    expect(big.length).toBe(MAX_INDEXED_BYTES);
    expect(index!.index(big)).toBe(7); // { " " : " " }
    expect(index!.index(Buffer.from('{"a":"xxxxxxxxxxxxxxxxxxxxxxxxx'))).toBe(-1);
    expect(index!.index(Buffer.concat([big, Buffer.from(' ')]))).toBe(-1);
  });
});

describe('flat JSON fast path', () => {
  const general = decoderWith(false);
  const fast = decoderWith(true);

  it('is taken for a plain record', () => {
    const path = (fast as unknown as { fast: FlatJsonFastPath | null }).fast;
    expect(path).not.toBeNull();
    expect(path!.decodeRow(Buffer.from('{"TICKER":"AMZNX","SECTOR":"X","PRICE":84.51,"SEQ":7,"n":-3,"ok":true}'))).toEqual([null, 'AMZN', 84.51, -3, null, null, null]);
  });

  it('decodes a payload only when the general decoder gives that same single row and no error', () => {
    const path = (fast as unknown as { fast: FlatJsonFastPath }).fast;
    let taken = 0;
    let runs = 0;
    fc.assert(
      fc.property(flatDoc, (text) => {
        runs++;
        const bytes = Buffer.from(text);
        const row = path.decodeRow(bytes);
        if (row === null) return;
        taken++;
        const got = decodeAll(general, bytes);
        expect(got.errors).toEqual([]);
        expect(got.rows).toEqual([row]);
      }),
      { numRuns: 1500 },
    );
    // The generator must exercise the path, not only its refusals.
    expect(taken).toBeGreaterThan(runs / 5);
  });

  it('reports exactly what the general decoder reports: rows, errors and raw, for any payload', () => {
    const doc = fc.oneof(
      flatDoc,
      fc.array(flatDoc, { minLength: 2, maxLength: 3 }).map((ds) => ds.join('\n')),
      fc.tuple(flatDoc, fc.nat(), fc.integer({ min: 0, max: 255 })).map(([t, at, byte]) => {
        const b = Buffer.from(t);
        if (b.length > 0) b[at % b.length] = byte;
        return b.toString('latin1');
      }),
    );
    fc.assert(
      fc.property(fc.oneof(doc.map((t) => Buffer.from(t, 'latin1')), jsonish, fc.uint8Array({ maxLength: 60 })), (bytes) => {
        const a = decodeAll(general, bytes);
        const b = decodeAll(fast, bytes);
        expect(b.events).toEqual(a.events);
        expect(b.rows).toEqual(a.rows);
        expect(b.errors.map((e) => [e.error.errorName, e.error.message, e.raw])).toEqual(a.errors.map((e) => [e.error.errorName, e.error.message, e.raw]));
      }),
      { numRuns: 2000 },
    );
  });

  it('a reused payload buffer does not leak into later records (name predictions are copies)', () => {
    const buf = Buffer.alloc(24, 0x20);
    const rows: unknown[] = [];
    for (const text of ['{"PRICE":1}', '{"PRIXE":2}', '{"PRICE":3}']) {
      buf.fill(0x20);
      buf.write(text);
      fast.decode(buf, (row) => rows.push(row[2]), (e) => rows.push(e.message));
    }
    expect(rows).toEqual([1, null, 3]);
  });
});

describe('strictNumber', () => {
  it('accepts exactly the JSON number grammar and equals Number() of the text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => JSON.stringify(d)), fc.stringMatching(/^-?[0-9.eE+-]{1,8}$/)), (text) => {
        const bytes = Buffer.from(text);
        const got = strictNumber(bytes, 0, bytes.length);
        const valid = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/.test(text);
        if (valid) expect(got).toBe(Number(text));
        else expect(got).toBeNaN();
      }),
      { numRuns: 2000 },
    );
  });
});
