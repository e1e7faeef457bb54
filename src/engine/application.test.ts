import { describe, expect, it } from 'vitest';
import { PlanError } from '../errors.js';
import { parseSqlType, type Value } from '../types/sql-type.js';
import { compileApplication, type ErrorRow } from './application.js';

const T0 = Date.UTC(2026, 0, 1);
const INPUT = 'SOURCE_SQL_STREAM_001';

function app(sql: string, columns: Record<string, string>) {
  return compileApplication({
    sql,
    inputs: [{ name: INPUT, columns: Object.entries(columns).map(([name, t]) => ({ name, type: parseSqlType(t) })) }],
    options: { clock: () => T0 },
  });
}

/** Runs rows (with second offsets from T0) and returns [stream, rowtime offset s, ...values] tuples and errors. */
function run(sql: string, columns: Record<string, string>, rows: [number, ...Value[]][], endAt?: number) {
  const engine = app(sql, columns).start();
  const out: [string, number, ...Value[]][] = [];
  const errors: ErrorRow[] = [];
  engine.onRow((s, row, rt) => out.push([s, (rt - T0) / 1000, ...row]));
  engine.onError((e) => errors.push(e));
  for (const [at, ...values] of rows) engine.insert(INPUT, values, T0 + at * 1000);
  if (endAt === undefined) engine.finish();
  else engine.advanceTo(T0 + endAt * 1000);
  return { out, errors, engine };
}

function planError(sql: string, columns: Record<string, string>): PlanError {
  try {
    app(sql, columns);
  } catch (e) {
    if (e instanceof PlanError) return e;
    throw e;
  }
  throw new Error('expected a PlanError');
}

const DEST = 'CREATE STREAM "D" (K VARCHAR(4), N BIGINT);\n';

describe('semantic errors are reported before start, with line and column', () => {
  it('unknown column, with a hint about quoting', () => {
    const e = planError('CREATE STREAM "D" ("heartRate" INTEGER);\nCREATE PUMP p AS INSERT INTO "D"\nSELECT STREAM heartRate FROM "SOURCE_SQL_STREAM_001";', { heartRate: 'INTEGER' });
    expect([e.line, e.column]).toEqual([3, 15]);
    expect(e.message).toMatch(/unknown column HEARTRATE \(a column "heartRate" exists/);
  });
  it('a GROUP BY without a monotonic key', () => {
    const e = planError(DEST + 'CREATE PUMP p AS INSERT INTO "D" SELECT STREAM K, COUNT(*) FROM "SOURCE_SQL_STREAM_001"\n  GROUP BY K;', { K: 'VARCHAR(4)' });
    expect([e.line, e.column]).toEqual([3, 12]);
    expect(e.message).toMatch(/needs a monotonic key/);
  });
  it('an unknown function is reported as one, also in an aggregate query and over a column', () => {
    for (const [query, column] of [
      ["SELECT STREAM K, MEDIANX(PRICE) FROM \"SOURCE_SQL_STREAM_001\" AS s GROUP BY K, STEP(s.ROWTIME BY INTERVAL '1' MINUTE);", 33],
      ['SELECT STREAM K, MEDIANX(PRICE) FROM "SOURCE_SQL_STREAM_001";', 33],
      ['SELECT STREAM K, ABS(MEDIANX(PRICE)) FROM "SOURCE_SQL_STREAM_001" WINDOWED BY STAGGER (PARTITION BY K RANGE INTERVAL \'1\' MINUTE);', 37],
    ] as const) {
      const e = planError('CREATE STREAM "D" (K VARCHAR(4), P DOUBLE);\nCREATE PUMP p AS INSERT INTO "D"\n' + query, { K: 'VARCHAR(4)', PRICE: 'DOUBLE' });
      expect(e.message).toMatch(/unknown function MEDIANX/);
      expect([e.line, e.column]).toEqual([3, column - 15]);
    }
  });
  it('two ROWTIME keys in one GROUP BY', () => {
    const e = planError(DEST + "CREATE PUMP p AS INSERT INTO \"D\" SELECT STREAM K, COUNT(*) FROM \"SOURCE_SQL_STREAM_001\" AS s\nGROUP BY K, STEP(s.ROWTIME BY INTERVAL '1' MINUTE), FLOOR(s.ROWTIME TO HOUR);", { K: 'VARCHAR(4)' });
    expect([e.line, e.column]).toEqual([3, 53]);
  });
  it('an INSERT of a TIMESTAMP into a BIGINT column', () => {
    const e = planError('CREATE STREAM "D" (T BIGINT);\nCREATE PUMP p AS INSERT INTO "D" SELECT STREAM\n   ROWTIME FROM "SOURCE_SQL_STREAM_001";', { K: 'VARCHAR(4)' });
    expect([e.line, e.column]).toEqual([3, 4]);
    expect(e.message).toMatch(/cannot insert TIMESTAMP into column T BIGINT/);
  });
  it('too many columns for the target stream', () => {
    const e = planError('CREATE STREAM "D" (K VARCHAR(4));\nCREATE PUMP p AS INSERT INTO "D" SELECT STREAM K, K FROM "SOURCE_SQL_STREAM_001";', { K: 'VARCHAR(4)' });
    expect([e.line, e.column]).toEqual([2, 51]);
  });
  it('a window that does not end at the current row', () => {
    const e = planError('CREATE STREAM "D" (S INTEGER);\nCREATE PUMP p AS INSERT INTO "D" SELECT STREAM SUM(V) OVER (ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) FROM "SOURCE_SQL_STREAM_001";', { V: 'INTEGER' });
    expect(e.line).toBe(2);
    expect(e.message).toMatch(/UNBOUNDED FOLLOWING/);
  });
  it('an unknown stream, with the name as written', () => {
    const e = planError('CREATE STREAM ExampleStream (A INTEGER);\nCREATE PUMP p AS INSERT INTO "examplestream" SELECT STREAM 1 FROM "SOURCE_SQL_STREAM_001";', {});
    expect([e.line, e.column]).toEqual([2, 30]);
    expect(e.message).toMatch(/unknown stream "examplestream" \(a stream "EXAMPLESTREAM" exists/);
  });
  it('PARTITION BY in a join window is rejected, with the position', () => {
    const e = planError(DEST + 'CREATE PUMP p AS INSERT INTO "D" SELECT STREAM a.K, 1 FROM "SOURCE_SQL_STREAM_001" a JOIN "SOURCE_SQL_STREAM_001" OVER (PARTITION BY K RANGE INTERVAL \'1\' MINUTE PRECEDING) b ON a.K = b.K;', { K: 'VARCHAR(4)' });
    expect(e.message).toMatch(/PARTITION BY is not allowed in a window used for a join/);
    expect(e.line).toBe(2);
    expect(e.column).toBeGreaterThan(100);
  });
});

describe('tumbling GROUP BY', () => {
  const sql = DEST + "CREATE PUMP p AS INSERT INTO \"D\" SELECT STREAM K, COUNT(*) FROM \"SOURCE_SQL_STREAM_001\" AS s GROUP BY K, STEP(s.ROWTIME BY INTERVAL '10' SECOND);";
  it('emits each window when ROWTIME passes its end, with ROWTIME = window end', () => {
    const { out } = run(sql, { K: 'VARCHAR(4)' }, [[1, 'a'], [2, 'b'], [9.999, 'a'], [10, 'a'], [35, 'b']]);
    expect(out).toEqual([
      ['D', 10, 'a', 2],
      ['D', 10, 'b', 1],
      ['D', 20, 'a', 1],
      ['D', 40, 'b', 1],
    ]);
  });
  it('closes a window on a rowtime bound without rows, and leaves it open before the end', () => {
    expect(run(sql, { K: 'VARCHAR(4)' }, [[1, 'a']], 9.999).out).toEqual([]);
    expect(run(sql, { K: 'VARCHAR(4)' }, [[1, 'a']], 10).out).toEqual([['D', 10, 'a', 1]]);
  });
  it('snapshot and restore carry an open window into a fresh engine', () => {
    const first = run(sql, { K: 'VARCHAR(4)' }, [[1, 'a'], [2, 'a']], 5);
    const state = JSON.parse(JSON.stringify(first.engine.snapshot()));
    const second = app(sql, { K: 'VARCHAR(4)' }).start();
    const out: Value[][] = [];
    second.onRow((_s, row, rt) => out.push([(rt - T0) / 1000, ...row]));
    second.restore(state);
    second.insert(INPUT, ['a'], T0 + 7000);
    second.finish();
    expect(out).toEqual([[10, 'a', 3]]);
  });
});

describe('sliding windows', () => {
  it('RANGE includes a row exactly n old; equal ROWTIMEs are windowed in arrival order', () => {
    const sql = 'CREATE STREAM "D" (N BIGINT, S INTEGER);\nCREATE PUMP p AS INSERT INTO "D" SELECT STREAM COUNT(*) OVER w, SUM(V) OVER w FROM "SOURCE_SQL_STREAM_001" WINDOW w AS (RANGE INTERVAL \'5\' SECOND PRECEDING);';
    const { out } = run(sql, { V: 'INTEGER' }, [[0, 1], [5, 2], [5.001, 4], [5.001, 8], [11, 16]]);
    expect(out.map((r) => r.slice(2))).toEqual([
      [1, 1],
      [2, 3],
      [2, 6],
      [3, 14],
      [1, 16],
    ]);
  });
  it('MIN/MAX follow the window as rows leave it (ROWS 2 PRECEDING = 3 rows)', () => {
    const sql = 'CREATE STREAM "D" (LO INTEGER, HI INTEGER, A INTEGER);\nCREATE PUMP p AS INSERT INTO "D" SELECT STREAM MIN(V) OVER w, MAX(V) OVER w, AVG(V) OVER w FROM "SOURCE_SQL_STREAM_001" WINDOW w AS (ROWS 2 PRECEDING);';
    const { out } = run(sql, { V: 'INTEGER' }, [[0, 5], [1, 1], [2, 9], [3, 3], [4, 4], [5, 2]]);
    expect(out.map((r) => r.slice(2))).toEqual([
      [5, 5, 5],
      [1, 5, 3],
      [1, 9, 5],
      [1, 9, 4],
      [3, 9, 5],
      [2, 4, 3],
    ]);
  });
});

describe('stagger windows', () => {
  it('open at the first row of a key and emit at open + range', () => {
    const sql = 'CREATE STREAM "D" (K VARCHAR(4), N BIGINT);\nCREATE PUMP p AS INSERT INTO "D" SELECT STREAM K, COUNT(*) FROM "SOURCE_SQL_STREAM_001" WINDOWED BY STAGGER (PARTITION BY K RANGE INTERVAL \'10\' SECOND);';
    const { out } = run(sql, { K: 'VARCHAR(4)' }, [[3, 'a'], [5, 'b'], [12.999, 'a'], [13, 'a'], [14, 'b']]);
    expect(out).toEqual([
      ['D', 13, 'a', 2],
      ['D', 15, 'b', 2],
      ['D', 23, 'a', 1],
    ]);
  });
});

describe('bad data never stops the application', () => {
  it('division by zero and NOT NULL violations go to error_stream; other rows go on', () => {
    const sql = 'CREATE STREAM "D" (Q INTEGER NOT NULL);\nCREATE PUMP p AS INSERT INTO "D" SELECT STREAM A / B FROM "SOURCE_SQL_STREAM_001";';
    const { out, errors } = run(sql, { A: 'INTEGER', B: 'INTEGER' }, [[1, 7, 2], [2, 1, 0], [3, null, 1], [4, -7, 2]]);
    expect(out.map((r) => r[2])).toEqual([3, -3]);
    expect(errors.map((e) => [e.ERROR_NAME, e.PUMP_NAME, e.DATA_ROWTIME])).toEqual([
      ['DIVISION_BY_ZERO', 'P', T0 + 2000],
      ['NOT_NULL_VIOLATION', 'P', T0 + 3000],
    ]);
    expect(Buffer.from(errors[0].DATA_ROW, 'hex').toString('utf8')).toContain('[1,0');
  });
  it('an input row older than the current time is an out-of-order error', () => {
    const sql = 'CREATE STREAM "D" (A INTEGER);\nCREATE PUMP p AS INSERT INTO "D" SELECT STREAM A FROM "SOURCE_SQL_STREAM_001";';
    const { out, errors } = run(sql, { A: 'INTEGER' }, [[2, 1], [1, 2], [3, 3]]);
    expect(out.map((r) => r[2])).toEqual([1, 3]);
    expect(errors.map((e) => e.ERROR_NAME)).toEqual(['ROWTIME_OUT_OF_ORDER']);
  });
  it('VARCHAR(n) values are truncated on INSERT', () => {
    const sql = 'CREATE STREAM "D" (S VARCHAR(3));\nCREATE PUMP p AS INSERT INTO "D" SELECT STREAM S || \'xyz\' FROM "SOURCE_SQL_STREAM_001";';
    expect(run(sql, { S: 'VARCHAR(8)' }, [[1, 'ab']]).out).toEqual([['D', 1, 'abx']]);
  });
});

describe('several pumps into one stream', () => {
  it('window emissions of different operators reach the stream in ROWTIME order, also at end of input', () => {
    const sql = `CREATE STREAM "X" (SRC VARCHAR(8), K VARCHAR(4), N BIGINT);
CREATE PUMP p1 AS INSERT INTO "X" SELECT STREAM 'tumble', K, COUNT(*) FROM "SOURCE_SQL_STREAM_001" AS s GROUP BY K, STEP(s.ROWTIME BY INTERVAL '60' SECOND);
CREATE PUMP p2 AS INSERT INTO "X" SELECT STREAM 'stagger', K, COUNT(*) FROM "SOURCE_SQL_STREAM_001" WINDOWED BY STAGGER (PARTITION BY K RANGE INTERVAL '60' SECOND);`;
    const { out, errors } = run(sql, { K: 'VARCHAR(4)' }, [[55, 'a'], [70, 'b'], [150, 'a']]);
    expect(errors).toEqual([]);
    expect(out.map((r) => [r[1], r[2], r[3]])).toEqual([
      [60, 'tumble', 'a'],
      [115, 'stagger', 'a'],
      [120, 'tumble', 'b'],
      [130, 'stagger', 'b'],
      [180, 'tumble', 'a'],
      [210, 'stagger', 'a'],
    ]);
  });
});

describe('boolean aggregates', () => {
  it('ANY and EVERY in a tumbling window and over a sliding window ignore NULLs', () => {
    const sql = `CREATE STREAM "G" (A BOOLEAN, E BOOLEAN);
CREATE PUMP p1 AS INSERT INTO "G" SELECT STREAM ANY(B), EVERY(B) FROM "SOURCE_SQL_STREAM_001" AS s GROUP BY STEP(s.ROWTIME BY INTERVAL '10' SECOND);
CREATE STREAM "W" (A BOOLEAN, E BOOLEAN);
CREATE PUMP p2 AS INSERT INTO "W" SELECT STREAM SOME(B) OVER w, EVERY(B) OVER w FROM "SOURCE_SQL_STREAM_001" WINDOW w AS (ROWS 1 PRECEDING);`;
    const { out } = run(sql, { B: 'BOOLEAN' }, [[1, true], [2, null], [3, false], [11, null]]);
    expect(out.filter((r) => r[0] === 'G').map((r) => r.slice(1))).toEqual([
      [10, true, false],
      [20, null, null],
    ]);
    expect(out.filter((r) => r[0] === 'W').map((r) => r.slice(2))).toEqual([
      [true, true],
      [true, true],
      [false, false],
      [false, false],
    ]);
  });
});
