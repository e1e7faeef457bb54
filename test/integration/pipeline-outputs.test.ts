// Several outputs of one application delivered to the same local bucket folder: every stream's rows survive
// (objects of one commit used to share a key, and the last stream's object replaced the others).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ApplicationDefinition, OutputDefinition } from '../../src/app/definition/index.js';
import { runApplication } from '../../src/app/run/run-application.js';
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
