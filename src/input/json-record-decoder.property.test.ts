/**
 * Property tests: the byte scanner extracts the same values as JSON.parse followed by walking the path, for
 * arbitrary documents (Unicode, escapes, whitespace, nested noise), and no input bytes make it throw.
 */
import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Value } from '../types/sql-type.js';
import { createInputDecoder } from './create-input-decoder.js';
import type { InputColumnConfig } from './input-decoder.js';
import type { PathSegment } from './json-path.js';
import { parseJsonPath } from './json-path.js';
import { MAX_MAPPED_JSON_DEPTH } from './json-record-decoder.js';
import { decodeAll } from './test-support.js';

/** Member names that stress matching: escapes, multi-byte UTF-8, astral characters, control characters. */
const KEYS = ['a', 'b', 'TICKER', 'PRICE', 'é', '日本', 'a"b', 'back\\slash', 'sl/ash', '\u0001ctl', '😀', 'x y', 'ab', 'A'];

const scalar = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.constantFrom('AMZN', '84.51', 'true', 'TRUE', '1992-02-14 18:35:44.0', ''),
  fc.integer({ min: -1e6, max: 1e6 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
);

const { value: jsonValue } = fc.letrec<{ value: unknown; object: Record<string, unknown>; array: unknown[] }>((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('object'), tie('array')),
  object: fc.dictionary(fc.oneof(fc.constantFrom(...KEYS), fc.string({ unit: 'grapheme', maxLength: 6 })), tie('value'), { maxKeys: 6 }),
  array: fc.array(tie('value'), { maxLength: 4 }),
}));

const documentArb = fc.dictionary(fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 4 })), jsonValue, { maxKeys: 8 });

/** A tiny deterministic generator for serialisation choices. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x1_0000_0000;
  };
}

/** JSON text of `v` with random whitespace and random (valid) escapes, so the scanner meets every form. */
function serialize(v: unknown, r: () => number): string {
  const ws = () => [' ', '\n', '\t', '\r\n', ''][Math.floor(r() * 5)].repeat(r() < 0.3 ? 1 : 0);
  const str = (s: string) => {
    let out = '"';
    for (const ch of s) {
      const code = ch.codePointAt(0)!;
      if (r() < 0.15) {
        // Escape every UTF-16 unit of the character as \uXXXX.
        for (let i = 0; i < ch.length; i++) {
          const hex = ch.charCodeAt(i).toString(16).padStart(4, '0');
          out += `\\u${r() < 0.5 ? hex : hex.toUpperCase()}`;
        }
      } else if (ch === '/' && r() < 0.5) out += '\\/';
      else if (ch === '"' || ch === '\\' || code < 0x20 || (code >= 0xd800 && code <= 0xdfff)) out += JSON.stringify(ch).slice(1, -1);
      else out += ch;
    }
    return `${out}"`;
  };
  // undefined: a hole left in an array by planting (JSON.stringify writes it as null too).
  if (v === null || v === undefined || typeof v === 'number' || typeof v === 'boolean') return JSON.stringify(v ?? null);
  if (typeof v === 'string') return str(v);
  if (Array.isArray(v)) return `[${ws()}${Array.from(v, (x) => serialize(x, r)).join(`${ws()},${ws()}`)}${ws()}]`;
  const entries = Object.entries(v as Record<string, unknown>);
  return `{${ws()}${entries.map(([k, x]) => `${str(k)}${ws()}:${ws()}${serialize(x, r)}`).join(`${ws()},${ws()}`)}${ws()}}`;
}

function walk(doc: unknown, path: readonly PathSegment[]): unknown {
  let cur: unknown = doc;
  for (const s of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    if (s.kind === 'key') {
      if (Array.isArray(cur) || !Object.prototype.hasOwnProperty.call(cur, s.name)) return undefined;
      cur = (cur as Record<string, unknown>)[s.name];
    } else if (s.kind === 'index') {
      if (!Array.isArray(cur) || s.index >= cur.length) return undefined;
      cur = cur[s.index];
    } else return undefined;
  }
  return cur;
}

const NUMERIC_TEXT = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

/** The reference: KDA coercion of a JSON.parse'd value into VARCHAR / DOUBLE / BOOLEAN; undefined = error. */
function reference(v: unknown, sqlType: string): Value | undefined {
  if (v === undefined || v === null) return null;
  if (sqlType === 'VARCHAR') {
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    return JSON.stringify(v);
  }
  if (sqlType === 'DOUBLE') {
    if (typeof v === 'number') return v;
    if (typeof v === 'boolean') return v ? 1 : 0;
    if (typeof v === 'string') return NUMERIC_TEXT.test(v) ? Number(v) : undefined;
    return undefined;
  }
  // BOOLEAN
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') return v.toLowerCase() === 'true';
  return undefined;
}

const MAPPINGS: [string, string][] = [
  ['$.a', 'VARCHAR'],
  ['$.b.a', 'VARCHAR'],
  ["$['a\"b']", 'VARCHAR'],
  ['$.é.日本', 'VARCHAR'],
  ['$.a[0]', 'VARCHAR'],
  ['$.b[1].TICKER', 'VARCHAR'],
  ['$.TICKER', 'VARCHAR'],
  ['$.😀', 'VARCHAR'],
  ["$['back\\slash']", 'VARCHAR'],
  ['$.sl/ash', 'VARCHAR'],
  ['$.\u0001ctl', 'VARCHAR'],
  ['$.PRICE', 'DOUBLE'],
  ['$.ab', 'BOOLEAN'],
  ['$.A', 'VARCHAR'],
];
const columns: InputColumnConfig[] = MAPPINGS.map(([mapping, sqlType], i) => ({ name: `c${i}`, sqlType, mapping }));
const paths = MAPPINGS.map(([m]) => parseJsonPath(m));

function expectedRow(doc: unknown): Value[] | null {
  const row: Value[] = [];
  for (let i = 0; i < MAPPINGS.length; i++) {
    const v = reference(walk(doc, paths[i]), MAPPINGS[i][1]);
    if (v === undefined) return null;
    row.push(v);
  }
  return row;
}

/** Plants values at the mapped paths now and then, so that matches are frequent, not accidental. */
const plantedDocument = fc.tuple(documentArb, fc.array(fc.tuple(fc.nat(MAPPINGS.length - 1), jsonValue), { maxLength: 5 })).map(([doc, plants]) => {
  for (const [i, value] of plants) {
    let cur: Record<string, unknown> | unknown[] = doc;
    const segs = paths[i];
    for (let k = 0; k < segs.length; k++) {
      const s = segs[k];
      const last = k === segs.length - 1;
      const nextIsIndex = !last && segs[k + 1].kind === 'index';
      const key = s.kind === 'key' ? s.name : s.kind === 'index' ? s.index : 0;
      const container = cur as Record<string | number, unknown>;
      if (last) container[key] = value;
      else {
        const existing = container[key];
        const fits = nextIsIndex ? Array.isArray(existing) : existing !== null && typeof existing === 'object' && !Array.isArray(existing);
        if (!fits) container[key] = nextIsIndex ? [null, null] : {};
        cur = container[key] as Record<string, unknown> | unknown[];
      }
    }
  }
  return doc;
});

describe('JSON scanner properties', () => {
  const decoder = createInputDecoder({ format: 'JSON', columns });

  it('extracts the same values as JSON.parse + path walk, for any document and serialisation', () => {
    fc.assert(
      fc.property(plantedDocument, fc.integer(), (doc, seed) => {
        const text = serialize(doc, rng(seed));
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(doc)));
        const want = expectedRow(JSON.parse(text));
        const got = decodeAll(decoder, Buffer.from(text, 'utf8'));
        if (want === null) {
          expect(got.rows).toEqual([]);
          expect(got.errors).toHaveLength(1);
        } else {
          expect(got.errors).toEqual([]);
          expect(got.rows).toEqual([want]);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('several documents in one payload each give their row, in order', () => {
    fc.assert(
      fc.property(fc.array(plantedDocument, { minLength: 1, maxLength: 5 }), fc.integer(), fc.constantFrom('', '\n', ' \r\n\t'), (docs, seed, sep) => {
        const r = rng(seed);
        const text = docs.map((d) => serialize(d, r)).join(sep);
        const want = docs.map((d) => expectedRow(JSON.parse(JSON.stringify(d))));
        const got = decodeAll(decoder, text);
        expect(got.rows).toEqual(want.filter((w) => w !== null));
        expect(got.events).toEqual(want.map((w) => (w === null ? 'error' : 'row')));
      }),
      { numRuns: 150 },
    );
  });

  it('flattening agrees with JSON.parse: one row per element, an empty or missing array gives one NULL row', () => {
    const flat = createInputDecoder({
      format: 'JSON',
      columns: [
        { name: 'k', sqlType: 'VARCHAR', mapping: '$.k' },
        { name: 'x', sqlType: 'VARCHAR', mapping: '$.arr[0:].x' },
        { name: 'y', sqlType: 'VARCHAR', mapping: '$.arr[0:].y.a' },
      ],
    });
    const element = fc.oneof(fc.record({ x: jsonValue, y: jsonValue }, { requiredKeys: [] }), scalar);
    const docArb = fc.record({ k: scalar, arr: fc.oneof(fc.array(element, { maxLength: 5 }), scalar), noise: jsonValue }, { requiredKeys: ['noise'] });
    fc.assert(
      fc.property(docArb, fc.integer(), (doc, seed) => {
        const text = serialize(doc, rng(seed));
        const parsed = JSON.parse(text) as Record<string, unknown>;
        const k = reference(parsed.k, 'VARCHAR') as Value;
        const elements = Array.isArray(parsed.arr) && parsed.arr.length > 0 ? parsed.arr : [undefined];
        const want = elements.map((e) => [k, reference(walk(e, parseJsonPath('$.x')), 'VARCHAR'), reference(walk(e, parseJsonPath('$.y.a')), 'VARCHAR')]);
        expect(decodeAll(flat, text).rows).toEqual(want);
      }),
      { numRuns: 300 },
    );
  });

  it('arbitrary bytes never throw: every problem is reported through onError', () => {
    const flatten = createInputDecoder({
      format: 'JSON',
      recordRowPath: '$.r[0:]',
      columns: [
        { name: 'x', sqlType: 'INTEGER', mapping: '$.x' },
        { name: 'y', sqlType: 'TIMESTAMP', mapping: '$.a[0:].y' },
        { name: 'z', sqlType: 'VARCHAR(3)', mapping: '$.a[0:]' },
      ],
    });
    const csv = createInputDecoder({ format: 'CSV', rowDelimiter: '\r\n', columnDelimiter: '|', columns: [{ name: 'a', sqlType: 'INTEGER' }, { name: 'b', sqlType: 'VARCHAR(2)' }] });
    const jsonish = fc.array(fc.constantFrom(...'{}[]":,\\ \n0123456789-+.eEtrufalsn'.split(''), 'true', 'null', '"a"', '{"a":', '\\u00', '\u00e9'), { maxLength: 60 })
      .map((parts) => Buffer.from(parts.join('')));
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), jsonish), (bytes) => {
        for (const d of [decoder, flatten, csv]) {
          let reported = 0;
          d.decode(bytes, () => reported++, () => reported++);
          d.decode(bytes.toString('latin1'), () => reported++, () => reported++);
          expect(reported).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('valid documents around a corrupted one still give their rows, and the corruption is reported (or skipped, in unmapped values)', () => {
    fc.assert(
      fc.property(plantedDocument, plantedDocument, fc.nat(), fc.integer({ min: 0, max: 255 }), (d1, d2, at, byte) => {
        const good = JSON.stringify(d2);
        const bad = Buffer.from(JSON.stringify(d1));
        bad[at % bad.length] = byte;
        let valid = true;
        try {
          JSON.parse(bad.toString('utf8'));
        } catch {
          valid = false;
        }
        fc.pre(!valid && !bad.includes(0x0a));
        const got = decodeAll(decoder, Buffer.concat([Buffer.from(`${good}\n`), bad, Buffer.from(`\n${good}`)]));
        const want = expectedRow(JSON.parse(good));
        const wantEvent = want === null ? 'error' : 'row';
        expect(got.events[0]).toBe(wantEvent);
        expect(got.events[got.events.length - 1]).toBe(wantEvent);
        if (want !== null) {
          expect(got.rows[0]).toEqual(want);
          expect(got.rows[got.rows.length - 1]).toEqual(want);
        }
        const alone = decodeAll(decoder, bad);
        if (alone.errors.length === 0) {
          // The corruption hit only unmapped content that is still delimited, which the scanner skips without
          // validating (deliberately, see README "Unmapped content"): the document is a row like any other.
          expect(alone.rows).toHaveLength(1);
          expect(got.events).toEqual([wantEvent, 'row', wantEvent]);
          expect(got.rows[want === null ? 0 : 1]).toEqual(alone.rows[0]);
        } else expect(got.errors.length).toBeGreaterThanOrEqual(want === null ? 3 : 1);
      }),
      { numRuns: 300 },
    );
  });
});

describe('records that must not vanish (property)', () => {
  const textDecoder = createInputDecoder({
    format: 'JSON',
    columns: [
      { name: 'S', sqlType: 'VARCHAR(512)', mapping: '$.s' },
      { name: 'O', sqlType: 'VARCHAR(4096)', mapping: '$.o' },
    ],
  });
  const csvDecoder = createInputDecoder({ format: 'CSV', columns: [{ name: 'S', sqlType: 'VARCHAR(512)' }, { name: 'N', sqlType: 'INTEGER' }] });
  /** Bytes allowed raw inside a JSON string (no quote, backslash or control character), UTF-8 or not. */
  const stringBytes = fc.uint8Array({ maxLength: 24 }).map((b) => Buffer.from(b.map((x) => (x < 0x20 || x === 0x22 || x === 0x5c ? 0x61 : x))));

  it('a mapped string of arbitrary bytes (plain or with an escape) is its text when valid UTF-8, else an error with the document as raw', () => {
    fc.assert(
      fc.property(stringBytes, fc.boolean(), fc.constantFrom('s', 'o'), (bytes, escaped, member) => {
        const content = escaped ? Buffer.concat([Buffer.from('\\t'), bytes]) : bytes;
        // `o` holds the string inside an object, so the text goes through the container path.
        const value = member === 's' ? Buffer.concat([Buffer.from('"'), content, Buffer.from('"')]) : Buffer.concat([Buffer.from('{"k":"'), content, Buffer.from('"}')]);
        const doc = Buffer.concat([Buffer.from(`{"${member}":`), value, Buffer.from('}')]);
        const got = decodeAll(textDecoder, Buffer.concat([doc, Buffer.from('\n{"s":"next"}')]));
        expect(got.rows[got.rows.length - 1]).toEqual(['next', null]);
        if (Buffer.from(bytes.toString('utf8'), 'utf8').equals(bytes)) {
          const text = JSON.parse(value.toString('utf8')) as unknown;
          expect(got.errors).toEqual([]);
          expect(got.rows[0]).toEqual(member === 's' ? [text, null] : [null, JSON.stringify(text)]);
        } else {
          expect(got.rows).toHaveLength(1);
          expect(got.errors.map((e) => [e.error.errorName, e.raw])).toEqual([['INPUT_COERCION_ERROR', doc.toString('utf8')]]);
          expect(got.errors[0].error.message).toMatch(new RegExp(`column "${member.toUpperCase()}": it is not valid UTF-8`));
        }
      }),
      { numRuns: 800 },
    );
  });

  it('a CSV field of arbitrary bytes is its text when valid UTF-8, else an error for that line only', () => {
    const fieldBytes = fc.uint8Array({ minLength: 1, maxLength: 16 }).map((b) => Buffer.from(b.map((x) => (x === 0x0a || x === 0x2c ? 0x61 : x))));
    fc.assert(
      fc.property(fieldBytes, (bytes) => {
        const line = Buffer.concat([bytes, Buffer.from(',7')]);
        const got = decodeAll(csvDecoder, Buffer.concat([line, Buffer.from('\nz,8')]));
        expect(got.rows[got.rows.length - 1]).toEqual(['z', 8]);
        if (Buffer.from(bytes.toString('utf8'), 'utf8').equals(bytes)) expect(got.rows[0]).toEqual([bytes.toString('utf8'), 7]);
        else expect(got.errors.map((e) => [e.error.errorName, Buffer.from(e.raw, 'utf8').equals(line) || e.raw === line.toString('utf8')])).toEqual([['INPUT_COERCION_ERROR', true]]);
      }),
      { numRuns: 500 },
    );
  });

  it('a record of only whitespace (or nothing) is one INPUT_PARSE_ERROR carrying it, JSON and CSV alike', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(' ', '\n', '\r', '\t'), { maxLength: 12 }), (chars) => {
        const payload = chars.join('');
        const got = decodeAll(textDecoder, Buffer.from(payload));
        expect(got.rows).toEqual([]);
        expect(got.errors.map((e) => [e.error.errorName, e.raw])).toEqual([['INPUT_PARSE_ERROR', payload]]);
        const lines = payload.replace(/[^\n]/g, '');
        expect(decodeAll(csvDecoder, lines).errors.map((e) => [e.error.errorName, e.raw])).toEqual([['INPUT_PARSE_ERROR', lines]]);
      }),
    );
  });

  it(`an object or array mapped as text: decoded up to ${MAX_MAPPED_JSON_DEPTH} levels, beyond that an INPUT_PARSE_ERROR naming the limit`, () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_MAPPED_JSON_DEPTH + 300 }), fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }), (depth, kinds) => {
        let open = '';
        let close = '';
        for (let i = 0; i < depth; i++) {
          const obj = kinds[i % kinds.length];
          open += obj ? '{"a" : ' : '[ "]" ,';
          close = (obj ? '}' : ']') + close;
        }
        const text = `${open}1${close}`;
        const got = decodeAll(textDecoder, `{"o":${text}} {"s":"next"}`);
        expect(got.rows[got.rows.length - 1]).toEqual(['next', null]);
        if (depth <= MAX_MAPPED_JSON_DEPTH) {
          expect(got.errors).toEqual([]);
          const want = JSON.stringify(JSON.parse(text));
          expect(got.rows[0]).toEqual([null, want.length > 4096 ? want.slice(0, 4096) : want]);
        } else {
          expect(got.rows).toHaveLength(1);
          expect(got.errors.map((e) => e.error.errorName)).toEqual(['INPUT_PARSE_ERROR']);
          expect(got.errors[0].error.message).toContain(`nests ${depth} levels deep, more than the ${MAX_MAPPED_JSON_DEPTH} allowed`);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('short ASCII strings through the string cache: one decoder over thousands of distinct and repeated values gives what JSON.parse gives', () => {
    // One decoder for every run: its string cache fills, evicts and is reused across runs, as in a long-lived application.
    const cached = createInputDecoder({
      format: 'JSON',
      columns: [
        { name: 'K', sqlType: 'VARCHAR(24)', mapping: '$.k' },
        { name: 'S', sqlType: 'VARCHAR(32)', mapping: '$.s' },
      ],
    });
    const ascii = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 30 });
    fc.assert(
      fc.property(fc.array(ascii, { minLength: 1, maxLength: 50 }), fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: 1, max: 3000 }), (values, base, distinct) => {
        // Many distinct keys that differ in one character, beside a few values repeated (and escaped by JSON).
        const docs = Array.from({ length: 3000 }, (_, i) =>
          JSON.stringify({ k: `S${String(base + (Math.imul(i, 7919) % distinct)).padStart(5, '0')}`, x: i, s: values[i % values.length] }),
        );
        const got = decodeAll(cached, ...docs);
        expect(got.errors).toEqual([]);
        expect(got.rows).toEqual(
          docs.map((d) => {
            const o = JSON.parse(d) as { k: string; s: string };
            return [o.k, o.s];
          }),
        );
      }),
      { numRuns: 15 },
    );
  });
});
