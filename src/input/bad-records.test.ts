import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { createInputDecoder } from './create-input-decoder.js';
import { MAX_MAPPED_JSON_DEPTH } from './json-record-decoder.js';
import type { InputDecoder } from './input-decoder.js';

/**
 * Records that used to vanish or crash: every bad record gives an error with its bytes (error_stream's
 * DATA_ROW), and the records around it still decode.
 */

function collect(d: InputDecoder, payload: Uint8Array | string) {
  const rows: unknown[][] = [];
  const errors: { name: string; message: string; raw: Buffer }[] = [];
  d.decode(
    payload,
    (r) => rows.push(r),
    (e, raw) => errors.push({ name: e.errorName, message: e.message, raw: Buffer.from(typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw) }),
  );
  return { rows, errors };
}

const json = createInputDecoder({
  format: 'JSON',
  columns: [
    { name: 'name', sqlType: 'VARCHAR(64)', mapping: '$.name' },
    { name: 'n', sqlType: 'INTEGER', mapping: '$.n' },
  ],
});
const csv = createInputDecoder({ format: 'CSV', columns: [{ name: 'name', sqlType: 'VARCHAR(64)' }, { name: 'n', sqlType: 'INTEGER' }] });

describe('an empty or blank record', () => {
  for (const [name, payload] of [
    ['empty bytes', new Uint8Array(0)],
    ['empty string', ''],
    ['whitespace', Buffer.from(' \r\n\t ')],
    ['a byte order mark only', Buffer.from([0xef, 0xbb, 0xbf])],
  ] as const) {
    it(`JSON, ${name}: one INPUT_PARSE_ERROR with the record's bytes`, () => {
      const r = collect(json, payload);
      expect(r.rows).toEqual([]);
      expect(r.errors.map((e) => e.name)).toEqual(['INPUT_PARSE_ERROR']);
      expect(r.errors[0].message).toMatch(/^record is (empty|blank)/);
      expect(r.errors[0].raw).toEqual(Buffer.from(payload));
    });
  }
  for (const [name, payload] of [
    ['empty bytes', new Uint8Array(0)],
    ['only row delimiters', '\n\n'],
  ] as const) {
    it(`CSV, ${name}: one INPUT_PARSE_ERROR with the record's bytes`, () => {
      const r = collect(csv, payload);
      expect(r.rows).toEqual([]);
      expect(r.errors.map((e) => [e.name, e.raw])).toEqual([['INPUT_PARSE_ERROR', Buffer.from(payload)]]);
    });
  }
  it('an empty line between rows of one CSV record is still no row and no error (documented)', () => {
    expect(collect(csv, 'a,1\n\nb,2\n')).toEqual({ rows: [['a', 1], ['b', 2]], errors: [] });
  });
});

describe('invalid UTF-8 in a mapped text column', () => {
  const bad = Buffer.from([0x41, 0xff, 0x42]); // A, a byte that never occurs in UTF-8, B
  const cut = Buffer.from([0x41, 0xe6, 0x97]); // A, then a three-byte sequence cut short
  for (const [name, value] of [
    ['a stray byte', bad],
    ['a cut-short sequence', cut],
  ] as const) {
    it(`JSON string with ${name}: INPUT_COERCION_ERROR naming the column, the document's bytes as raw, the next document decoded`, () => {
      const doc = Buffer.concat([Buffer.from('{"name":"'), value, Buffer.from('","n":1}')]);
      const r = collect(json, Buffer.concat([doc, Buffer.from('\n{"name":"ok","n":2}')]));
      expect(r.rows).toEqual([['ok', 2]]);
      expect(r.errors.map((e) => e.name)).toEqual(['INPUT_COERCION_ERROR']);
      expect(r.errors[0].message).toMatch(/column "name": it is not valid UTF-8 \(byte 0x(ff|e6) at offset 1\)/);
      expect(r.errors[0].raw).toEqual(doc);
    });
  }
  it('an escaped JSON string and an object mapped as text are checked too', () => {
    const d = createInputDecoder({ format: 'JSON', columns: [{ name: 'doc', sqlType: 'VARCHAR(64)', mapping: '$.o' }, { name: 'name', sqlType: 'VARCHAR(64)', mapping: '$.name' }] });
    for (const doc of [
      Buffer.concat([Buffer.from('{"o":1,"name":"\\n'), bad, Buffer.from('"}')]),
      Buffer.concat([Buffer.from('{"o":{"x":"'), bad, Buffer.from('"},"name":"a"}')]),
    ]) {
      const r = collect(d, doc);
      expect(r.rows).toEqual([]);
      expect(r.errors.map((e) => [e.name, e.raw])).toEqual([['INPUT_COERCION_ERROR', doc]]);
      expect(r.errors[0].message).toMatch(/not valid UTF-8/);
    }
  });
  it('valid multi-byte text is decoded as before', () => {
    expect(collect(json, Buffer.from('{"name":"日本 é 😀","n":1}')).rows).toEqual([['日本 é 😀', 1]]);
  });
  it('CSV field: INPUT_COERCION_ERROR for that line, the other lines decoded', () => {
    const line = Buffer.concat([bad, Buffer.from(',1')]);
    const r = collect(csv, Buffer.concat([Buffer.from('a,0\n'), line, Buffer.from('\nb,2')]));
    expect(r.rows).toEqual([['a', 0], ['b', 2]]);
    expect(r.errors.map((e) => [e.name, e.raw])).toEqual([['INPUT_COERCION_ERROR', line]]);
  });
});

describe('deeply nested JSON', () => {
  const d = createInputDecoder({ format: 'JSON', columns: [{ name: 'deep', sqlType: 'VARCHAR(8192)', mapping: '$.deep' }, { name: 'n', sqlType: 'INTEGER', mapping: '$.n' }] });
  const nested = (depth: number) => '['.repeat(depth) + '1' + ']'.repeat(depth);
  it(`a value mapped as text nesting up to ${MAX_MAPPED_JSON_DEPTH} levels is decoded`, () => {
    const r = collect(d, `{"deep":${nested(MAX_MAPPED_JSON_DEPTH)},"n":1}`);
    expect(r.errors).toEqual([]);
    expect(r.rows).toEqual([[nested(MAX_MAPPED_JSON_DEPTH), 1]]);
  });
  it('deeper (10,000 and 100,000 levels): an INPUT_PARSE_ERROR naming the column and the limit, the next document decoded', () => {
    for (const depth of [MAX_MAPPED_JSON_DEPTH + 1, 10_000, 100_000]) {
      const doc = `{"n":1,"deep":${nested(depth)}}`;
      const r = collect(d, `${doc}\n{"n":2}`);
      expect(r.rows).toEqual([[null, 2]]);
      expect(r.errors.map((e) => [e.name, e.raw.toString()])).toEqual([['INPUT_PARSE_ERROR', doc]]);
      expect(r.errors[0].message).toBe(
        `record is valid JSON but the value mapped to column "deep" nests ${depth} levels deep, more than the ${MAX_MAPPED_JSON_DEPTH} allowed for an object or array mapped as text`,
      );
    }
  });
  it('deep nesting in content no column maps is skipped without limit', () => {
    expect(collect(d, `{"other":${nested(100_000)},"n":3}`)).toEqual({ rows: [[null, 3]], errors: [] });
  });
});
