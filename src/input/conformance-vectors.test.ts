/**
 * The input side of the conformance cases input-*, error-coercion-number-overflow and error-not-null-violation
 * (shared/conformance/cases), written out here as vectors: the schema, each record's payload, and the column
 * values (or errors) the decoder must produce. Times are epoch ms.
 */
import { describe, expect, it } from 'vitest';
import type { Value } from '../types/sql-type.js';
import { createInputDecoder } from './create-input-decoder.js';
import type { InputFormatConfig } from './input-decoder.js';
import { decodeAll } from './test-support.js';

interface Vector {
  name: string;
  input: InputFormatConfig;
  records: (string | object)[];
  rows: Value[][];
  errors?: number;
}

const payload = (r: string | object) => (typeof r === 'string' ? r : JSON.stringify(r));

const vectors: Vector[] = [
  {
    name: 'input-csv-column-prefix',
    input: { format: 'CSV', rowDelimiter: '\n', columnDelimiter: ',', columns: [
      { name: 'LastName', sqlType: 'VARCHAR(16)' }, { name: 'FirstName', sqlType: 'VARCHAR(16)' }, { name: 'CustomerId', sqlType: 'INTEGER' }] },
    records: ['Doe,John,67321,extra1,extra2', 'Roe,Jane,12,x,y'],
    rows: [['Doe', 'John', 67321], ['Roe', 'Jane', 12]],
  },
  {
    name: 'input-csv-crlf-discovered-schema',
    input: { format: 'CSV', rowDelimiter: '\r\n', columnDelimiter: ',', columns: [
      { name: 'COL_year', sqlType: 'INTEGER' }, { name: 'COL_month', sqlType: 'INTEGER' }, { name: 'state', sqlType: 'VARCHAR(4)' },
      { name: 'producer_type', sqlType: 'VARCHAR(64)' }, { name: 'energy_source', sqlType: 'VARCHAR(4)' }, { name: 'units', sqlType: 'VARCHAR(16)' },
      { name: 'consumption', sqlType: 'INTEGER' }] },
    records: ['2001,1,AK,TotalElectricPowerIndustry,Coal,ShortTons,47615\r\n2001,1,AK,ElectricGeneratorsElectricUtilities,Coal,ShortTons,16535\r\n' +
      '2001,1,AK,CombinedHeatandPowerElectricPower,Coal,ShortTons,22890\r\n2001,1,AL,TotalElectricPowerIndustry,Coal,ShortTons,3020601\r\n' +
      '2001,1,AL,ElectricGeneratorsElectricUtilities,Coal,ShortTons,2987681'],
    rows: [
      [2001, 1, 'AK', 'TotalElectricPowerIndustry', 'Coal', 'ShortTons', 47615],
      [2001, 1, 'AK', 'ElectricGeneratorsElectricUtilities', 'Coal', 'ShortTons', 16535],
      [2001, 1, 'AK', 'CombinedHeatandPowerElectricPower', 'Coal', 'ShortTons', 22890],
      [2001, 1, 'AL', 'TotalElectricPowerIndustry', 'Coal', 'ShortTons', 3020601],
      [2001, 1, 'AL', 'ElectricGeneratorsElectricUtilities', 'Coal', 'ShortTons', 2987681],
    ],
  },
  {
    name: 'input-csv-multiple-rows-per-record',
    input: { format: 'CSV', rowDelimiter: '\n', columnDelimiter: ',', columns: [
      { name: 'LastName', sqlType: 'VARCHAR(16)' }, { name: 'FirstName', sqlType: 'VARCHAR(16)' }, { name: 'CustomerId', sqlType: 'INTEGER' }] },
    records: ['Doe,John,1\nRoe,Jane,2\n', 'Poe,Ed,3\n'],
    rows: [['Doe', 'John', 1], ['Roe', 'Jane', 2], ['Poe', 'Ed', 3]],
  },
  {
    name: 'input-json-coercion-boolean-numeric',
    input: { format: 'JSON', recordRowPath: '$', columns: [
      ...['I1', 'I2', 'I3'].map((n) => ({ name: n, sqlType: 'INTEGER', mapping: `$.${n}` })),
      { name: 'D1', sqlType: 'DOUBLE', mapping: '$.D1' },
      ...['B1', 'B2', 'B3', 'B4', 'B5'].map((n) => ({ name: n, sqlType: 'BOOLEAN', mapping: `$.${n}` }))] },
    records: [{ I1: true, I2: false, I3: '42', D1: '2.5', B1: 'TRUE', B2: 'yes', B3: 0, B4: 5, B5: true }],
    rows: [[1, 0, 42, 2.5, true, false, false, true, true]],
  },
  {
    name: 'input-json-multiple-documents-per-record',
    input: { format: 'JSON', recordRowPath: '$', columns: [
      { name: 'TICKER', sqlType: 'VARCHAR(4)', mapping: '$.TICKER' }, { name: 'PRICE', sqlType: 'DOUBLE', mapping: '$.PRICE' }] },
    records: ['{"TICKER":"AMZN","PRICE":10.5}{"TICKER":"INTC","PRICE":20.25}', '{"TICKER":"TBV","PRICE":1.5}\n{"TICKER":"MSFT","PRICE":2.5}\n',
      { TICKER: 'AAPL', PRICE: 3.0 }],
    rows: [['AMZN', 10.5], ['INTC', 20.25], ['TBV', 1.5], ['MSFT', 2.5], ['AAPL', 3]],
  },
  {
    name: 'input-json-timestamp-formats',
    input: { format: 'JSON', recordRowPath: '$', columns: [
      { name: 'T1', sqlType: 'TIMESTAMP', mapping: '$.T1' }, { name: 'T2', sqlType: 'TIMESTAMP', mapping: '$.T2' }] },
    records: [{ T1: '1992-02-14 18:35:44.0', T2: '2018-05-09T12:50:41.337000' }],
    rows: [[Date.UTC(1992, 1, 14, 18, 35, 44), Date.UTC(2018, 4, 9, 12, 50, 41, 337)]],
  },
  {
    name: 'input-jsonpath-array-whole-as-text',
    input: { format: 'JSON', recordRowPath: '$', columns: [{ name: 'orders', sqlType: 'VARCHAR(256)', mapping: '$.orders[0:]' }] },
    records: ['{"customerName":"John Doe","orders":[{"orderId":"23284","itemName":"Widget"},{"orderId":"63122","itemName":"Gadget"}]}'],
    rows: [['[{"orderId":"23284","itemName":"Widget"},{"orderId":"63122","itemName":"Gadget"}]']],
  },
  {
    name: 'input-jsonpath-element-access',
    input: { format: 'JSON', recordRowPath: '$', columns: [
      { name: 'customerName', sqlType: 'VARCHAR(32)', mapping: '$.customerName' }, { name: 'city', sqlType: 'VARCHAR(32)', mapping: '$.address.city' },
      { name: 'street', sqlType: 'VARCHAR(32)', mapping: '$.address.streetAddress.street' },
      { name: 'lowercaseName', sqlType: 'VARCHAR(32)', mapping: '$.customername' }, { name: 'customerId', sqlType: 'VARCHAR(32)', mapping: '$.customerId' }] },
    records: [{ customerName: 'John Doe', address: { streetAddress: { number: '123', street: 'AnyStreet' }, city: 'Anytown' },
      orders: [{ orderId: '23284', itemName: 'Widget', itemPrice: '33.99' }, { orderId: '63122', itemName: 'Gadget', itemPrice: '22.50' },
        { orderId: '77284', itemName: 'Sprocket', itemPrice: '12.00' }] }],
    rows: [['John Doe', 'Anytown', 'AnyStreet', null, null]],
  },
  {
    name: 'input-jsonpath-flatten-empty-and-missing',
    input: { format: 'JSON', recordRowPath: '$', columns: [{ name: 'orderId', sqlType: 'VARCHAR(16)', mapping: '$.orders[0:].orderId' }] },
    records: [{ orders: [] }, { orders: [{ orderId: '1' }, { itemName: 'x' }, { orderId: '3' }] }],
    rows: [[null], ['1'], [null], ['3']],
  },
  {
    name: 'input-name-prefix',
    input: { format: 'JSON', recordRowPath: '$', columns: [
      { name: 'EVENT_TIME', sqlType: 'VARCHAR(20)', mapping: '$.EVENT_TIME' }, { name: 'TICKER', sqlType: 'VARCHAR(5)', mapping: '$.TICKER' },
      { name: 'PRICE', sqlType: 'REAL', mapping: '$.PRICE' }] },
    records: [{ EVENT_TIME: '2026-01-01 00:00:00', TICKER: 'AAPL', PRICE: 150.5 }, { EVENT_TIME: '2026-01-01 00:00:01', TICKER: 'AMZN', PRICE: 99.25 }],
    rows: [['2026-01-01 00:00:00', 'AAPL', 150.5], ['2026-01-01 00:00:01', 'AMZN', 99.25]],
  },
  {
    name: 'input-approximate-arrival-time',
    input: { format: 'JSON', recordRowPath: '$', columns: [{ name: 'TICKER', sqlType: 'VARCHAR(4)', mapping: '$.TICKER' }] },
    records: [{ TICKER: 'AMZN' }, { TICKER: 'INTC' }, { TICKER: 'TBV' }],
    rows: [['AMZN'], ['INTC'], ['TBV']],
  },
  {
    name: 'error-coercion-number-overflow',
    input: { format: 'JSON', recordRowPath: '$', columns: [
      { name: 'ID', sqlType: 'INTEGER', mapping: '$.ID' }, { name: 'Q', sqlType: 'INTEGER', mapping: '$.Q' }, { name: 'S', sqlType: 'SMALLINT', mapping: '$.S' }] },
    records: [{ ID: 1, Q: 123, S: 5 }, { ID: 2, Q: 123.4, S: 5 }, { ID: 3, Q: 7, S: 70000 }],
    rows: [[1, 123, 5]],
    errors: 2,
  },
  {
    name: 'error-not-null-violation (input side: NULLs are ingested; NOT NULL is the engine\'s)',
    input: { format: 'JSON', recordRowPath: '$', columns: [
      { name: 'INPUTCOLUMN1', sqlType: 'BIGINT', mapping: '$.INPUTCOLUMN1' }, { name: 'INPUTCOLUMN2', sqlType: 'INTEGER', mapping: '$.INPUTCOLUMN2' },
      { name: 'INPUTCOLUMN3', sqlType: 'VARCHAR(64)', mapping: '$.INPUTCOLUMN3' }] },
    records: [{ INPUTCOLUMN1: 1, INPUTCOLUMN2: 10, INPUTCOLUMN3: 'a' }, { INPUTCOLUMN2: 20, INPUTCOLUMN3: 'b' },
      { INPUTCOLUMN1: 3, INPUTCOLUMN2: null, INPUTCOLUMN3: 'c' }],
    rows: [[1, 10, 'a'], [null, 20, 'b'], [3, null, 'c']],
  },
];

describe('conformance vectors (input side)', () => {
  for (const v of vectors) {
    it(v.name, () => {
      const decoder = createInputDecoder(v.input);
      expect(decoder.columns.map((c) => c.name)).toEqual(v.input.columns.map((c) => c.name));
      const r = decodeAll(decoder, ...v.records.map(payload));
      expect(r.rows).toEqual(v.rows);
      expect(r.errors.length).toBe(v.errors ?? 0);
    });
  }

  it('error-coercion-number-overflow: the messages name the column, the value and the type', () => {
    const v = vectors.find((x) => x.name === 'error-coercion-number-overflow')!;
    const r = decodeAll(createInputDecoder(v.input), ...v.records.map(payload));
    expect(r.errors.map((e) => e.error.message)).toEqual([
      'cannot convert JSON number 123.4 to INTEGER for column "Q": it has a fractional part (precision would be lost)',
      'cannot convert JSON number 70000 to SMALLINT for column "S": it is out of range [-32768, 32767]',
    ]);
    expect(r.errors.map((e) => e.raw)).toEqual(['{"ID":2,"Q":123.4,"S":5}', '{"ID":3,"Q":7,"S":70000}']);
  });
});
