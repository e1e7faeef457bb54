import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { ExecutionError } from '../errors.js';
import { createInputDecoder } from './create-input-decoder.js';
import type { InputColumnConfig } from './input-decoder.js';
import { InputErrorNames } from './input-decoder.js';
import { decodeAll } from './test-support.js';

function json(columns: InputColumnConfig[], recordRowPath?: string) {
  return createInputDecoder({ format: 'JSON', recordRowPath, columns });
}
const col = (name: string, sqlType: string, mapping: string): InputColumnConfig => ({ name, sqlType, mapping });

describe('JSON mapping: paths', () => {
  const doc = {
    customerName: 'John Doe',
    address: { streetAddress: { number: '123', street: 'AnyStreet' }, city: 'Anytown' },
    orders: [
      { orderId: '23284', itemName: 'Widget', itemPrice: '33.99' },
      { orderId: '63122', itemName: 'Gadget', itemPrice: '22.50' },
    ],
  };

  it('maps $.a, $.a.b.c, case-sensitively; missing gives NULL', () => {
    const d = json([
      col('customerName', 'VARCHAR(32)', '$.customerName'),
      col('city', 'VARCHAR(32)', '$.address.city'),
      col('street', 'VARCHAR(32)', '$.address.streetAddress.street'),
      col('lower', 'VARCHAR(32)', '$.customername'),
      col('absent', 'VARCHAR(32)', '$.address.zip.code'),
      col('throughScalar', 'VARCHAR(32)', '$.customerName.first'),
    ]);
    expect(decodeAll(d, JSON.stringify(doc)).rows).toEqual([['John Doe', 'Anytown', 'AnyStreet', null, null, null]]);
  });

  it('maps an array element $.arr[n] (missing index and non-array give NULL)', () => {
    const d = json([
      col('first', 'VARCHAR(8)', '$.orders[0].orderId'),
      col('second', 'VARCHAR(8)', '$.orders[1].itemName'),
      col('third', 'VARCHAR(8)', '$.orders[2].orderId'),
      col('notArray', 'VARCHAR(8)', '$.address[0]'),
      col('n', 'INTEGER', '$.nums[1]'),
    ]);
    expect(decodeAll(d, JSON.stringify({ ...doc, nums: [5, 6, 7] })).rows).toEqual([['23284', 'Gadget', null, null, 6]]);
  });

  it('maps $.arr[0:] to the whole array as JSON text in one row', () => {
    const d = json([col('orders', 'VARCHAR(256)', '$.orders[0:]'), col('name', 'VARCHAR(16)', '$.customerName')]);
    const r = decodeAll(d, JSON.stringify(doc), '{"orders": [ 1, {"a" : [true, null]} ] }', '{"orders":"x"}');
    expect(r.rows).toEqual([
      [JSON.stringify(doc.orders), 'John Doe'],
      ['[1,{"a":[true,null]}]', null],
      [null, null],
    ]);
  });

  it('maps an object into a character column as its compact JSON text', () => {
    const d = json([col('address', 'VARCHAR(200)', '$.address')]);
    expect(decodeAll(d, JSON.stringify(doc, null, 2)).rows).toEqual([[JSON.stringify(doc.address)]]);
  });

  it('flattens $.arr[0:].x: one row per element, other columns repeated', () => {
    const d = json([
      col('name', 'VARCHAR(16)', '$.customerName'),
      col('orderId', 'VARCHAR(16)', '$.orders[0:].orderId'),
      col('price', 'DOUBLE', '$.orders[0:].itemPrice'),
      col('tail', 'VARCHAR(16)', '$.tail'),
    ]);
    const r = decodeAll(d, JSON.stringify({ ...doc, tail: 'after' }));
    expect(r.rows).toEqual([
      ['John Doe', '23284', 33.99, 'after'],
      ['John Doe', '63122', 22.5, 'after'],
    ]);
    // Each row is its own array: the engine may keep them.
    expect(r.rows[0]).not.toBe(r.rows[1]);
  });

  it('flattening: an empty or missing array gives one row with NULLs; an element without the field gives NULL', () => {
    const d = json([col('orderId', 'VARCHAR(16)', '$.orders[0:].orderId'), col('k', 'INTEGER', '$.k')]);
    const r = decodeAll(d, '{"orders":[],"k":1}', '{"k":2}', '{"orders":[{"orderId":"1"},{"itemName":"x"},{"orderId":"3"}],"k":3}', '{"orders":5,"k":4}');
    expect(r.rows).toEqual([
      [null, 1],
      [null, 2],
      ['1', 3],
      [null, 3],
      ['3', 3],
      [null, 4],
    ]);
  });

  it('flattening scalars of the array, and an element index with the flattened array', () => {
    const d = json([col('v', 'INTEGER', '$.a[0:].v'), col('first', 'INTEGER', '$.a[0].v'), col('all', 'VARCHAR(64)', '$.a[0:]')]);
    const r = decodeAll(d, '{"a":[{"v":1},{"v":2},7]}');
    expect(r.rows).toEqual([
      [1, 1, '[{"v":1},{"v":2},7]'],
      [2, 1, '[{"v":1},{"v":2},7]'],
      [null, 1, '[{"v":1},{"v":2},7]'],
    ]);
  });

  it('a coercion failure in one flattened element drops that row only', () => {
    const d = json([col('id', 'VARCHAR(4)', '$.id'), col('q', 'INTEGER', '$.items[0:].q')]);
    const r = decodeAll(d, '{"id":"x","items":[{"q":1},{"q":1.5},{"q":3}]}');
    expect(r.rows).toEqual([
      ['x', 1],
      ['x', 3],
    ]);
    expect(r.errors.map((e) => e.error.message)).toEqual(['cannot convert JSON number 1.5 to INTEGER for column "q": it has a fractional part (precision would be lost)']);
    expect(r.events).toEqual(['row', 'error', 'row']);
  });

  it('matches member names with escapes and non-ASCII names', () => {
    const d = json([col('A', 'VARCHAR(8)', '$.AB'), col('e', 'VARCHAR(8)', '$.été'), col('q', 'VARCHAR(8)', "$['a\"b']")]);
    const r = decodeAll(d, '{"\\u0041B":"x","\\u00e9t\\u00e9":"y","a\\"b":"z"}', '{"AB":"1","été":"2"}');
    expect(r.rows).toEqual([
      ['x', 'y', 'z'],
      ['1', '2', null],
    ]);
  });

  it('decodes strings with escapes, surrogate pairs and multi-byte UTF-8', () => {
    const d = json([col('s', 'VARCHAR', '$.s')]);
    const values = ['plain', 'tab\there', 'quote " back \\ slash /', 'é日本語😀', '\u0000\u001f', 'line\nbreak\r\n'];
    for (const v of values) expect(decodeAll(d, JSON.stringify({ s: v })).rows).toEqual([[v]]);
    expect(decodeAll(d, '{"s":"\\ud83d\\ude00\\/\\b\\f"}').rows).toEqual([['😀/\b\f']]);
  });

  it('parses numbers from bytes exactly like JSON.parse', () => {
    const d = json([col('n', 'DOUBLE', '$.n')]);
    const texts = ['0', '-0', '84.51', '-0.12', '1e3', '1E-3', '2.5e+10', '123456789012345', '1234567890123456789', '0.1', '0.30000000000000004',
      '1.7976931348623157e308', '5e-324', '9007199254740993', '3.141592653589793238', '1e22', '1e23', '1e-22', '4.35', '100.0000000000001'];
    for (const t of texts) {
      const [[v]] = decodeAll(d, `{"n":${t}}`).rows;
      expect(Object.is(v, JSON.parse(t)), t).toBe(true);
    }
  });

  it('skips unmapped values of every kind, however deep', () => {
    const d = json([col('x', 'INTEGER', '$.x')]);
    const noise = { a: [1, [2, [3, { b: 'c\\"}' }]], {}], o: { p: { q: null, r: true, s: false } }, e: [], f: -1.5e-3, g: '{[' };
    const deep = `{"deep":${'['.repeat(5000)}${']'.repeat(5000)},"x":7}`;
    const r = decodeAll(d, JSON.stringify({ ...noise, x: 5 }), deep);
    expect(r.rows).toEqual([[5], [7]]);
    expect(r.errors).toEqual([]);
  });

  it('numbers out of a REAL/DOUBLE range are errors; inside, they go in unchanged', () => {
    const d = json([col('d', 'DOUBLE', '$.d'), col('r', 'REAL', '$.r')]);
    const r = decodeAll(d, '{"d":1e308,"r":-3.4e38}', '{"d":1e400,"r":1}', '{"d":1,"r":3.5e38}', '{"d":-0,"r":1.5}');
    expect(r.rows).toEqual([
      [1e308, -3.4e38],
      [-0, 1.5],
    ]);
    expect(r.errors.map((e) => e.error.message)).toEqual([
      'cannot convert JSON number 1e400 to DOUBLE for column "d": it is out of range',
      'cannot convert JSON number 3.5e38 to REAL for column "r": it is out of range',
    ]);
  });

  it('null maps to NULL in every type', () => {
    const d = json([col('a', 'INTEGER', '$.a'), col('b', 'TIMESTAMP', '$.b'), col('c', 'VARCHAR(2)', '$.c'), col('d', 'BOOLEAN', '$.d')]);
    expect(decodeAll(d, '{"a":null,"b":null,"c":null,"d":null}').rows).toEqual([[null, null, null, null]]);
  });

  it('maps $ itself (the whole document as text) and a nested value that is also descended into', () => {
    const d = json([col('all', 'VARCHAR', '$'), col('o', 'VARCHAR', '$.o'), col('x', 'INTEGER', '$.o.x')]);
    expect(decodeAll(d, '{ "o" : { "x" : 1 } }').rows).toEqual([['{"o":{"x":1}}', '{"x":1}', 1]]);
  });

  it('accepts a top-level array with index mappings', () => {
    const d = json([col('first', 'INTEGER', '$[0]'), col('third', 'VARCHAR(4)', '$[2].t')]);
    expect(decodeAll(d, '[1,2,{"t":"x"}]').rows).toEqual([[1, 'x']]);
  });
});

describe('JSON member-name prediction (records of a stream usually share a layout)', () => {
  it('stays exact when layouts change from record to record', () => {
    const d = json([col('P', 'DOUBLE', '$.PRICE'), col('T', 'VARCHAR(8)', '$.T')]);
    const r = decodeAll(
      d,
      '{"PRICE":1,"T":"a"}',
      '{"PRICES":5,"PRICE":2,"T":"b"}',
      '{"T":"c","PRICE":3}',
      '{"PRIC":9,"PRICE\\\\":8,"T":"d"}',
      '{"PR\\u0049CE":4,"T":"e"}',
      '{"PR\\u0049CE":5,"T":"f"}',
      '{"PRICE":6,"T":"g"}',
      '{"x":{"PRICE":0},"PRICE":7}',
    );
    expect(r.errors).toEqual([]);
    expect(r.rows).toEqual([
      [1, 'a'],
      [2, 'b'],
      [3, 'c'],
      [null, 'd'],
      [4, 'e'],
      [5, 'f'],
      [6, 'g'],
      [7, null],
    ]);
  });

  it('does not depend on a payload buffer that is reused for the next record', () => {
    const d = json([col('P', 'INTEGER', '$.PRICE')]);
    const buf = Buffer.alloc(16, 0x20);
    const rows: unknown[] = [];
    for (const text of ['{"PRICE":1}', '{"PRIXE":2}', '{"PRICE":3}']) {
      buf.fill(0x20);
      buf.write(text);
      d.decode(buf, (row) => rows.push(row[0]), (e) => rows.push(e.message));
    }
    expect(rows).toEqual([1, null, 3]);
  });

  it('still rejects invalid names at a predicted position', () => {
    const d = json([col('P', 'INTEGER', '$.PRICE')]);
    const r = decodeAll(d, '{"PRICE":1}', '{"PRI\tCE":1}', '{"PRICE\\x":1}');
    expect(r.rows).toEqual([[1]]);
    expect(r.errors.map((e) => e.error.errorName)).toEqual([InputErrorNames.PARSE, InputErrorNames.PARSE]);
  });
});

describe('JSON record row path', () => {
  it('$.records[0:] makes one row per element; mappings may be written from the row or repeat the row path', () => {
    const d = json([col('T', 'VARCHAR(4)', '$.T'), col('P', 'DOUBLE', '$.records[0:].P')], '$.records[0:]');
    const r = decodeAll(d, '{"meta":{"records":[]},"records":[{"T":"A","P":1},{"T":"B","P":2}],"T":"no"}');
    expect(r.rows).toEqual([
      ['A', 1],
      ['B', 2],
    ]);
  });

  it('a missing or empty row array gives no rows; a scalar row is an error', () => {
    const d = json([col('T', 'VARCHAR(4)', '$.T')], '$.records[0:]');
    const r = decodeAll(d, '{"records":[]}', '{"other":1}', '{"records":[{"T":"A"},5]}');
    expect(r.rows).toEqual([['A']]);
    expect(r.errors.map((e) => e.error.message)).toEqual(['the row at $.records[0:] is a JSON number, not an object or array']);
  });

  it('a nested object as the row ($.data), and $[0:] over a top-level array', () => {
    const d1 = json([col('T', 'VARCHAR(4)', '$.T')], '$.data');
    expect(decodeAll(d1, '{"T":"no","data":{"T":"yes"}}').rows).toEqual([['yes']]);
    const d2 = json([col('T', 'VARCHAR(4)', '$.T')], '$[0:]');
    expect(decodeAll(d2, '[{"T":"a"},{"T":"b"}]').rows).toEqual([['a'], ['b']]);
  });

  it('combines row elements with a flattened array inside each row', () => {
    const d = json([col('id', 'INTEGER', '$.id'), col('tag', 'VARCHAR(4)', '$.tags[0:].t')], '$.rows[0:]');
    const r = decodeAll(d, '{"rows":[{"id":1,"tags":[{"t":"a"},{"t":"b"}]},{"id":2,"tags":[]}]}');
    expect(r.rows).toEqual([
      [1, 'a'],
      [1, 'b'],
      [2, null],
    ]);
  });
});

describe('JSON payloads with several documents', () => {
  const d = json([col('TICKER', 'VARCHAR(4)', '$.TICKER'), col('PRICE', 'DOUBLE', '$.PRICE')]);

  it('decodes documents back to back, newline separated, with a BOM, from a Buffer, Uint8Array or string', () => {
    const payload = '{"TICKER":"AMZN","PRICE":10.5}{"TICKER":"INTC","PRICE":20.25}\n{"TICKER":"TBV","PRICE":1.5}\r\n  {"TICKER":"MSFT","PRICE":2.5}\n';
    const expected = [
      ['AMZN', 10.5],
      ['INTC', 20.25],
      ['TBV', 1.5],
      ['MSFT', 2.5],
    ];
    expect(decodeAll(d, payload).rows).toEqual(expected);
    expect(decodeAll(d, Buffer.from(payload)).rows).toEqual(expected);
    expect(decodeAll(d, new Uint8Array(Buffer.from(payload))).rows).toEqual(expected);
    const offset = Buffer.from(`xxxx${payload}`).subarray(4);
    expect(decodeAll(d, new Uint8Array(offset.buffer, offset.byteOffset, offset.byteLength)).rows).toEqual(expected);
    expect(decodeAll(d, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(payload)])).rows).toEqual(expected);
  });

  it('an empty or blank payload is an INPUT_PARSE_ERROR with the payload as raw (nothing vanishes)', () => {
    const r = decodeAll(d, '', '  \n\t', new Uint8Array(0));
    expect(r.rows).toEqual([]);
    expect(r.errors.map((e) => [e.error.errorName, e.error.message, e.raw])).toEqual([
      ['INPUT_PARSE_ERROR', 'record is empty (0 bytes): no JSON document in it', ''],
      ['INPUT_PARSE_ERROR', 'record is blank (4 bytes of whitespace): no JSON document in it', '  \n\t'],
      ['INPUT_PARSE_ERROR', 'record is empty (0 bytes): no JSON document in it', ''],
    ]);
  });

  it('a coercion failure drops that row only, with an ExecutionError naming column, value and type, and the document as raw', () => {
    const r = decodeAll(d, '{"TICKER":"A","PRICE":1}{"TICKER":"B","PRICE":"abc"}{"TICKER":"C","PRICE":3}');
    expect(r.rows).toEqual([
      ['A', 1],
      ['C', 3],
    ]);
    expect(r.errors).toHaveLength(1);
    const [{ error, raw }] = r.errors;
    expect(error).toBeInstanceOf(ExecutionError);
    expect(error.errorName).toBe(InputErrorNames.COERCION);
    expect(error.message).toBe('cannot convert JSON string "abc" to DOUBLE for column "PRICE": it is not a number');
    expect(raw).toBe('{"TICKER":"B","PRICE":"abc"}');
    expect(r.events).toEqual(['row', 'error', 'row']);
  });

  it('raw has the type of the payload: a view of the bytes, or a string', () => {
    const raws: (Uint8Array | string)[] = [];
    const bytes = Buffer.from('{"PRICE":true} {"PRICE":"x"}');
    d.decode(bytes, () => {}, (_e, raw) => raws.push(raw));
    d.decode('{"PRICE":"y"}', () => {}, (_e, raw) => raws.push(raw));
    expect(raws[0]).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(raws[0] as Uint8Array).toString()).toBe('{"PRICE":"x"}');
    expect((raws[0] as Uint8Array).buffer).toBe(bytes.buffer);
    expect(raws[1]).toBe('{"PRICE":"y"}');
  });

  it('invalid JSON: one error for the bad document, then recovery at the next document', () => {
    const r = decodeAll(
      d,
      '{"TICKER":"A"}{"TICKER" "B"}{"TICKER":"C"},{"TICKER":"D"}\n{"TICKER":"E",\n{"TICKER":"F"} junk\n{"TICKER":"G"}}{"TICKER":"H"} x {"TICKER":"I"}\n',
    );
    expect(r.rows.map((x) => x[0])).toEqual(['A', 'C', 'D', 'F', 'G', 'H']);
    // After text that does not start a document, '{' on the same line is not trusted: the next line is.
    expect(r.errors.map((e) => e.raw)).toEqual(['{"TICKER" "B"}', ',', '{"TICKER":"E",', 'junk', '}', 'x {"TICKER":"I"}']);
    for (const { error } of r.errors) {
      expect(error).toBeInstanceOf(ExecutionError);
      expect(error.errorName).toBe(InputErrorNames.PARSE);
    }
    expect(r.errors[0].error.message).toBe("record is not valid JSON: expected ':' at byte 24, found '\"'");
  });

  it('a truncated last document is one error; scalars are not records', () => {
    const r = decodeAll(d, '{"TICKER":"A"}{"TICKER":"B","PRICE":1', '42 "s" true {"TICKER":"Z"}');
    expect(r.rows.map((x) => x[0])).toEqual(['A', 'Z']);
    expect(r.errors.map((e) => e.error.message)).toEqual([
      "record is not valid JSON: expected ',' or '}' at byte 37, found the end of the record",
      'record is a JSON number, not an object or array',
      'record is a JSON string, not an object or array',
      'record is a JSON boolean, not an object or array',
    ]);
  });

  // Mapped values (here `a`) and the structure the scanner walks are validated in full; unmapped values are
  // only skipped (see the next test and the README, "Unmapped content").
  it('rejects invalid JSON that a lenient scanner might accept, in mapped values and in structure', () => {
    const mapsA = json([col('A', 'VARCHAR(20)', '$.a'), col('B', 'VARCHAR(20)', '$.b')]);
    const bad = ['{"a":01}', '{"a":1.}', '{"a":.5}', '{"a":+1}', '{"a":1e}', '{"a":tru}', '{"a":"\\x"}', '{"a":"\\u12G4"}', '{"a":"tab\there"}',
      "{'a':1}", '{"a":1,}', '{"a" 1}', '{"a":1 "b":2}', '{,}', '{"a":[1 2]}', '{"a":{"b":1]}', '{"a":NaN}', '{"a":-}', '{"a":"x'];
    for (const text of bad) {
      expect(() => JSON.parse(text), text).toThrow();
      const r = decodeAll(mapsA, text);
      expect(r.rows, text).toEqual([]);
      expect(r.errors.length, text).toBeGreaterThanOrEqual(1);
      expect(r.errors[0].error.errorName, text).toBe(InputErrorNames.PARSE);
    }
  });

  it('skips unmapped values without validating them, but still rejects broken structure around and inside them', () => {
    // Deliberate: an unmapped value is only skipped to its end. These documents are not JSON, but their
    // unmapped members (a) are delimited, so the row is decoded from the mapped ones.
    const lax = ['{"a":01,"TICKER":"X"}', '{"a":1.,"TICKER":"X"}', '{"a":1e,"TICKER":"X"}', '{"a":-,"TICKER":"X"}', '{"a":"\\x","TICKER":"X"}',
      '{"a":"\\u12G4","TICKER":"X"}', '{"a":[1 2],"TICKER":"X"}', '{"a":{"b" 1},"TICKER":"X"}', '{"a":["\\"]" 1],"TICKER":"X"}'];
    for (const text of lax) {
      expect(() => JSON.parse(text), text).toThrow();
      const r = decodeAll(d, text);
      expect(r.errors, text).toEqual([]);
      expect(r.rows, text).toEqual([['X', null]]);
    }
    // The same for a whole document that no mapping descends into (a top-level array here): a row of NULLs.
    expect(decodeAll(d, '[1,]').rows).toEqual([[null, null]]);
    // Broken structure is an error wherever it is: unclosed strings and containers, mismatched brackets, a
    // value that cannot start JSON, a literal that is not one, missing ':' or ',' between the row's members.
    const bad = ['{"a":"x,"TICKER":"X"}', '{"a":[1,"TICKER":"X"}', '{"a":{"b":1],"TICKER":"X"}', '{"a":[1}],"TICKER":"X"}', '{"a":.5,"TICKER":"X"}',
      '{"a":+1,"TICKER":"X"}', '{"a":tru,"TICKER":"X"}', '{"a":NaN,"TICKER":"X"}', `{'a':1,"TICKER":"X"}`, '{"a" 1,"TICKER":"X"}',
      '{"a":1 "TICKER":"X"}', '{"a":1,,"TICKER":"X"}', '{"a":"\\","TICKER":"X"', '{"a":1,"TICKER":"X",}',
      '{"a":"tab\there","TICKER":"X"}', '{"a":["x\ny"],"TICKER":"X"}', '{"a":"x\\\ny","TICKER":"X"}'];
    for (const text of bad) {
      expect(() => JSON.parse(text), text).toThrow();
      const r = decodeAll(d, text);
      expect(r.rows, text).toEqual([]);
      expect(r.errors.length, text).toBeGreaterThanOrEqual(1);
      expect(r.errors[0].error.errorName, text).toBe(InputErrorNames.PARSE);
    }
  });

  it('a callback may decode again with the same decoder (re-entrant)', () => {
    const seen: unknown[] = [];
    d.decode('{"TICKER":"A"}{"TICKER":"B"}', (row) => {
      seen.push(row[0]);
      if (row[0] === 'A') d.decode('{"TICKER":"X"}{"TICKER":"Y"}', (inner) => seen.push(inner[0]), () => {});
    }, () => {});
    expect(seen).toEqual(['A', 'X', 'Y', 'B']);
  });

  it('errors thrown by the callbacks propagate to the caller', () => {
    expect(() =>
      d.decode('{"TICKER":"A"}', () => {
        throw new Error('sink full');
      }, () => {}),
    ).toThrow('sink full');
    // ...and the decoder is still usable afterwards.
    expect(decodeAll(d, '{"TICKER":"B"}').rows).toEqual([['B', null]]);
  });
});

describe('a bad mapped container between good documents', () => {
  it('is one error and the documents after it still decode (regression: the rest of the payload was lost)', () => {
    // $.a is mapped both as text and through an element, so its other elements are skipped laxly and the
    // whole array's text is then checked by JSON.parse.
    const d = createInputDecoder({
      format: 'JSON',
      columns: [
        { name: 'A', sqlType: 'VARCHAR(40)', mapping: '$.a' },
        { name: 'A0', sqlType: 'VARCHAR(40)', mapping: '$.a[0]' },
        { name: 'B', sqlType: 'INTEGER', mapping: '$.b' },
      ],
    });
    const events: string[] = [];
    d.decode('{"a":[1],"b":1}\n{"a":[[],[+.5e+1]],"b":2}\n{"a":[3],"b":3}\n{"a":[1,{"x":+1}],"b":4}\n{"b":5}', (row) => events.push(`row ${row[2]}`), (e) => events.push(`error ${e.errorName}`));
    expect(events).toEqual(['row 1', 'error INPUT_PARSE_ERROR', 'row 3', 'error INPUT_PARSE_ERROR', 'row 5']);
  });
});
