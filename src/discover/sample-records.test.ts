/**
 * Sampling from each kind of source, through the pipeline's own source and preprocessing code: a plain file of
 * records, a replay file holding KPL aggregates, a preprocessor module, the embedded demo stream and a Kinesis
 * emulator (kinesalite on 127.0.0.1).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileTarget, KinesisTarget } from '../app/producer/producer-targets.js';
import { TickerProducer } from '../app/producer/ticker-producer.js';
import { aggregate } from '../kpl/index.js';
import { startKinesalite, type KinesisEmulator } from '../../test/support/kinesis-emulator.js';
import { discoverInputSchema } from './infer-input-schema.js';
import { sampleRecords } from './sample-records.js';
import { previewRows } from './preview-rows.js';

const dir = mkdtempSync(join(tmpdir(), 'sa-discover-'));
const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');
const TICKER_COLUMNS = [
  ['TICKER_SYMBOL', 'VARCHAR(8)'], ['SECTOR', 'VARCHAR(32)'], ['CHANGE', 'DOUBLE'], ['PRICE', 'DOUBLE'], ['EVENT_TIME', 'TIMESTAMP'],
];

describe('sampleRecords', () => {
  it('reads a plain file of records, one per line, and keeps empty and malformed lines for discovery to report', async () => {
    const f = join(dir, 'plain.ndjson');
    writeFileSync(f, '{"a":1,"b":"x"}\r\n\r\n{"a":\n{"a":2,"b":"y"}\n');
    const s = await sampleRecords({ type: 'records', path: f }, { preprocessor: { type: 'none' }, maxRecords: 100, maxMs: 1000 });
    expect(s.payloads.map(text)).toEqual(['{"a":1,"b":"x"}', '', '{"a":', '{"a":2,"b":"y"}']);
    const d = discoverInputSchema(s.payloads);
    expect(d.schema.columns.map((c) => c.name)).toEqual(['a', 'b']);
    expect(d.unfit.map((u) => u.reason.split(':')[0])).toEqual(['empty record', 'not JSON']);
  });

  it('de-aggregates KPL records of a replay file (file://) and stops at --sample', async () => {
    const f = join(dir, 'kpl.ndjson');
    const target = new FileTarget(f, () => Date.UTC(2026, 0, 1));
    await new TickerProducer(target, { recordsPerSecond: 100_000, seed: 3, maxAggregateBytes: 4096 }).run({ maxRecords: 500 });
    await target.close();
    const s = await sampleRecords({ type: 'file', path: f }, { preprocessor: { type: 'kpl' }, maxRecords: 120, maxMs: 5000 });
    expect(s.payloads.length).toBe(120);
    expect(s.sourceRecords).toBeLessThan(120); // aggregates hold many user records
    const d = discoverInputSchema(s.payloads);
    expect(d.schema.columns.map((c) => [c.name, c.sqlType])).toEqual(TICKER_COLUMNS);
    // Without de-aggregation the payloads are KPL aggregates: binary, not JSON.
    const raw = await sampleRecords({ type: 'file', path: f }, { preprocessor: { type: 'none' }, maxRecords: 5, maxMs: 5000 });
    expect(() => discoverInputSchema(raw.payloads, { format: 'JSON' })).toThrow(/no record of the sample is a JSON object or array/);
  });

  it('reports a corrupt aggregate from the preprocessing stage', async () => {
    const good = aggregate([{ partitionKey: 'k', data: Buffer.from('{"a":1}') }])[0].data;
    const bad = Buffer.from(good);
    bad[bad.length - 1] ^= 0xff; // breaks the MD5 trailer
    const f = join(dir, 'corrupt.ndjson');
    writeFileSync(f, [good, bad].map((d) => JSON.stringify({ at: '2026-01-01T00:00:00Z', dataBase64: Buffer.from(d).toString('base64') })).join('\n') + '\n');
    const s = await sampleRecords({ type: 'file', path: f }, { preprocessor: { type: 'kpl' }, maxRecords: 10, maxMs: 5000 });
    expect(s.payloads.map(text)).toEqual(['{"a":1}']);
    expect(s.failed.map((x) => x.reason)).toEqual([expect.stringMatching(/^KPL_DEAGGREGATION: .*corrupt KPL aggregate/)]);
  });

  it('applies a preprocessor module as run does', async () => {
    const m = join(dir, 'pre.mjs');
    writeFileSync(m, `export async function handler(event) {
      return { records: event.records.map((r) => {
        const [name, n] = Buffer.from(r.data, 'base64').toString().split('=');
        return { recordId: r.recordId, result: 'Ok', data: Buffer.from(JSON.stringify({ name, n: Number(n) })).toString('base64') };
      }) };
    }`);
    const f = join(dir, 'kv.txt');
    writeFileSync(f, 'a=1\nb=2\n');
    const s = await sampleRecords({ type: 'records', path: f }, { preprocessor: { type: 'module', path: m }, maxRecords: 10, maxMs: 1000 });
    expect(discoverInputSchema(s.payloads).schema.columns).toEqual([
      { name: 'name', sqlType: 'VARCHAR(8)', mapping: '$.name' },
      { name: 'n', sqlType: 'INTEGER', mapping: '$.n' },
    ]);
  });

  it('samples the embedded demo stream with its in-process producer', async () => {
    const s = await sampleRecords({ type: 'embedded' }, { preprocessor: { type: 'kpl' }, maxRecords: 50, maxMs: 10_000, seed: 1 });
    expect(s.payloads.length).toBe(50);
    expect(discoverInputSchema(s.payloads).schema.columns.map((c) => [c.name, c.sqlType])).toEqual(TICKER_COLUMNS);
  });
});

describe('sampleRecords from a Kinesis emulator', () => {
  let emulator: KinesisEmulator;
  beforeAll(async () => {
    process.env.AWS_ACCESS_KEY_ID = 'testkey';
    process.env.AWS_SECRET_ACCESS_KEY = 'testsecret';
    emulator = await startKinesalite();
  });
  afterAll(async () => emulator?.stop());

  it('reads KPL aggregates from the oldest record of a stream and de-aggregates them', async () => {
    await emulator.createStream('discover-in', 2);
    const target = await KinesisTarget.connect({ streamName: 'discover-in', endpoint: emulator.endpoint, region: 'us-east-1' });
    await new TickerProducer(target, { recordsPerSecond: 50_000, seed: 9, maxAggregateBytes: 2048 }).run({ maxRecords: 300 });
    target.close();
    const s = await sampleRecords(
      { type: 'kinesis', streamName: 'discover-in', endpoint: emulator.endpoint, region: 'us-east-1' },
      { preprocessor: { type: 'kpl' }, maxRecords: 200, maxMs: 10_000 },
    );
    expect(s.payloads.length).toBe(200);
    const d = discoverInputSchema(s.payloads);
    expect(d.schema.columns.map((c) => [c.name, c.sqlType])).toEqual(TICKER_COLUMNS);
    expect(previewRows(d.schema, s.payloads).errors).toEqual([]);
  });
});
