import { describe, expect, it } from 'vitest';
import { SqlTypes } from '../../types/sql-type.js';
import { compileApplication } from '../application.js';

describe('streaming ORDER BY', () => {
  it('re-orders a group by the other keys; its rows leave at the group\'s last ROWTIME, so none is out of order', () => {
    const app = compileApplication({
      sql: `CREATE STREAM OUT_STREAM (S INTEGER);
            CREATE PUMP P AS INSERT INTO OUT_STREAM
              SELECT STREAM S FROM "IN_001" ORDER BY FLOOR("IN_001".ROWTIME TO SECOND), S DESC;`,
      inputs: [{ name: 'IN_001', columns: [{ name: 'S', type: SqlTypes.INTEGER }] }],
    });
    const engine = app.start();
    const rows: [number, number][] = [];
    const errors: string[] = [];
    engine.onRow((_, row, rowtime) => rows.push([row[0] as number, rowtime]));
    engine.onError((e) => errors.push(e.MESSAGE));
    const t0 = Date.UTC(2026, 0, 1);
    for (const [s, dt] of [[1, 100], [3, 200], [2, 900], [5, 1100], [4, 1200]]) engine.insert('IN_001', [s], t0 + dt);
    engine.finish();
    expect(errors).toEqual([]);
    expect(rows).toEqual([
      [3, t0 + 900],
      [2, t0 + 900],
      [1, t0 + 900],
      [5, t0 + 1200],
      [4, t0 + 1200],
    ]);
  });
});
