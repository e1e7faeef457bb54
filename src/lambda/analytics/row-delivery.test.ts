// FirehoseRowDelivery against a local node:http server that speaks the Firehose JSON protocol for PutRecordBatch
// (X-Amz-Target Firehose_20150804.PutRecordBatch), including per-entry failures with FailedPutCount.
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FirehoseServer, startFirehoseServer } from '../../../test/support/firehose-server.js';
import { FIREHOSE_LIMITS, FirehoseRowDelivery } from './row-delivery.js';

let firehose: FirehoseServer;

beforeAll(async () => {
  firehose = await startFirehoseServer();
});
afterAll(async () => {
  await firehose?.stop();
});
beforeEach(() => firehose.reset());

function delivery(options: ConstructorParameters<typeof FirehoseRowDelivery>[1] = {}) {
  const sleeps: number[] = [];
  const client = new FirehoseClient({ endpoint: firehose.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'k', secretAccessKey: 's' }, maxAttempts: 1 });
  return { sleeps, d: new FirehoseRowDelivery(client, { ...options, sleep: async (ms) => void sleeps.push(ms) }) };
}

const calls = () => firehose.calls;
const lines = (n: number, width = 20) => Array.from({ length: n }, (_, i) => `${JSON.stringify({ i, pad: 'x'.repeat(width) })}\n`);
/** Every line the server accepted for stream `s`, in order. */
const acceptedLines = () => firehose.lines('s');

describe('FirehoseRowDelivery (local Firehose JSON protocol server)', () => {
  it('sends at most 500 records per call and delivers every line once, in order', async () => {
    const { d } = delivery({ maxRecordBytes: 1 }); // one line per record
    const rows = lines(1200);
    expect(await d.deliver('s', rows)).toEqual({ failed: [] });
    expect(calls().map((c) => c.records.length)).toEqual([500, 500, 200]);
    expect(calls().every((c) => c.stream === 's')).toBe(true);
    expect(acceptedLines()).toEqual(rows);
  });

  it('packs whole lines into records up to maxRecordBytes', async () => {
    const { d } = delivery({ maxRecordBytes: 1000 });
    const rows = lines(100, 80); // ~100 bytes each
    await d.deliver('s', rows);
    expect(calls()).toHaveLength(1);
    const records = calls()[0].records;
    expect(records.length).toBeGreaterThanOrEqual(10);
    expect(records.length).toBeLessThan(15);
    for (const r of records) {
      expect(r.length).toBeLessThanOrEqual(1000);
      expect(r.toString().endsWith('\n')).toBe(true);
    }
    expect(acceptedLines()).toEqual(rows);
  });

  it('keeps each call within 4 MiB', async () => {
    const { d } = delivery();
    const rows = Array.from({ length: 10 }, (_, i) => `${JSON.stringify({ i, s: 'y'.repeat(900_000) })}\n`);
    expect((await d.deliver('s', rows)).failed).toEqual([]);
    for (const c of calls()) expect(c.records.reduce((n, r) => n + r.length, 0)).toBeLessThanOrEqual(FIREHOSE_LIMITS.bytesPerCall);
    expect(calls().map((c) => c.records.length)).toEqual([4, 4, 2]);
    expect(acceptedLines()).toEqual(rows);
  });

  it('retries only the entries that failed (FailedPutCount), with growing backoff', async () => {
    const { d, sleeps } = delivery({ maxRecordBytes: 1, baseDelayMs: 100 });
    // Call 0: every odd entry fails; call 1 (the retry): its first entry fails again; call 2: all pass.
    firehose.plan = (call, _data, i) => (call === 0 && i % 2 === 1) || (call === 1 && i === 0) ? 'ServiceUnavailableException' : undefined;
    const rows = lines(10);
    expect(await d.deliver('s', rows)).toEqual({ failed: [] });
    expect(calls().map((c) => c.records.length)).toEqual([10, 5, 1]);
    expect(calls()[1].records.map((r) => r.toString())).toEqual([rows[1], rows[3], rows[5], rows[7], rows[9]]);
    expect(acceptedLines().sort()).toEqual([...rows].sort());
    expect(sleeps).toHaveLength(2);
    expect(sleeps[0]).toBeGreaterThanOrEqual(50);
    expect(sleeps[0]).toBeLessThanOrEqual(100);
    expect(sleeps[1]).toBeGreaterThanOrEqual(100);
    expect(sleeps[1]).toBeLessThanOrEqual(200);
  });

  it('retries a call that failed as a whole', async () => {
    const { d } = delivery();
    firehose.failWholeCalls = 2;
    const rows = lines(3);
    expect(await d.deliver('s', rows)).toEqual({ failed: [] });
    expect(calls()).toHaveLength(3);
    expect(acceptedLines()).toEqual(rows);
  });

  it('reports the lines still failing after the last attempt, with the last error', async () => {
    const { d } = delivery({ maxRecordBytes: 1, maxAttempts: 3 });
    firehose.plan = (_call, data) => (data.toString().includes('"i":2,') ? 'InternalFailure' : undefined);
    const outcome = await d.deliver('s', lines(4));
    expect(outcome.failed).toEqual([2]);
    expect(outcome.lastError).toBe('InternalFailure: entry 0 failed');
    expect(calls()).toHaveLength(3);
  });

  it('reports a line longer than a Firehose record as undeliverable without sending it', async () => {
    const { d } = delivery();
    const rows = [lines(1)[0], `${'z'.repeat(FIREHOSE_LIMITS.bytesPerRecord + 1)}\n`, lines(1)[0]];
    const outcome = await d.deliver('s', rows);
    expect(outcome.failed).toEqual([]);
    expect(outcome.undeliverable).toEqual([1]);
    expect(outcome.lastError).toMatch(/longer than a Firehose record/);
    expect(acceptedLines()).toEqual([rows[0], rows[2]]);
  });
});
