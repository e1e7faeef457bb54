import { describe, expect, it } from 'vitest';
import { SqlTypes } from '../types/sql-type.js';
import { formatTimestamp, rowFormatter } from './output-row.js';

describe('rowFormatter', () => {
  it('formats ROWTIME and values by type, NULL as null', () => {
    const t = Date.UTC(2026, 0, 2, 3, 4, 5, 6);
    const f = rowFormatter([
      { name: 'TICKER', type: SqlTypes.varchar(4) },
      { name: 'TS', type: SqlTypes.TIMESTAMP },
      { name: 'D', type: SqlTypes.DATE },
      { name: 'N', type: SqlTypes.DOUBLE },
      { name: 'B', type: { kind: 'VARBINARY', length: null } },
      { name: 'X', type: SqlTypes.INTEGER },
    ]);
    expect(f(['AMZN', t, Date.UTC(2026, 0, 2), 1.5, new Uint8Array([0xab, 1]), null], t)).toEqual({
      ROWTIME: '2026-01-02 03:04:05.006', TICKER: 'AMZN', TS: '2026-01-02 03:04:05.006', D: '2026-01-02', N: 1.5, B: 'ab01', X: null,
    });
  });
  it('formats years before 1000 and negative instants', () => {
    expect(formatTimestamp(Date.UTC(999, 11, 31, 23, 59, 59, 999))).toBe('0999-12-31 23:59:59.999');
    expect(formatTimestamp(-1)).toBe('1969-12-31 23:59:59.999');
  });
});
