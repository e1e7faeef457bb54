// The same records, whose arrival times go back (00:00:10 then 00:00:05), give the same rows under `replay`,
// under `run` with a file source and in the Lambda analytics handler: every host builds the application with the
// runtime's one function, so every host applies the ROWTIME rule (ROWTIME never decreases: the second record's
// ROWTIME is 00:00:10, and it falls in the window [00:00:10, 00:00:20) instead of being rejected as out of order).
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApplicationDefinition, OutputDefinition } from '../../src/app/definition/index.js';
import { runApplication } from '../../src/app/run/run-application.js';
import { replayCase, type ReplayCase } from '../../src/cli/commands/replay/replay-case.js';
import { CLOCK_TICK, analyticsConfigFromEnvironment } from '../../src/lambda/analytics/analytics-config.js';
import { createAnalyticsHandler } from '../../src/lambda/analytics/analytics-handler.js';
import { ShardStateStore } from '../../src/lambda/analytics/shard-state-store.js';
import { MemoryDelivery, quietMetrics, silentLogger } from '../support/analytics-harness.js';
import { type DynaliteServer, startDynalite } from '../support/dynalite-server.js';
import { ShardWriter, esmEvent } from '../support/kinesis-esm-events.js';

const SQL = `
CREATE OR REPLACE STREAM "COUNTS" (T VARCHAR(4), N INTEGER);
CREATE OR REPLACE PUMP "COUNT_PUMP" AS INSERT INTO "COUNTS"
  SELECT STREAM T, COUNT(*) FROM "SOURCE_SQL_STREAM_001"
  GROUP BY T, STEP("SOURCE_SQL_STREAM_001".ROWTIME BY INTERVAL '10' SECOND);
CREATE OR REPLACE STREAM "TIMES" (T VARCHAR(4), ENTERED TIMESTAMP);
CREATE OR REPLACE PUMP "TIME_PUMP" AS INSERT INTO "TIMES"
  SELECT STREAM T, ROWTIME FROM "SOURCE_SQL_STREAM_001";
`;
const INPUT = { format: 'JSON' as const, recordRowPath: '$', namePrefix: 'SOURCE_SQL_STREAM', columns: [{ name: 'T', sqlType: 'VARCHAR(4)', mapping: '$.T' }] };
const at = (s: string) => Date.parse(`2026-01-01T00:00:${s}.000Z`);
/** Arrival times go back from the first record to the second. */
const RECORDS = [
  { t: 'A', arrival: at('10') },
  { t: 'A', arrival: at('05') },
  { t: 'B', arrival: at('12') },
  { t: 'A', arrival: at('31') },
];
const STREAMS = ['COUNTS', 'TIMES', 'error_stream'] as const;
type Rows = Record<(typeof STREAMS)[number], Record<string, unknown>[]>;

let db: DynaliteServer;
beforeAll(async () => {
  db = await startDynalite();
});
afterAll(async () => {
  await db?.stop();
});

async function viaReplay(): Promise<Rows> {
  const c: ReplayCase = { input: INPUT, sql: SQL, records: RECORDS.map((r) => ({ at: new Date(r.arrival).toISOString(), data: { T: r.t } })) };
  const rows: Rows = { COUNTS: [], TIMES: [], error_stream: [] };
  await replayCase(c, (line) => {
    const { stream, row } = JSON.parse(line) as { stream: keyof Rows; row: Record<string, unknown> };
    rows[stream].push(row);
  });
  return rows;
}

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .map((f) => join(folder, f))
    .filter((f) => statSync(f).isFile())
    .sort();
}

async function viaRunWithFileSource(): Promise<Rows> {
  const dir = mkdtempSync(join(tmpdir(), 'sa-rowtime-run-'));
  const file = join(dir, 'records.ndjson');
  writeFileSync(file, RECORDS.map((r) => JSON.stringify({ at: new Date(r.arrival).toISOString(), partitionKey: r.t, data: JSON.stringify({ T: r.t }) })).join('\n') + '\n');
  const output = (stream: string): OutputDefinition => ({ stream, destination: { type: 'local', path: join(dir, 'out', stream) }, format: 'JSON', bufferSizeBytes: 1 << 20, bufferIntervalMs: 60_000, prefix: '', includeRowtime: true });
  const def: ApplicationDefinition = {
    name: 'rowtime',
    sql: SQL,
    input: { ...INPUT, source: { type: 'file', path: file }, startingPosition: 'TRIM_HORIZON', preprocessor: { type: 'none' } },
    references: [],
    outputs: STREAMS.map(output),
    origin: { file: 'rowtime-test', form: 'definition' },
  };
  const summary = await runApplication(def, { log: () => undefined });
  expect(summary.reason).toBe('end-of-input');
  const rows: Rows = { COUNTS: [], TIMES: [], error_stream: [] };
  for (const stream of STREAMS) {
    let files: string[] = [];
    try {
      files = filesUnder(join(dir, 'out', stream));
    } catch {
      files = [];
    }
    for (const f of files) rows[stream].push(...readFileSync(f, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>));
  }
  return rows;
}

async function viaLambda(): Promise<Rows> {
  const table = `rowtime-${process.pid}`;
  await db.createStateTable(table);
  const config = analyticsConfigFromEnvironment({
    APPLICATION_NAME: 'rowtime',
    APPLICATION_SQL: SQL,
    APPLICATION_INPUT: JSON.stringify(INPUT),
    DEAGGREGATION: 'none',
    OUTPUT_DELIVERY_STREAMS: JSON.stringify({ COUNTS: 'd-COUNTS', TIMES: 'd-TIMES' }),
    ERROR_DELIVERY_STREAM: 'd-error_stream',
    STATE_TABLE_NAME: table,
    CLOCK_TICK_GRACE_SECONDS: '0',
    // replay prints every row with its ROWTIME; the other hosts deliver it when asked, so the rows compare whole.
    INCLUDE_ROWTIME: 'true',
  });
  const delivery = new MemoryDelivery();
  let now = at('40');
  const handler = createAnalyticsHandler({ config, store: new ShardStateStore(db.client, table), delivery, clock: () => now, logger: silentLogger(), metrics: quietMetrics() });
  const writer = new ShardWriter('shardId-000000000000');
  const records = writer.records(RECORDS.map((r) => ({ kind: 'plain' as const, user: { partitionKey: r.t, data: JSON.stringify({ T: r.t }) }, arrivalMs: r.arrival })));
  // Two invocations, the second record first in neither: the shard's state carries the last ROWTIME across them.
  await handler(esmEvent(records.slice(0, 2)));
  await handler(esmEvent(records.slice(2)));
  // A clock tick well after the last record closes the open windows, as the end of input does for the others.
  now = at('59') + 60_000;
  await handler({ ...CLOCK_TICK });
  return { COUNTS: delivery.rows('d-COUNTS'), TIMES: delivery.rows('d-TIMES'), error_stream: delivery.rows('d-error_stream') };
}

describe('ROWTIME never decreases, on every host', () => {
  it('replay, run with a file source and the Lambda handler give the same rows for arrival times that go back', async () => {
    const replayed = await viaReplay();
    // What the rule means for these records, written out: the second record enters at 00:00:10, not 00:00:05.
    expect(replayed.TIMES.map((r) => r.ENTERED)).toEqual(['2026-01-01 00:00:10.000', '2026-01-01 00:00:10.000', '2026-01-01 00:00:12.000', '2026-01-01 00:00:31.000']);
    expect(replayed.COUNTS.map((r) => [r.T, r.N])).toEqual([['A', 2], ['B', 1], ['A', 1]]);
    expect(replayed.error_stream).toEqual([]);
    expect(await viaRunWithFileSource()).toEqual(replayed);
    expect(await viaLambda()).toEqual(replayed);
  }, 60_000);
});
