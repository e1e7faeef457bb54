import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { discoverInputSchema } from './infer-input-schema.js';
import { previewRows } from './preview-rows.js';
import { columnName } from './column-names.js';

const json = (...docs: unknown[]) => docs.map((d) => JSON.stringify(d));
const col = (d: ReturnType<typeof discoverInputSchema>, name: string) => d.schema.columns.find((c) => c.name === name);

describe('discoverInputSchema: JSON', () => {
  it('gives one column per leaf with its mapping and the narrowest type', () => {
    const d = discoverInputSchema(json(
      { TICKER: 'AMZN', PRICE: 84.51, QTY: 3, BIG: 5_000_000_000, OK: true, TS: '2026-01-01T10:00:00Z', D: '2026-01-02' },
      { TICKER: 'MSFT', PRICE: 50.25, QTY: 7, BIG: 1, OK: false, TS: '2026-01-01 10:00:01.250', D: '2026-01-03' },
    ));
    expect(d.schema).toEqual({
      format: 'JSON',
      recordRowPath: '$',
      columns: [
        { name: 'TICKER', sqlType: 'VARCHAR(8)', mapping: '$.TICKER' },
        { name: 'PRICE', sqlType: 'DOUBLE', mapping: '$.PRICE' },
        { name: 'QTY', sqlType: 'INTEGER', mapping: '$.QTY' },
        { name: 'BIG', sqlType: 'BIGINT', mapping: '$.BIG' },
        { name: 'OK', sqlType: 'BOOLEAN', mapping: '$.OK' },
        { name: 'TS', sqlType: 'TIMESTAMP', mapping: '$.TS' },
        { name: 'D', sqlType: 'TIMESTAMP', mapping: '$.D' },
      ],
    });
    expect(d.notes).toEqual([]);
    expect(d.unfit).toEqual([]);
  });

  it('sizes VARCHAR from the longest value with headroom', () => {
    const d = discoverInputSchema(json({ s: 'x'.repeat(20) }, { s: 'y' }));
    expect(col(d, 's')!.sqlType).toBe('VARCHAR(64)');
  });

  it('flattens nested objects into columns named after their path, made valid SQL identifiers', () => {
    const d = discoverInputSchema(json({ order: { id: 1, 'ship to': { city: 'Oslo' } }, year: 2020, '1st': 'a' }));
    expect(d.schema.columns).toEqual([
      { name: 'order_id', sqlType: 'INTEGER', mapping: '$.order.id' },
      { name: 'order_ship_to_city', sqlType: 'VARCHAR(8)', mapping: "$.order['ship to'].city" },
      { name: 'COL_year', sqlType: 'INTEGER', mapping: '$.year' },
      { name: 'COL_1st', sqlType: 'VARCHAR(8)', mapping: "$['1st']" },
    ]);
    const p = previewRows(d.schema, json({ order: { id: 1, 'ship to': { city: 'Oslo' } }, year: 2020, '1st': 'a' }));
    expect(p.rows).toEqual([[1, 'Oslo', 2020, 'a']]);
  });

  it('keeps names unique', () => {
    expect(discoverInputSchema(json({ a_b: 1, a: { b: 2 }, A_B: 3 })).schema.columns.map((c) => c.name)).toEqual(['a_b', 'a_b_2', 'A_B_3']);
    expect(columnName('ROWTIME')).toBe('COL_ROWTIME');
    expect(columnName('day')).toBe('COL_day');
    expect(columnName('héllo wörld')).toBe('h_llo_w_rld');
  });

  it('takes the elements of top-level arrays as the rows ($[0:])', () => {
    const docs = json([{ id: 1, v: 'a' }, { id: 2, v: 'b' }], [{ id: 3, v: 'c' }]);
    const d = discoverInputSchema(docs);
    expect(d.schema.recordRowPath).toBe('$[0:]');
    expect(d.rows).toBe(3);
    expect(d.schema.columns.map((c) => [c.mapping, c.sqlType])).toEqual([['$.id', 'INTEGER'], ['$.v', 'VARCHAR(8)']]);
    expect(previewRows(d.schema, docs).rows).toEqual([[1, 'a'], [2, 'b'], [3, 'c']]);
  });

  it('maps arrays inside a row as text by default, and offers their elements as [0:] rows', () => {
    const docs = json({ customer: 'ann', orders: [{ id: 'o1', n: 2 }, { id: 'o2' }], tags: ['x', 'y'] });
    const text = discoverInputSchema(docs);
    expect(text.schema.columns.map((c) => [c.mapping, c.sqlType])).toEqual([['$.customer', 'VARCHAR(8)'], ['$.orders', 'VARCHAR(64)'], ['$.tags', 'VARCHAR(32)']]);
    expect(text.notes.join('\n')).toMatch(/\$\.orders: an array of objects, mapped as JSON text; --arrays rows/);
    expect(previewRows(text.schema, docs).rows).toEqual([['ann', '[{"id":"o1","n":2},{"id":"o2"}]', '["x","y"]']]);

    const rows = discoverInputSchema(docs, { arrays: 'rows' });
    expect(rows.schema.columns.map((c) => c.mapping)).toEqual(['$.customer', '$.orders[0:].id', '$.orders[0:].n', '$.tags']);
    expect(rows.schema.columns.map((c) => c.name)).toEqual(['customer', 'orders_id', 'orders_n', 'tags']);
    expect(previewRows(rows.schema, docs).rows).toEqual([['ann', 'o1', 2, '["x","y"]'], ['ann', 'o2', null, '["x","y"]']]);

    const inner = discoverInputSchema(docs, { recordRowPath: '$.orders[0:]' });
    expect(inner.schema.columns.map((c) => c.mapping)).toEqual(['$.id', '$.n']);
    expect(inner.rows).toBe(2);
  });

  it('widens conflicting types and says so', () => {
    const d = discoverInputSchema(json({ a: 1, b: 1, c: true }, { a: 2.5, b: 'x', c: 'yes' }, { a: 3, b: 2, c: null }));
    expect(d.schema.columns.map((c) => c.sqlType)).toEqual(['DOUBLE', 'VARCHAR(8)', 'VARCHAR(8)']);
    expect(d.notes).toEqual([
      'a ($.a): whole and fractional numbers (2 integer, 1 fraction): widened to DOUBLE',
      'b ($.b): values of different kinds (2 integer, 1 text): widened to VARCHAR',
      'c ($.c): values of different kinds (1 boolean, 1 text): widened to VARCHAR',
    ]);
    // Under the widened schema every record maps.
    expect(previewRows(d.schema, json({ a: 1, b: 1, c: true }, { a: 2.5, b: 'x', c: 'yes' })).errors).toEqual([]);
  });

  it('says when a column is missing from some rows or only ever NULL', () => {
    const d = discoverInputSchema(json({ a: 1, n: null }, { a: 2, extra: 'x', n: null }));
    expect(d.notes).toEqual([
      'n ($.n): only NULL in the sample: VARCHAR until records show more',
      'extra ($.extra): present in 1 of 2 rows (NULL in the others)',
    ]);
  });

  it('returns empty and malformed records with the reason, and infers from the rest', () => {
    const d = discoverInputSchema(['{"a":1}', '', '   ', '{"a":', '42', '{"a":2}\n{"a":3}', new TextEncoder().encode('{"a":4}')]);
    expect(d.schema.columns).toEqual([{ name: 'a', sqlType: 'INTEGER', mapping: '$.a' }]);
    expect(d.rows).toBe(4);
    expect(d.unfit.map((u) => [u.index, u.reason.replace(/:.*/, '')])).toEqual([[1, 'empty record'], [2, 'empty record'], [3, 'not JSON'], [4, 'not JSON']]);
    expect(d.unfit[2].reason).toMatch(/^not JSON: .*JSON/);
    expect(d.unfit[3].reason).toBe('not JSON: a JSON number, not an object or array');
  });

  it('refuses a sample with nothing to infer from', () => {
    expect(() => discoverInputSchema(['', ''])).toThrow(ConfigError);
    expect(() => discoverInputSchema([])).toThrow(/no record to discover a schema from/);
  });
});

describe('discoverInputSchema: CSV', () => {
  it('detects the column delimiter and types the fields', () => {
    const d = discoverInputSchema(['AMZN;84.51;3;true;2026-01-01 10:00:00\nMSFT;50.1;7;false;2026-01-01 10:00:01', 'IBM;1e3;9;TRUE;2026-01-02']);
    expect(d.schema).toEqual({
      format: 'CSV',
      rowDelimiter: '\n',
      columnDelimiter: ';',
      columns: [
        { name: 'COL_1', sqlType: 'VARCHAR(8)' },
        { name: 'COL_2', sqlType: 'DOUBLE' },
        { name: 'COL_3', sqlType: 'INTEGER' },
        { name: 'COL_4', sqlType: 'BOOLEAN' },
        { name: 'COL_5', sqlType: 'TIMESTAMP' },
      ],
    });
    expect(d.rows).toBe(3);
    expect(previewRows(d.schema, ['AMZN;84.51;3;true;2026-01-01 10:00:00']).rows).toEqual([['AMZN', 84.51, 3, true, Date.UTC(2026, 0, 1, 10)]]);
  });

  it.each([
    ['\t', 'a\t1\t2\nb\t3\t4'],
    ['|', 'a|1|2\nb|3|4'],
    [',', 'a,1,2\nb,3,4'],
  ])('detects %j', (delimiter, text) => {
    expect(discoverInputSchema([text]).schema.columnDelimiter).toBe(delimiter);
  });

  it('prefers the delimiter that splits rows consistently over one that splits a few rows more', () => {
    // Commas inside the free-text field would give uneven field counts; tabs split every row in three.
    const d = discoverInputSchema(['x\t1\tfree text, with commas\ny\t2\tplain', 'z\t3\tone, two, three, four']);
    expect(d.schema.columnDelimiter).toBe('\t');
    expect(d.schema.columns.length).toBe(3);
  });

  it('detects CR LF rows', () => {
    const d = discoverInputSchema(['2001,1,AK,47615\r\n2001,2,AL,16535']);
    expect(d.schema.rowDelimiter).toBe('\r\n');
    expect(d.schema.columns.map((c) => c.sqlType)).toEqual(['INTEGER', 'INTEGER', 'VARCHAR(8)', 'INTEGER']);
  });

  it('gives DECIMAL to fixed-point text, DOUBLE to other fractions', () => {
    const d = discoverInputSchema(['12.50,1.5\n3.10,2.25\n100.00,3']);
    expect(d.schema.columns.map((c) => c.sqlType)).toEqual(['DECIMAL(7,2)', 'DOUBLE']);
    expect(d.notes[0]).toMatch(/COL_2 \(field 2\): whole and fractional numbers/);
  });

  it('reports rows with another number of fields, and widens mixed fields', () => {
    const d = discoverInputSchema(['a,1,x\nb,2,y\nc,oops,z\nd,4']);
    expect(d.schema.columns.map((c) => c.sqlType)).toEqual(['VARCHAR(8)', 'VARCHAR(8)', 'VARCHAR(8)']);
    expect(d.unfit).toEqual([{ index: 0, reason: '2 field(s) where most rows have 3 (the missing ones map to NULL)', text: 'd,4' }]);
    expect(d.notes.join('\n')).toMatch(/COL_2 \(field 2\): values of different kinds \(3 integer, 1 text\): widened to VARCHAR/);
  });

  it('reads JSON when most records are JSON, and reports the rest', () => {
    const d = discoverInputSchema(['{"a":1}', '{"a":2}', 'a,b,c']);
    expect(d.schema.format).toBe('JSON');
    expect(d.unfit.map((u) => u.index)).toEqual([2]);
  });
});
