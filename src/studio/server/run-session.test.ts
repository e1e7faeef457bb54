/**
 * The studio's run session: SQL validation with positions, taps of every in-application stream, and a restart
 * on new SQL that resumes at the source position where the previous run stopped (nothing read twice, nothing
 * skipped), with fresh state.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ApplicationDefinition } from '../../app/definition/index.js';
import { RunSession, type TappedRow } from './run-session.js';

const dir = mkdtempSync(join(tmpdir(), 'studio-session-'));
const COUNT = 300;

function definition(sql: string, path: string): ApplicationDefinition {
  return {
    name: 'session-test',
    sql,
    input: {
      namePrefix: 'SOURCE_SQL_STREAM',
      source: { type: 'file', path, speed: 1 },
      startingPosition: 'TRIM_HORIZON',
      preprocessor: { type: 'none' },
      format: 'JSON',
      recordRowPath: '$',
      columns: [
        { name: 'ID', sqlType: 'INTEGER', mapping: '$.id' },
        { name: 'V', sqlType: 'VARCHAR(8)', mapping: '$.v' },
      ],
    },
    references: [],
    outputs: [],
    origin: { file: join(dir, 'application.yaml'), form: 'definition' },
  };
}

const PASS = 'CREATE STREAM "OUT1" (ID INTEGER);\nCREATE PUMP "P1" AS INSERT INTO "OUT1" SELECT STREAM ID FROM "SOURCE_SQL_STREAM_001";';
const PASS2 =
  'CREATE STREAM "MID" (ID INTEGER, V VARCHAR(8));\nCREATE PUMP "P0" AS INSERT INTO "MID" SELECT STREAM ID, V FROM "SOURCE_SQL_STREAM_001";\n' +
  'CREATE STREAM "OUT2" (ID INTEGER);\nCREATE PUMP "P2" AS INSERT INTO "OUT2" SELECT STREAM ID FROM "MID" WHERE V <> \'bad\';';

describe('RunSession', () => {
  it('validates SQL with the engine, at the line and column of the problem', () => {
    const s = new RunSession(definition(PASS, join(dir, 'none.ndjson')));
    expect(s.validate(PASS)).toEqual([]);
    expect(s.validate('CREATE STREAM "O" (ID INTEGER);\nCREATE PUMP "P" AS INSERT INTO "O"\n  SELECT STREAM IDD FROM "SOURCE_SQL_STREAM_001";')).toEqual([
      { line: 3, column: 17, message: 'unknown column IDD', kind: 'PlanError' },
    ]);
    expect(s.validate('CREATE STREAM "O" (ID INTEGER')[0]).toMatchObject({ line: 1, kind: 'SqlSyntaxError' });
    expect(s.describeStreams(PASS2).map((x) => [x.name, x.columns.map((c) => `${c.name} ${c.type}${c.numeric ? ' #' : ''}`)])).toEqual([
      ['MID', ['ID INTEGER #', 'V VARCHAR(8)']],
      ['OUT2', ['ID INTEGER #']],
    ]);
  });

  it('restarts on new SQL at the source position where the previous run stopped', async () => {
    const file = join(dir, 'paced.ndjson');
    const t0 = Date.UTC(2026, 0, 1);
    // 300 records 10 ms apart, replayed at their pace: about 3 s.
    writeFileSync(file, Array.from({ length: COUNT }, (_, i) => JSON.stringify({ at: new Date(t0 + i * 10).toISOString(), data: JSON.stringify({ id: i, v: 'x' }) })).join('\n') + '\n');
    const session = new RunSession(definition(PASS, file), { progressIntervalMs: 100, inputSamplesPerSecond: 1000 });
    const rows: TappedRow[] = [];
    const samples: unknown[] = [];
    const statuses: string[] = [];
    let progress: Record<string, unknown> = {};
    let stopped!: () => void;
    const done = new Promise<void>((r) => (stopped = r));
    session.listen({
      rows: (r) => rows.push(...r),
      input: (s) => samples.push(s),
      progress: (f) => (progress = f),
      status: (s) => {
        statuses.push(`${s.generation} ${s.state}`);
        if (s.state === 'stopped' && s.generation === 2) stopped();
      },
    });
    await session.start();
    while (rows.filter((r) => r.stream === 'OUT1').length < 60) await new Promise((r) => setTimeout(r, 20));
    expect(await session.restart('CREATE STREAM "BROKEN" (')).toMatchObject([{ kind: 'SqlSyntaxError' }]); // refused; the run goes on
    expect(await session.restart(PASS2)).toEqual([]);
    await done;
    await session.close();

    const first = rows.filter((r) => r.stream === 'OUT1').map((r) => r.row.ID as number);
    const second = rows.filter((r) => r.stream === 'OUT2').map((r) => r.row.ID as number);
    expect(first.length).toBeGreaterThanOrEqual(60);
    expect(second.length).toBeGreaterThan(0);
    // Every record exactly once over the two runs, in order: the second run began where the first stopped.
    expect([...first, ...second]).toEqual(Array.from({ length: COUNT }, (_, i) => i));
    // The intermediate stream of the second run is tapped too.
    expect(rows.filter((r) => r.stream === 'MID').length).toBe(second.length);
    expect(statuses).toEqual(['1 running', '1 restarting', '1 stopped', '2 running', '2 stopped']);
    expect(progress).toMatchObject({ message: 'progress', errors: 0 });
    expect(samples[0]).toMatchObject({ raw: '{"id":0,"v":"x"}', rows: [[0, 'x']] });
  }, 30_000);

  it('shows error_stream DATA_ROW as text when it is text', async () => {
    const file = join(dir, 'errors.ndjson');
    writeFileSync(file, [JSON.stringify({ at: '2026-01-01T00:00:00Z', data: '{"id":"not a number","v":"x"}' }), JSON.stringify({ at: '2026-01-01T00:00:01Z', dataBase64: Buffer.from([0x7b, 0x00, 0xff]).toString('base64') })].join('\n') + '\n');
    const def = definition(PASS, file);
    const session = new RunSession({ ...def, input: { ...def.input, source: { type: 'file', path: file } } });
    const rows: TappedRow[] = [];
    let stopped!: () => void;
    const done = new Promise<void>((r) => (stopped = r));
    session.listen({ rows: (r) => rows.push(...r), input: () => {}, progress: () => {}, status: (s) => void (s.state === 'stopped' && stopped()) });
    await session.start();
    await done;
    await session.close();
    const errors = rows.filter((r) => r.stream === 'error_stream').map((r) => r.row.DATA_ROW);
    expect(errors).toEqual(['{"id":"not a number","v":"x"}', '7b00ff']);
  }, 30_000);
});
