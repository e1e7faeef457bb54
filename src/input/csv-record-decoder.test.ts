import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { ExecutionError } from '../errors.js';
import { createInputDecoder } from './create-input-decoder.js';
import { InputErrorNames } from './input-decoder.js';
import { decodeAll } from './test-support.js';

const csv = (sqlTypes: string[], rowDelimiter?: string, columnDelimiter?: string) =>
  createInputDecoder({ format: 'CSV', rowDelimiter, columnDelimiter, columns: sqlTypes.map((sqlType, i) => ({ name: `c${i}`, sqlType })) });

describe('CSV mapping', () => {
  it('maps columns by position; several rows per payload; the header is not skipped', () => {
    const d = csv(['VARCHAR(16)', 'VARCHAR(16)', 'VARCHAR(16)']);
    expect(decodeAll(d, 'LastName,FirstName,CustomerId\nDoe,John,1\nRoe,Jane,2\n').rows).toEqual([
      ['LastName', 'FirstName', 'CustomerId'],
      ['Doe', 'John', '1'],
      ['Roe', 'Jane', '2'],
    ]);
  });

  it('a schema may take a prefix of the fields; missing trailing fields are NULL', () => {
    const d = csv(['VARCHAR(8)', 'INTEGER', 'DOUBLE']);
    expect(decodeAll(d, 'Doe,67321,1.5,extra1,extra2\nRoe,12\nPoe').rows).toEqual([
      ['Doe', 67321, 1.5],
      ['Roe', 12, null],
      ['Poe', null, null],
    ]);
  });

  it('any delimiter strings: \\r\\n rows, | and multi-character columns', () => {
    const d1 = csv(['INTEGER', 'VARCHAR(4)'], '\r\n', '|');
    expect(decodeAll(d1, '2001|AK\r\n2002|AL|x\r\n').rows).toEqual([
      [2001, 'AK'],
      [2002, 'AL'],
    ]);
    const d2 = csv(['VARCHAR(4)', 'VARCHAR(4)', 'VARCHAR(4)'], '<EOR>', '::');
    expect(decodeAll(d2, 'a::b::c<EOR>d:e::f<EOR>').rows).toEqual([
      ['a', 'b', 'c'],
      ['d:e', 'f', null],
    ]);
  });

  it('empty lines give no row; an empty field is NULL, or empty text in a character column', () => {
    const d = csv(['VARCHAR(4)', 'INTEGER', 'VARCHAR(4)']);
    expect(decodeAll(d, '\n\na,,\n,5,z\n\n').rows).toEqual([
      ['a', null, ''],
      ['', 5, 'z'],
    ]);
  });

  it('coerces text like JSON strings (numbers, booleans, timestamps, truncation)', () => {
    const d = csv(['BOOLEAN', 'BOOLEAN', 'TIMESTAMP', 'VARCHAR(3)', 'DECIMAL(6,2)', 'CHAR(3)']);
    expect(decodeAll(d, 'TRUE,yes,2018-05-09T12:50:41.337510,abcdef,12.345,x').rows).toEqual([
      [true, false, Date.UTC(2018, 4, 9, 12, 50, 41, 337), 'abc', 12.35, 'x  '],
    ]);
  });

  it('keeps UTF-8 text and quotes as they are (KDA CSV has no quoting)', () => {
    const d = csv(['VARCHAR(16)', 'VARCHAR(16)']);
    expect(decodeAll(d, Buffer.from('"a,b",été\n')).rows).toEqual([['"a', 'b"']]);
    expect(decodeAll(d, '日本,😀x').rows).toEqual([['日本', '😀x']]);
  });

  it('a row that fails coercion is reported with its line; the other rows go on', () => {
    const d = csv(['VARCHAR(4)', 'INTEGER']);
    const r = decodeAll(d, 'a,1\nb,1.5\nc,x\nd,4');
    expect(r.rows).toEqual([
      ['a', 1],
      ['d', 4],
    ]);
    expect(r.errors.map((e) => e.raw)).toEqual(['b,1.5', 'c,x']);
    expect(r.errors[1].error).toBeInstanceOf(ExecutionError);
    expect(r.errors[1].error.errorName).toBe(InputErrorNames.COERCION);
    expect(r.errors[1].error.message).toBe('cannot convert CSV field "x" to INTEGER for column "c1": it is not a number');
    expect(r.events).toEqual(['row', 'error', 'error', 'row']);
  });

  it('raw is a view of the payload bytes, or a string for a string payload', () => {
    const d = csv(['INTEGER']);
    const raws: (Uint8Array | string)[] = [];
    const bytes = Buffer.from('1\nx\n');
    d.decode(bytes, () => {}, (_e, raw) => raws.push(raw));
    d.decode('y', () => {}, (_e, raw) => raws.push(raw));
    expect(Buffer.from(raws[0] as Uint8Array).toString()).toBe('x');
    expect((raws[0] as Uint8Array).buffer).toBe(bytes.buffer);
    expect(raws[1]).toBe('y');
  });
});
