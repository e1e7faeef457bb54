import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { createRowFormatter, formatCsvValue } from './row-formatter.js';

/** An independent RFC 4180 reader for one line (quoted fields may hold delimiters, quotes and line breaks). */
function parseCsvLine(line: string, delimiter: string): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (line[i] === '"' && line[i + 1] === '"') { field += '"'; i += 2; }
        else if (line[i] === '"') { i++; break; }
        else if (i >= line.length) throw new Error('unterminated quote');
        else field += line[i++];
      }
    } else {
      while (i < line.length && !line.startsWith(delimiter, i)) field += line[i++];
    }
    fields.push(field);
    if (i >= line.length) return fields;
    if (!line.startsWith(delimiter, i)) throw new Error(`junk after a quoted field at ${i}`);
    i += delimiter.length;
  }
}

describe('JSON rows', () => {
  it('are one JSON object per line holding exactly the stream\'s columns, keys in column order (no ROWTIME)', () => {
    const line = createRowFormatter({ format: 'JSON' })({ ROWTIME: '2026-01-01 00:00:00.000', TICKER: 'AMZN', PRICE: 12.5, N: null });
    expect(line).toBe('{"TICKER":"AMZN","PRICE":12.5,"N":null}\n');
  });
  it('keep ROWTIME as the first key when the output asks for it', () => {
    const line = createRowFormatter({ format: 'JSON', includeRowtime: true })({ ROWTIME: '2026-01-01 00:00:00.000', TICKER: 'AMZN' });
    expect(line).toBe('{"ROWTIME":"2026-01-01 00:00:00.000","TICKER":"AMZN"}\n');
  });
  it('escape line breaks inside values, so a row never spans two lines', () => {
    const line = createRowFormatter({ format: 'JSON' })({ NOTE: 'a\nb' });
    expect(line.split('\n')).toEqual(['{"NOTE":"a\\nb"}', '']);
  });
});

describe('CSV rows', () => {
  const csv = createRowFormatter({ format: 'CSV' });
  it('hold exactly the stream\'s columns: a two-column row is `1,x`, and ROWTIME only on request', () => {
    const row = { ROWTIME: '2026-01-01 00:00:01.000', N: 1, S: 'x' };
    expect(csv(row)).toBe('1,x\n');
    expect(createRowFormatter({ format: 'CSV', includeRowtime: true })(row)).toBe('2026-01-01 00:00:01.000,1,x\n');
  });
  it('leave an error_stream row (which has no ROWTIME) whole', () => {
    expect(csv({ ERROR_TIME: '2026-01-01 00:00:01.000', ERROR_LEVEL: 'ERROR' })).toBe('2026-01-01 00:00:01.000,ERROR\n');
  });
  it('quote only the fields that need it, doubling quotes', () => {
    expect(csv({ A: 'plain', B: 'x,y', C: 'say "hi"', D: 'two\nlines', E: 'cr\r', F: ' padded', G: 'ok ' })).toBe(
      'plain,"x,y","say ""hi""","two\nlines","cr\r"," padded","ok "\n',
    );
  });
  it('write NULL as an empty field, numbers and booleans as text, nested values as JSON', () => {
    expect(csv({ A: null, B: 1.5, C: -0.25, D: true, E: [1, 'a'] })).toBe(',1.5,-0.25,true,"[1,""a""]"\n');
  });
  it('use the configured delimiter', () => {
    expect(createRowFormatter({ format: 'CSV', csvDelimiter: '|' })({ A: 'x,y', B: 'p|q' })).toBe('x,y|"p|q"\n');
    expect(createRowFormatter({ format: 'CSV', csvDelimiter: '\t' })({ A: 'a b', B: 't\tu' })).toBe('a b\t"t\tu"\n');
  });
  it('round-trip any text through an independent CSV reader', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: fc.constantFrom('a', ' ', ',', ';', '"', '\n', '\r', 'é', '|') }), { minLength: 1, maxLength: 6 }), fc.constantFrom(',', ';', '|'), (values, delimiter) => {
        const row = Object.fromEntries(values.map((v, i) => [`C${i}`, v]));
        const line = createRowFormatter({ format: 'CSV', csvDelimiter: delimiter })(row);
        expect(line.endsWith('\n')).toBe(true);
        expect(parseCsvLine(line.slice(0, -1), delimiter)).toEqual(values);
      }),
    );
  });
  it('refuse a delimiter a reader could not tell apart from the data', () => {
    expect(() => createRowFormatter({ format: 'CSV', csvDelimiter: '"' })).toThrow(ConfigError);
    expect(() => createRowFormatter({ format: 'CSV', csvDelimiter: '' })).toThrow(/csvDelimiter/);
  });
  it('formatCsvValue leaves safe text alone', () => {
    expect(formatCsvValue('AMZN')).toBe('AMZN');
    expect(formatCsvValue('a;b', ',')).toBe('a;b');
    expect(formatCsvValue('a;b', ';')).toBe('"a;b"');
  });
});

it('an unknown format is a ConfigError naming the field', () => {
  expect(() => createRowFormatter({ format: 'XML' as 'JSON' })).toThrow(/format: unknown output format 'XML'/);
});
