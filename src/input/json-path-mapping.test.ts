// The JSONPath mappings KDA accepted, decoded as the Developer Guide describes them ("Working with JSONPath",
// "Mapping Streaming Source Elements to SQL Input Columns"): one array level is dereferenced (flattened), an
// array or object at the end of a path is its JSON text, inside a flattened element too.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { createInputDecoder } from './create-input-decoder.js';
import type { InputColumnConfig } from './input-decoder.js';
import { decodeAll } from './test-support.js';

const col = (name: string, sqlType: string, mapping: string): InputColumnConfig => ({ name, sqlType, mapping });

const event = JSON.stringify({
  detail: {
    block: 7,
    txs: [
      { id: 'a', inputs: [{ v: 1 }, { v: 2 }], meta: { fee: 3 } },
      { id: 'b', inputs: [], meta: null },
      { id: 'c' },
    ],
  },
});

describe('JSONPath mappings as KDA accepted them', () => {
  it('$.detail.txs[0:].inputs[0:]: one row per transaction, its inputs array as JSON text', () => {
    const d = createInputDecoder({
      format: 'JSON',
      columns: [
        col('BLOCK', 'INTEGER', '$.detail.block'),
        col('TX', 'VARCHAR(4)', '$.detail.txs[0:].id'),
        col('INPUTS', 'VARCHAR(256)', '$.detail.txs[0:].inputs[0:]'),
        col('META', 'VARCHAR(64)', '$.detail.txs[0:].meta'),
      ],
    });
    const out = decodeAll(d, event);
    expect(out.errors).toEqual([]);
    expect(out.rows).toEqual([
      [7, 'a', '[{"v":1},{"v":2}]', '{"fee":3}'],
      [7, 'b', '[]', null],
      // A missing element gives NULL, as for any path with nothing at its end.
      [7, 'c', null, null],
    ]);
  });

  it('the same with the array as the record row path', () => {
    const d = createInputDecoder({
      format: 'JSON',
      recordRowPath: '$.detail.txs[0:]',
      columns: [col('TX', 'VARCHAR(4)', '$.id'), col('INPUTS', 'VARCHAR(256)', '$.inputs[0:]')],
    });
    expect(decodeAll(d, event).rows).toEqual([
      ['a', '[{"v":1},{"v":2}]'],
      ['b', '[]'],
      ['c', null],
    ]);
  });

  it('rejects only what KDA rejected: a second level of dereferencing, or two arrays flattened', () => {
    const refuse = (columns: InputColumnConfig[]) => {
      try {
        createInputDecoder({ format: 'JSON', columns });
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        return (e as ConfigError).message;
      }
      throw new Error('accepted');
    };
    expect(refuse([col('S', 'INTEGER', '$.detail.txs[0:].inputs[0:].v')])).toMatch(/only one array level can be dereferenced: \$\.detail\.txs\[0:\]\.inputs\[0:\]\.v goes into the elements of 2 arrays/);
    expect(refuse([col('A', 'VARCHAR(4)', '$.a[0:].x'), col('B', 'VARCHAR(4)', '$.b[0:].x')])).toMatch(/only one array can be flattened per schema/);
    // Flattening one array and returning another whole is the Guide's valid example.
    expect(() => createInputDecoder({ format: 'JSON', columns: [col('A', 'VARCHAR(4)', '$.a[0:].x'), col('B', 'VARCHAR(64)', '$.b[0:]')] })).not.toThrow();
  });
});
