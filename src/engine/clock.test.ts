import { afterEach, describe, expect, it, vi } from 'vitest';
import { ExecutionError } from '../errors.js';
import { parseSqlType } from '../types/sql-type.js';
import { compileApplication, type ApplicationSpec, type ErrorRow } from './application.js';

/**
 * The clock functions (SQLREF CURRENT_ROW_TIMESTAMP, LOCALTIMESTAMP, CURRENT_TIMESTAMP...) read the engine's
 * clock, which the host injects: the wall clock on a live source, the recorded arrival times on a replay, so
 * two replays of one recording give the same rows. CURRENT_ROW_TIMESTAMP is read per row; the others hold the
 * time the query first ran (its first row).
 */

const T0 = Date.UTC(2026, 0, 1);
const INPUT = 'SOURCE_SQL_STREAM_001';
const SQL = `CREATE STREAM "OUT" (X INTEGER, CRT TIMESTAMP, CT TIMESTAMP, LT TIMESTAMP, CD DATE, R TIMESTAMP, D VARCHAR(10));
CREATE PUMP p AS INSERT INTO "OUT" SELECT STREAM X, CURRENT_ROW_TIMESTAMP, CURRENT_TIMESTAMP, LOCALTIMESTAMP, CURRENT_DATE, s.ROWTIME,
  TIMESTAMP_TO_CHAR('yyyy-MM-dd', CURRENT_ROW_TIMESTAMP) FROM "${INPUT}" AS s WHERE 10 / X > 0;`;

function replay(clock: 'arrival', split = false) {
  const spec: ApplicationSpec = { sql: SQL, inputs: [{ name: INPUT, columns: [{ name: 'X', type: parseSqlType('INTEGER') }] }], options: { clock } };
  const app = compileApplication(spec);
  const rows: unknown[] = [];
  const errors: ErrorRow[] = [];
  let e = app.start();
  const listen = () => {
    e.onRow((_s, row, rt) => rows.push([rt, ...row]));
    e.onError((x) => errors.push(x));
  };
  listen();
  // The recording: arrival times over two days; X = 0 fails (division by zero) and goes to error_stream.
  const recording: [number, number][] = [
    [T0 + 5_000, 1],
    [T0 + 86_400_000 + 7, 0],
    [T0 + 2 * 86_400_000 + 1, 3],
  ];
  recording.forEach(([at, x], i) => {
    if (split && i === 1) {
      const state = JSON.parse(JSON.stringify(e.snapshot())) as unknown;
      e = app.start();
      listen();
      e.restore(state);
    }
    vi.setSystemTime(Date.UTC(2030, 5, 1) + Math.floor(Math.random() * 1e9));
    e.insert(INPUT, [x], at);
  });
  e.reportError(new ExecutionError('INPUT_PARSE_ERROR', 'bad record'), 'zz', T0 + 3 * 86_400_000);
  e.finish();
  return { rows, errors: errors.map((x) => [x.ERROR_TIME, x.ERROR_NAME, x.DATA_ROWTIME]) };
}

describe('the engine clock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("'arrival': every clock function follows the replayed arrival times, and two replays are identical", () => {
    vi.useFakeTimers();
    const a = replay('arrival');
    const b = replay('arrival');
    expect(b).toEqual(a);
    const day = 86_400_000;
    expect(a.rows).toEqual([
      [T0 + 5_000, 1, T0 + 5_000, T0 + 5_000, T0 + 5_000, T0, T0 + 5_000, '2026-01-01'],
      [T0 + 2 * day + 1, 3, T0 + 2 * day + 1, T0 + 5_000, T0 + 5_000, T0, T0 + 2 * day + 1, '2026-01-03'],
    ]);
    expect(a.errors).toEqual([
      [T0 + day + 7, 'DIVISION_BY_ZERO', T0 + day + 7],
      [T0 + 2 * day + 1, 'INPUT_PARSE_ERROR', T0 + 3 * day],
    ]);
  });

  it('a run restored from a snapshot keeps the query start time (CURRENT_TIMESTAMP) of the first run', () => {
    vi.useFakeTimers();
    expect(replay('arrival', true)).toEqual(replay('arrival'));
  });

  it('an injected clock: CURRENT_TIMESTAMP is taken when the first row arrives, not when the engine is built', () => {
    let now = T0;
    const app = compileApplication({ sql: SQL, inputs: [{ name: INPUT, columns: [{ name: 'X', type: parseSqlType('INTEGER') }] }], options: { clock: () => now } });
    const e = app.start();
    const rows: unknown[][] = [];
    e.onRow((_s, row) => rows.push(row));
    now = T0 + 60_000; // the host starts reading later
    e.insert(INPUT, [1], T0 + 61_000);
    now = T0 + 120_000;
    e.insert(INPUT, [2], T0 + 62_000);
    expect(rows.map((r) => [r[1], r[2]])).toEqual([
      [T0 + 60_000, T0 + 60_000],
      [T0 + 120_000, T0 + 60_000],
    ]);
  });
});
