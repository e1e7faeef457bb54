import { createRequire } from 'node:module';
import { createServer, request, type Server } from 'node:http';
import { CreateStreamCommand, DescribeStreamSummaryCommand, GetRecordsCommand, GetShardIteratorCommand, KinesisClient, ListShardsCommand } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { ManualClock } from './clock.js';
import { KinesisSink } from './kinesis-sink.js';
import type { OutputRow } from './sink.js';
import { SinkDeliveryError } from './sink-delivery-error.js';

// A private kinesalite for this file (in memory, on 127.0.0.1, a free port).
const kinesalite = createRequire(import.meta.url)('kinesalite') as (options: Record<string, unknown>) => Server;
let server: Server;
let endpoint: string;
let client: KinesisClient;
const credentials = { accessKeyId: 'AK', secretAccessKey: 'SK' };

function listen(s: Server): Promise<string> {
  return new Promise((resolve, reject) => {
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      resolve(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`);
    });
  });
}

beforeAll(async () => {
  server = kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 100 });
  endpoint = await listen(server);
  client = new KinesisClient({ endpoint, region: 'us-east-1', credentials, requestHandler: new NodeHttpHandler() });
});
afterAll(async () => {
  client?.destroy();
  await new Promise((resolve) => server?.close(resolve));
});

async function createStream(name: string, shards: number): Promise<void> {
  await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
  for (let i = 0; i < 100; i++) {
    const d = await client.send(new DescribeStreamSummaryCommand({ StreamName: name }));
    if (d.StreamDescriptionSummary?.StreamStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`stream ${name} did not become ACTIVE`);
}

/** Every record of every shard, oldest first per shard. */
async function readAll(name: string): Promise<{ key: string; data: string }[]> {
  const out: { key: string; data: string }[] = [];
  const shards = await client.send(new ListShardsCommand({ StreamName: name }));
  for (const shard of shards.Shards ?? []) {
    let iterator = (await client.send(new GetShardIteratorCommand({ StreamName: name, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
    while (iterator) {
      const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
      for (const r of page.Records ?? []) out.push({ key: r.PartitionKey ?? '', data: Buffer.from(r.Data ?? []).toString('utf8') });
      if ((page.Records ?? []).length === 0) break;
      iterator = page.NextShardIterator;
    }
  }
  return out;
}

const tickers = ['AMZN', 'MSFT', 'ORCL', 'IBM', 'QXZ'];
function rows(count: number, pad = 0): OutputRow[] {
  return Array.from({ length: count }, (_, i) => ({
    stream: 'DEST',
    row: { TICKER: tickers[i % tickers.length], N: i, PAD: 'p'.repeat(pad) },
    rowtime: 0,
  }));
}

describe('KinesisSink against kinesalite', () => {
  it('sends rows as records in calls of at most 500, keyed by the chosen column', async () => {
    await createStream('results', 2);
    const calls: number[] = [];
    // A clock that never moves: the last 200 records wait for the flush however slow the machine is.
    const sink = new KinesisSink({ streamName: 'results', endpoint, credentials, partitionKeyColumn: 'TICKER', clock: new ManualClock(0), onDelivered: (b) => calls.push(b.records) });
    await sink.write(rows(1200));
    expect(calls).toEqual([500, 500]); // the last 200 wait for the interval or a flush
    await sink.close();
    expect(calls).toEqual([500, 500, 200]);
    const stored = await readAll('results');
    expect(stored).toHaveLength(1200);
    const parsed = stored.map((r) => ({ key: r.key, row: JSON.parse(r.data) as { TICKER: string; N: number } }));
    expect(parsed.every((r) => r.key === r.row.TICKER)).toBe(true);
    expect(parsed.map((r) => r.row.N).sort((a, b) => a - b)).toEqual(Array.from({ length: 1200 }, (_, i) => i));
    // per partition key, order is kept
    for (const t of tickers) {
      const ns = parsed.filter((r) => r.key === t).map((r) => r.row.N);
      expect(ns).toEqual([...ns].sort((a, b) => a - b));
    }
  });

  it('keeps each call under the byte limit and hashes the data when no key column is given', async () => {
    await createStream('bytes', 1);
    const sizes: { records: number; bytes: number }[] = [];
    const sink = new KinesisSink({ streamName: 'bytes', endpoint, credentials, format: 'CSV', maxBytesPerCall: 10_000, onDelivered: (b) => sizes.push(b) });
    await sink.write(rows(40, 900));
    await sink.close();
    expect(sizes.length).toBeGreaterThan(3);
    expect(sizes.every((s) => s.bytes <= 10_000)).toBe(true);
    expect(sizes.reduce((n, s) => n + s.records, 0)).toBe(40);
    const stored = await readAll('bytes');
    expect(stored).toHaveLength(40);
    expect(stored.every((r) => /^[0-9a-f]{32}$/.test(r.key))).toBe(true);
    expect(stored[0].data).toBe(`AMZN,0,${'p'.repeat(900)}`);
  });

  it('fails with a typed error for a stream that does not exist', async () => {
    const sink = new KinesisSink({ streamName: 'missing', endpoint, credentials, retry: { sleep: async () => undefined } });
    await sink.write(rows(1));
    const error = (await sink.flush().catch((e: unknown) => e)) as SinkDeliveryError;
    expect(error).toBeInstanceOf(SinkDeliveryError);
    expect(error.message).toMatch(/^kinesis:\/\/missing: ResourceNotFoundException/);
    expect(error.attempts).toBe(1);
  });
});

/**
 * Between the sink and kinesalite: the first PutRecords stores only its even-numbered records and answers
 * ProvisionedThroughputExceededException for the odd ones, as Kinesis does when a shard is over its limit.
 * `failWhole` first answers that many calls with HTTP 503 outright.
 */
async function startPartialFailureProxy(target: string, failWhole = 0) {
  const calls: { records: number; outcome: string }[] = [];
  const targetUrl = new URL(target);
  const forward = (body: Buffer, headers: Record<string, unknown>): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const req = request({ host: targetUrl.hostname, port: targetUrl.port, method: 'POST', path: '/', headers: { ...headers, 'content-length': body.length } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      });
      req.on('error', reject);
      req.end(body);
    });
  const proxy = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      const isPut = String(req.headers['x-amz-target']).endsWith('.PutRecords');
      const request = isPut ? (JSON.parse(body.toString('utf8')) as { Records: unknown[] }) : undefined;
      if (request && calls.length < failWhole) {
        calls.push({ records: request.Records.length, outcome: '503' });
        res.writeHead(503, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify({ __type: 'ServiceUnavailableException', message: 'injected' }));
        return;
      }
      if (request && calls.length === failWhole) {
        calls.push({ records: request.Records.length, outcome: 'partial' });
        const kept = request.Records.filter((_, i) => i % 2 === 0);
        const answer = await forward(Buffer.from(JSON.stringify({ ...request, Records: kept })), req.headers);
        const stored = (JSON.parse(answer.body.toString('utf8')) as { Records: unknown[] }).Records;
        const records = request.Records.map((_, i) =>
          i % 2 === 0 ? stored[i / 2] : { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'Rate exceeded for shard' },
        );
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify({ FailedRecordCount: Math.floor(request.Records.length / 2), Records: records }));
        return;
      }
      if (request) calls.push({ records: request.Records.length, outcome: 'forwarded' });
      const answer = await forward(body, req.headers);
      res.writeHead(answer.status, answer.headers as Record<string, string>);
      res.end(answer.body);
    });
  });
  const url = await listen(proxy);
  return { endpoint: url, calls, close: () => new Promise((resolve) => proxy.close(resolve)) };
}

describe('KinesisSink retries', () => {
  it('re-sends only the failed entries of a call, and every record is stored exactly once', async () => {
    await createStream('partial', 1);
    const proxy = await startPartialFailureProxy(endpoint, 1);
    const waits: number[] = [];
    try {
      const sink = new KinesisSink({
        streamName: 'partial', endpoint: proxy.endpoint, credentials, partitionKeyColumn: 'TICKER',
        retry: { sleep: async (ms) => { waits.push(ms); }, random: () => 0.5, baseDelayMs: 100 },
      });
      await sink.write(rows(9));
      await sink.close();
    } finally {
      await proxy.close();
    }
    expect(proxy.calls).toEqual([
      { records: 9, outcome: '503' },
      { records: 9, outcome: 'partial' },
      { records: 4, outcome: 'forwarded' },
    ]);
    expect(waits).toEqual([50, 100]);
    const ns = (await readAll('partial')).map((r) => (JSON.parse(r.data) as { N: number }).N);
    expect(ns.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('gives up with a SinkDeliveryError naming the error codes when entries keep failing', async () => {
    await createStream('stuck', 1);
    const proxy = await startPartialFailureProxy(endpoint, 0);
    try {
      // One attempt allowed: the partially failed call is the last one.
      const sink = new KinesisSink({ streamName: 'stuck', endpoint: proxy.endpoint, credentials, retry: { maxAttempts: 1 } });
      await sink.write(rows(4));
      const error = (await sink.flush().catch((e: unknown) => e)) as SinkDeliveryError;
      expect(error).toBeInstanceOf(SinkDeliveryError);
      expect(error.message).toBe('kinesis://stuck: 2 of 4 records failed: ProvisionedThroughputExceededException (after 1 attempt)');
      await expect(sink.write(rows(1))).rejects.toBe(error);
    } finally {
      await proxy.close();
    }
  });
});

describe('KinesisSink options', () => {
  it('rejects a row larger than a record may be, before buffering anything', async () => {
    const sink = new KinesisSink({ streamName: 's', endpoint: 'http://127.0.0.1:9', credentials });
    await expect(sink.write(rows(1, 1024 * 1024))).rejects.toThrow(/record limit/);
  });
  it.each([[{ maxRecordsPerCall: 501 }], [{ maxBytesPerCall: 0 }], [{ streamName: '' }]])('rejects %j', (bad) => {
    expect(() => new KinesisSink({ streamName: 's', endpoint: 'http://127.0.0.1:9', ...bad })).toThrow(ConfigError);
  });
});
