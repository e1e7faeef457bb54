import { describe, expect, it } from 'vitest';
import { UnsupportedTranslationError } from '../../src/errors.js';
import { parseSqlType } from '../../src/types/sql-type.js';
import { jsonRowsPlan } from '../../src/translate/json-rows.js';

function plan(columns: [string, string, string][]) {
  return jsonRowsPlan(
    columns.map(([name, sqlType]) => ({ name, type: parseSqlType(sqlType) })),
    columns.map(([name, sqlType, mapping]) => ({ name, sqlType, mapping })),
  );
}

describe('jsonRowsPlan: mappings that read arrays with [0:]', () => {
  it('leaves plain mappings alone (no SA_JSON_ROWS)', () => {
    expect(plan([['A', 'INTEGER', '$.a'], ['B', 'VARCHAR(4)', '$.x[1].b']])).toEqual({ spec: null, mappings: ['$.a', '$.x[1].b'] });
  });

  it('flattens one array: the element replaces the array, the path loses [0:]', () => {
    const p = plan([['ID', 'VARCHAR(16)', '$.orders[0:].orderId'], ['N', 'INTEGER', '$.order_count'], ['Q', 'INTEGER', "$.orders[0:]['the qty']"]]);
    expect(JSON.parse(p.spec!)).toEqual({ flatten: ['orders'], arrays: [] });
    expect(p.mappings).toEqual(['$.doc.orders.orderId', '$.doc.order_count', "$.doc.orders['the qty']"]);
  });

  it('reads a whole array as text, at the top and inside a flattened element', () => {
    const p = plan([['ALL', 'VARCHAR(256)', '$.orders[0:]'], ['FIRST', 'VARCHAR(16)', '$.orders[0]']]);
    expect(JSON.parse(p.spec!)).toEqual({ flatten: null, arrays: [['orders']] });
    expect(p.mappings).toEqual(['$.arrays[0]', '$.doc.orders[0]']);
    const q = plan([['TX', 'VARCHAR(8)', '$.a.txs[0:].id'], ['INPUTS', 'VARCHAR(64)', '$.a.txs[0:].inputs[0:]']]);
    expect(JSON.parse(q.spec!)).toEqual({ flatten: ['a', 'txs'], arrays: [['a', 'txs', 'inputs']] });
    expect(q.mappings).toEqual(['$.doc.a.txs.id', '$.arrays[0]']);
  });

  it('refuses what the rewrite cannot express, with the column and why', () => {
    const refused = (columns: [string, string, string][]) => {
      try {
        plan(columns);
      } catch (e) {
        expect(e).toBeInstanceOf(UnsupportedTranslationError);
        return (e as UnsupportedTranslationError).reason;
      }
      throw new Error('not refused');
    };
    expect(refused([['N', 'INTEGER', '$.orders[0:]']])).toMatch(/whole array into INTEGER column N/);
    expect(refused([['ID', 'INTEGER', '$.orders[0:].id'], ['FIRST', 'INTEGER', '$.orders[0].id']])).toMatch(/column FIRST .* reads the array \$\.orders that another column flattens/);
    expect(refused([['X', 'INTEGER', '$[0:].x']])).toMatch(/flattens the document itself/);
    expect(refused([['ID', 'INTEGER', '$.a.orders[0:].id'], ['A', 'VARCHAR(99)', '$.a']])).toMatch(/column A .* reads the array \$\.a\.orders/);
  });
});
