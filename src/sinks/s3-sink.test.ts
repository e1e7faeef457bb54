import { CreateBucketCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFlakyS3Proxy } from '../../test/support/s3-flaky-proxy.js';
import { listAllKeys as listAll, readNdjsonRows, readObjectText as readText } from '../../test/support/s3-objects.js';
import { useRadosgw, type RadosgwInstance } from '../../test/support/radosgw.js';
import { ManualClock } from './clock.js';
import { S3Sink, createS3Client } from './s3-sink.js';
import type { OutputRow } from './sink.js';
import { SinkDeliveryError } from './sink-delivery-error.js';

const T0 = Date.UTC(2026, 10, 26, 9, 59, 0);
const RUN = Math.random().toString(36).slice(2, 8);
/** Bucket names unique to this run: the radosgw may be shared by other test files (global setup). */
const bucketName = (base: string) => `${base}-${RUN}`;

function rows(stream: string, from: number, count: number): OutputRow[] {
  return Array.from({ length: count }, (_, i) => ({
    stream,
    row: { ROWTIME: new Date(T0 + from + i).toISOString().replace('T', ' ').slice(0, 23), TICKER: `T${from + i}`, PRICE: (from + i) / 4 },
    rowtime: T0 + from + i,
  }));
}

describe('S3Sink against a real radosgw on 127.0.0.1', () => {
  let s3: RadosgwInstance;
  let client: S3Client;
  const connection = () => ({
    endpoint: s3.endpoint,
    region: s3.region,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  });

  beforeAll(async () => {
    s3 = await useRadosgw();
    client = createS3Client(connection());
  });
  afterAll(async () => {
    client?.destroy();
    await s3?.stop();
  });

  it('writes the Firehose layout, lists it by prefix and delimiter with continuation, and reads it back', async () => {
    const bucket = bucketName('layout');
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    const clock = new ManualClock(T0);
    const delivered: string[] = [];
    const sink = new S3Sink({
      ...connection(), bucket, prefix: 'ticker/', clock, bufferSizeBytes: 150, bufferIntervalMs: 60_000,
      onDelivered: (o) => delivered.push(o.key),
    });
    await sink.write(rows('DEST', 0, 7), 'shard-0-seq-100');
    clock.advance(2 * 60_000); // the next objects land in the next hour folder
    await sink.write([...rows('DEST', 7, 3), ...rows('error_stream', 0, 2)], 'shard-0-seq-200');
    await sink.close();

    const all = await listAll(client, bucket, '', 2);
    expect(all.pages).toBeGreaterThan(1); // continuation tokens were followed
    expect(all.keys.sort()).toEqual([...delivered].sort());
    expect(all.keys.every((k) => /^(ticker|errors)\/2026\/11\/26\/(09|10)\/(DEST|error_stream)-shard-0-seq-[12]00-\d+$/.test(k))).toBe(true);
    expect(all.keys.some((k) => k.startsWith('errors/2026/11/26/10/error_stream-shard-0-seq-200-0'))).toBe(true);

    const hours = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'ticker/2026/11/26/', Delimiter: '/' }));
    expect((hours.CommonPrefixes ?? []).map((p) => p.Prefix)).toEqual(['ticker/2026/11/26/09/', 'ticker/2026/11/26/10/']);

    const read = await readNdjsonRows(client, bucket, 'ticker/');
    const tickers = read.map((r) => String(r.row.TICKER)).sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
    expect(tickers).toEqual(Array.from({ length: 10 }, (_, i) => `T${i}`));
    expect((await readNdjsonRows(client, bucket, 'errors/')).map((r) => r.row.TICKER)).toEqual(['T0', 'T1']);
  });

  it('re-writing the same rows at the same position replaces the objects: no duplicate', async () => {
    const bucket = bucketName('idempotent');
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    const run = async () => {
      const sink = new S3Sink({ ...connection(), bucket, clock: new ManualClock(T0), bufferSizeBytes: 200, format: 'CSV' });
      await sink.write(rows('DEST', 0, 5), 'pos-1');
      await sink.write(rows('DEST', 5, 5), 'pos-2');
      await sink.close();
    };
    await run();
    const first = await listAll(client, bucket, '');
    const firstBodies = await Promise.all(first.keys.map((k) => readText(client, bucket, k)));
    await run(); // a restart replays from the same checkpoint
    const second = await listAll(client, bucket, '');
    expect(second.keys).toEqual(first.keys);
    expect(await Promise.all(second.keys.map((k) => readText(client, bucket, k)))).toEqual(firstBodies);
    expect(firstBodies.join('').trim().split('\n')).toHaveLength(10);
  });

  it('recover() deletes the objects written with a position after a crash', async () => {
    const bucket = bucketName('recover');
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    const sink = new S3Sink({ ...connection(), bucket, prefix: 'p/', clock: new ManualClock(T0), bufferSizeBytes: 1 });
    await sink.write(rows('DEST', 0, 2), 'ckpt-1');
    await sink.write([...rows('DEST', 2, 3), ...rows('error_stream', 0, 1)], 'ckpt-2');
    expect(await sink.recover('ckpt-2', { fromTime: T0 })).toEqual([
      'p/2026/11/26/09/DEST-ckpt-2-0', 'p/2026/11/26/09/DEST-ckpt-2-1', 'p/2026/11/26/09/DEST-ckpt-2-2',
      'errors/2026/11/26/09/error_stream-ckpt-2-0',
    ]);
    expect((await listAll(client, bucket, '')).keys).toEqual(['p/2026/11/26/09/DEST-ckpt-1-0', 'p/2026/11/26/09/DEST-ckpt-1-1']);
    await sink.close();
  });

  it('retries 503 answers with backoff, then the PUT goes through to radosgw', async () => {
    const bucket = bucketName('retried');
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    const proxy = await startFlakyS3Proxy({ target: s3.endpoint, failFirst: 2 });
    const waits: number[] = [];
    try {
      const sink = new S3Sink({
        ...connection(), endpoint: proxy.endpoint, bucket, clock: new ManualClock(T0),
        retry: { maxAttempts: 5, baseDelayMs: 100, sleep: async (ms) => { waits.push(ms); }, random: () => 0.5 },
      });
      await sink.write(rows('DEST', 0, 3), 'p');
      await sink.close();
    } finally {
      await proxy.close();
    }
    expect(proxy.requests.map((r) => r.outcome)).toEqual([503, 503, 200]);
    expect(waits).toEqual([50, 100]); // half of 100 * 2^0 and of 100 * 2^1
    const { keys } = await listAll(client, bucket, '');
    expect(keys).toEqual(['2026/11/26/09/DEST-p-0']);
    expect((await readText(client, bucket, keys[0])).trim().split('\n')).toHaveLength(3);
  });

  it('fails with a SinkDeliveryError at once for a missing bucket (not retryable)', async () => {
    const sink = new S3Sink({ ...connection(), bucket: 'no-such-bucket', retry: { sleep: async () => undefined } });
    await sink.write(rows('DEST', 0, 1), 'p');
    const error = await sink.flush().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SinkDeliveryError);
    expect((error as SinkDeliveryError).attempts).toBe(1);
    expect((error as SinkDeliveryError).message).toMatch(/s3:\/\/no-such-bucket\/.*NoSuchBucket/);
    await expect(sink.close()).rejects.toBe(error);
  });
});

describe('S3Sink retries against a failing endpoint', () => {
  const credentials = { accessKeyId: 'AK', secretAccessKey: 'SK' };

  it('gives up after the last attempt with a typed, retryable error', async () => {
    const proxy = await startFlakyS3Proxy({ failFirst: Infinity, status: 500 });
    const waits: number[] = [];
    try {
      const sink = new S3Sink({
        endpoint: proxy.endpoint, credentials, bucket: 'b', bufferIntervalMs: 1e9,
        retry: { maxAttempts: 4, baseDelayMs: 10, maxDelayMs: 25, sleep: async (ms) => { waits.push(ms); }, random: () => 0.999 },
      });
      await sink.write(rows('DEST', 0, 1));
      const error = (await sink.flush().catch((e: unknown) => e)) as SinkDeliveryError;
      expect(error).toBeInstanceOf(SinkDeliveryError);
      expect(error.attempts).toBe(4);
      expect(error.retryable).toBe(true);
      expect(error.message).toMatch(/HTTP 500/);
      await sink.close().catch(() => undefined);
    } finally {
      await proxy.close();
    }
    expect(proxy.requests).toHaveLength(4);
    expect(waits).toEqual([9, 19, 24]); // capped at maxDelayMs 25
  });

  it('retries dropped connections (network errors), then succeeds', async () => {
    const proxy = await startFlakyS3Proxy({ failFirst: 2, failure: 'reset' });
    try {
      const sink = new S3Sink({ endpoint: proxy.endpoint, credentials, bucket: 'b', retry: { sleep: async () => undefined } });
      await sink.write(rows('DEST', 0, 2), 'x');
      await sink.close();
    } finally {
      await proxy.close();
    }
    expect(proxy.requests.map((r) => r.outcome)).toEqual(['reset', 'reset', 200]);
  });
});
