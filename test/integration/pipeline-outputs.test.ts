// Several outputs of one application delivered to the same local bucket folder: every stream's rows survive
// (objects of one commit used to share a key, and the last stream's object replaced the others).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadApplicationDefinition, type ApplicationDefinition, type OutputDefinition } from '../../src/app/definition/index.js';
import { runApplication } from '../../src/app/run/run-application.js';
import { exitCodeFor } from '../../src/cli/exit-codes.js';
import { importOptionsFrom } from '../../src/cli/commands/run/run-command.js';
import { listBucketObjects, readBucketRows, writeTickerReplayFile } from '../support/pipeline-test-support.js';

const work = mkdtempSync(join(tmpdir(), 'pipeline-outputs-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const SQL = `
CREATE OR REPLACE STREAM "COUNTS" (TICKER_SYMBOL VARCHAR(4), N BIGINT);
CREATE OR REPLACE STREAM "MAXES" (TICKER_SYMBOL VARCHAR(4), M REAL);
CREATE OR REPLACE PUMP "P1" AS INSERT INTO "COUNTS"
  SELECT STREAM TICKER_SYMBOL, COUNT(*) FROM "SOURCE_SQL_STREAM_001"
  GROUP BY TICKER_SYMBOL, STEP("SOURCE_SQL_STREAM_001".ROWTIME BY INTERVAL '10' SECOND);
CREATE OR REPLACE PUMP "P2" AS INSERT INTO "MAXES"
  SELECT STREAM TICKER_SYMBOL, MAX(PRICE) FROM "SOURCE_SQL_STREAM_001"
  GROUP BY TICKER_SYMBOL, STEP("SOURCE_SQL_STREAM_001".ROWTIME BY INTERVAL '10' SECOND);`;

describe('outputs sharing a bucket folder', () => {
  it('keep every stream: the objects of each are named after it', async () => {
    const input = join(work, 'in.ndjson');
    await writeTickerReplayFile(input, { records: 3000, rate: 100, seed: 1, startAt: Date.UTC(2026, 0, 5, 13, 0, 0), tickers: 10 });
    const folder = join(work, 'bucket');
    const output = (stream: string): OutputDefinition => ({ stream, destination: { type: 'local', path: folder }, format: 'JSON', bufferSizeBytes: 1 << 20, bufferIntervalMs: 1000, prefix: '' });
    const def: ApplicationDefinition = {
      name: 'two',
      sql: SQL,
      input: {
        namePrefix: 'SOURCE_SQL_STREAM',
        source: { type: 'file', path: input },
        startingPosition: 'TRIM_HORIZON',
        preprocessor: { type: 'kpl' },
        format: 'JSON',
        columns: [
          { name: 'TICKER_SYMBOL', sqlType: 'VARCHAR(4)', mapping: '$.TICKER_SYMBOL' },
          { name: 'PRICE', sqlType: 'REAL', mapping: '$.PRICE' },
        ],
      },
      references: [],
      outputs: [output('COUNTS'), output('MAXES')],
      origin: { file: 'inline', form: 'definition' },
    };
    const summary = await runApplication(def);
    expect(summary.reason).toBe('end-of-input');
    const rows = readBucketRows<Record<string, unknown>>(folder);
    // About 30 s of arrivals: 3 windows (and the first records of a 4th) of 10 tickers, for each stream.
    const counts = rows.filter((r) => 'N' in r);
    expect(counts.length).toBeGreaterThanOrEqual(30);
    expect(rows.filter((r) => 'M' in r)).toHaveLength(counts.length);
    expect(counts.reduce((n, r) => n + Number(r.N), 0)).toBe(3000);
    const keys = listBucketObjects(folder);
    expect(keys.some((k) => /\/two-COUNTS-epoch-/.test(k)) && keys.some((k) => /\/two-MAXES-epoch-/.test(k)), keys.join(', ')).toBe(true);
  });
});

// KDA delivers exactly an in-application stream's columns (the SQL Reference: ROWTIME is not returned unless
// selected): a consumer that splits CSV on commas reads its fields by position.
const TWO_COLUMNS = `
CREATE OR REPLACE STREAM "PAIRS" (N INTEGER, S VARCHAR(8));
CREATE OR REPLACE PUMP "P" AS INSERT INTO "PAIRS" SELECT STREAM N, S FROM "SOURCE_SQL_STREAM_001";`;

function twoColumnApp(dir: string, outputs: string): string {
  const records = join(dir, 'records.ndjson');
  writeFileSync(records, `${JSON.stringify({ at: '2026-01-01T00:00:01.000Z', partitionKey: 'k', data: JSON.stringify({ N: 1, S: 'x' }) })}\n`);
  const app = join(dir, 'application.yaml');
  writeFileSync(app, `name: pairs
sql: ${JSON.stringify(TWO_COLUMNS)}
input:
  source: { type: file, path: ${JSON.stringify(records)} }
  startingPosition: TRIM_HORIZON
  preprocessor: none
  format: JSON
  columns:
    - { name: N, sqlType: INTEGER, mapping: $.N }
    - { name: S, sqlType: VARCHAR(8), mapping: $.S }
outputs:
${outputs}`);
  return app;
}

function objectLines(folder: string): string[] {
  return listBucketObjects(folder).flatMap((k) => readFileSync(join(folder, k), 'utf8').split('\n').filter((l) => l !== ''));
}

describe('delivered rows', () => {
  it('carry exactly the stream\'s columns in declared order: CSV `1,x`, JSON without ROWTIME; ROWTIME only when asked', async () => {
    const dir = mkdtempSync(join(work, 'pairs-'));
    const [csv, json, withTime] = ['csv', 'json', 'with-rowtime'].map((f) => join(dir, f));
    const app = twoColumnApp(dir, [
      `  - { stream: PAIRS, destination: ${JSON.stringify(csv)}, format: CSV, bufferIntervalMs: 100 }`,
      `  - { stream: PAIRS, destination: ${JSON.stringify(json)}, bufferIntervalMs: 100 }`,
      `  - { stream: PAIRS, destination: ${JSON.stringify(withTime)}, bufferIntervalMs: 100, includeRowtime: true }`,
    ].join('\n') + '\n');
    const summary = await runApplication(loadApplicationDefinition(app), { log: () => undefined });
    expect(summary.reason).toBe('end-of-input');
    expect(objectLines(csv)).toEqual(['1,x']);
    expect(objectLines(json)).toEqual(['{"N":1,"S":"x"}']);
    expect(objectLines(withTime)).toEqual(['{"ROWTIME":"2026-01-01 00:00:01.000","N":1,"S":"x"}']);
  });

  it('carry ROWTIME with --include-rowtime STREAM (the command line\'s form), which must name an output', () => {
    const dir = mkdtempSync(join(work, 'pairs-'));
    const app = twoColumnApp(dir, `  - { stream: PAIRS, destination: ${JSON.stringify(join(dir, 'out'))} }\n`);
    expect(loadApplicationDefinition(app, { includeRowtime: ['PAIRS'] }).outputs[0].includeRowtime).toBe(true);
    expect(loadApplicationDefinition(app).outputs[0].includeRowtime).toBeUndefined();
    expect(() => loadApplicationDefinition(app, { includeRowtime: ['OTHER'] })).toThrow(/--include-rowtime OTHER.*no output delivers the stream "OTHER"/);
  });
});

describe('--output STREAM=dest', () => {
  it('adds an output for a stream the application does not deliver, error_stream included, and delivers its rows', async () => {
    const dir = mkdtempSync(join(work, 'pairs-'));
    const declared = join(dir, 'declared');
    const added = join(dir, 'added');
    const errors = join(dir, 'errors');
    const app = twoColumnApp(dir, `  - { stream: PAIRS, destination: ${JSON.stringify(declared)}, bufferIntervalMs: 100 }\n`);
    // A second record whose N is not an INTEGER: an error_stream row.
    writeFileSync(join(dir, 'records.ndjson'), `${JSON.stringify({ at: '2026-01-01T00:00:01.000Z', partitionKey: 'k', data: JSON.stringify({ N: 1, S: 'x' }) })}\n${JSON.stringify({ at: '2026-01-01T00:00:02.000Z', partitionKey: 'k', data: '{"N":"nope","S":"y"}' })}\n`);
    const def = loadApplicationDefinition(app, { destinations: { PAIRS: { type: 'local', path: added }, error_stream: { type: 'local', path: errors } } });
    expect(def.outputs.map((o) => o.stream)).toEqual(['PAIRS', 'error_stream']);
    const summary = await runApplication(def, { log: () => undefined });
    expect(summary.reason).toBe('end-of-input');
    expect(objectLines(added)).toEqual(['{"N":1,"S":"x"}']);
    const errorRows = objectLines(errors).map((l) => JSON.parse(l) as { ERROR_NAME: string });
    expect(errorRows).toHaveLength(1);
  });

  it('refuses a stream the SQL never creates with exit 3 naming it, and hints when only the case differs', () => {
    const dir = mkdtempSync(join(work, 'pairs-'));
    const app = twoColumnApp(dir, `  - { stream: PAIRS, destination: ${JSON.stringify(join(dir, 'out'))} }\n`);
    expect(() => loadApplicationDefinition(app, { destinations: { pairs: { type: 'stdout' } } })).toThrow(
      /--output pairs.*the SQL creates no stream "pairs".*case-sensitive: the SQL creates "PAIRS"/,
    );
    // What `run`/`validate --output NOPE=stdout` load, through the options the command line maps.
    let error: unknown;
    try {
      loadApplicationDefinition(app, importOptionsFrom({ output: { NOPE: 'stdout' } }));
    } catch (e) {
      error = e;
    }
    expect(String(error)).toMatch(/--output NOPE.*the SQL creates no stream "NOPE"/);
    expect(exitCodeFor(error)).toBe(3);
  });

  it('keeps to KDA\'s limit of three outputs per application', () => {
    const dir = mkdtempSync(join(work, 'pairs-'));
    const app = twoColumnApp(dir, `  - { stream: PAIRS, destination: ${JSON.stringify(join(dir, 'out'))} }\n`);
    const more = { error_stream: { type: 'stdout' as const }, SOURCE_SQL_STREAM_001: { type: 'stdout' as const } };
    expect(loadApplicationDefinition(app, { destinations: more }).outputs).toHaveLength(3);
    const app4 = twoColumnApp(dir, [1, 2].map((i) => `  - { stream: PAIRS, destination: ${JSON.stringify(join(dir, `o${i}`))} }`).join('\n') + '\n');
    expect(() => loadApplicationDefinition(app4, { destinations: more })).toThrow(/4 outputs.*at most 3 per application, error_stream included/);
  });
});
