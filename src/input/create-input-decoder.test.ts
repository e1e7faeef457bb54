import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { createInputDecoder } from './create-input-decoder.js';
import type { InputFormatConfig } from './input-decoder.js';

function configError(config: unknown): ConfigError {
  try {
    createInputDecoder(config as InputFormatConfig);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

const ok = { name: 'A', sqlType: 'INTEGER', mapping: '$.a' };

describe('createInputDecoder', () => {
  it('exposes the columns with names as written and parsed types', () => {
    const d = createInputDecoder({
      format: 'JSON',
      columns: [
        { name: 'ticker_symbol', sqlType: 'varchar(4)', mapping: '$.t' },
        { name: 'Price', sqlType: 'DECIMAL(8, 2)', mapping: '$.p' },
      ],
    });
    expect(d.columns).toEqual([
      { name: 'ticker_symbol', type: { kind: 'VARCHAR', length: 4 } },
      { name: 'Price', type: { kind: 'DECIMAL', precision: 8, scale: 2 } },
    ]);
  });

  it('names the field of a bad configuration', () => {
    const cases: [unknown, string, RegExp][] = [
      [null, 'input', /object is required/],
      [{ format: 'XML', columns: [ok] }, 'format', /'JSON' or 'CSV'. Received "XML"/],
      [{ format: 'JSON', columns: [] }, 'columns', /at least one column/],
      [{ format: 'JSON', columns: Array.from({ length: 1001 }, (_, i) => ({ ...ok, name: `c${i}` })) }, 'columns', /at most 1000/],
      [{ format: 'JSON', columns: [ok, { name: '', sqlType: 'INTEGER', mapping: '$.b' }] }, 'columns[1].name', /non-empty/],
      [{ format: 'JSON', columns: [ok, { ...ok, mapping: '$.b' }] }, 'columns[1].name', /already used by columns\[0\]/],
      [{ format: 'JSON', columns: [ok, { ...ok, name: 'B' }, { name: 'C', sqlType: 'BLOB', mapping: '$.c' }] }, 'columns[2].sqlType', /unknown SQL type 'BLOB'/],
      [{ format: 'JSON', columns: [{ name: 'C', sqlType: 'INTERVAL DAY', mapping: '$.c' }] }, 'columns[0].sqlType', /INTERVAL/],
      [{ format: 'JSON', columns: [{ name: 'C', sqlType: 'VARCHAR(0)', mapping: '$.c' }] }, 'columns[0].sqlType', /between 1 and/],
      [{ format: 'JSON', columns: [ok, ok].map((c, i) => ({ ...c, name: `c${i}` })).concat([{ name: 'X', sqlType: 'INTEGER' } as typeof ok]) }, 'columns[2].mapping', /mapping is required/],
      [{ format: 'JSON', columns: [{ ...ok, mapping: '$..a' }] }, 'columns[0].mapping', /recursive descent/],
      [{ format: 'JSON', columns: [{ ...ok, mapping: '$.a[*]' }] }, 'columns[0].mapping', /not supported/],
      [
        { format: 'JSON', columns: [{ ...ok, mapping: '$.a[0:].x' }, { name: 'B', sqlType: 'INTEGER', mapping: '$.b[0:].y' }] },
        'columns[1].mapping',
        /only one array can be flattened per schema: columns\[0\] already flattens \$\.a\[0:\]/,
      ],
      [{ format: 'JSON', columns: [{ ...ok, mapping: '$.a[0:].b[0:].c' }] }, 'columns[0].mapping', /only one array level/],
      [{ format: 'JSON', recordRowPath: 'records', columns: [ok] }, 'recordRowPath', /must start with/],
      [{ format: 'JSON', recordRowPath: '$.a[0:].b[0:]', columns: [ok] }, 'recordRowPath', /only one \[0:\]/],
      [{ format: 'CSV', rowDelimiter: '', columns: [{ name: 'A', sqlType: 'INTEGER' }] }, 'rowDelimiter', /non-empty/],
      [{ format: 'CSV', columnDelimiter: '', columns: [{ name: 'A', sqlType: 'INTEGER' }] }, 'columnDelimiter', /non-empty/],
      [{ format: 'CSV', rowDelimiter: ',', columns: [{ name: 'A', sqlType: 'INTEGER' }] }, 'columnDelimiter', /must differ/],
      [{ format: 'CSV', columns: [{ name: 'A', sqlType: 'INTEGER', mapping: '$.a' }] }, 'columns[0].mapping', /by position/],
    ];
    for (const [config, field, message] of cases) {
      const e = configError(config);
      expect(e.field, field).toBe(field);
      expect(e.message, field).toMatch(message);
      expect(e.message.startsWith(`${field}: `)).toBe(true);
    }
  });

  it('allows several columns over the same flattened array, and [0:] text beside it', () => {
    expect(() =>
      createInputDecoder({
        format: 'JSON',
        columns: [
          { name: 'a', sqlType: 'INTEGER', mapping: '$.o[0:].a' },
          { name: 'b', sqlType: 'INTEGER', mapping: '$.o[0:].b' },
          { name: 'o', sqlType: 'VARCHAR', mapping: '$.o[0:]' },
          { name: 'p', sqlType: 'VARCHAR', mapping: '$.p[0:]' },
        ],
      }),
    ).not.toThrow();
  });

  it('CSV columns may carry an empty mapping (as discovered schemas do)', () => {
    expect(() => createInputDecoder({ format: 'CSV', columns: [{ name: 'A', sqlType: 'INTEGER', mapping: '' }] })).not.toThrow();
  });
});
