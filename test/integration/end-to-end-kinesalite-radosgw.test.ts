// Real components, end to end: KPL-aggregated ticker records produced into kinesalite by the
// `produce` command, the ticker application run by `run` against it (Kinesis API source, KPL de-aggregation, the
// engine) with its output in a radosgw bucket, and the objects read back with the S3 SDK and checked against the
// windows computed here, independently, from the records as the stream holds them (read back with the Kinesis SDK,
// de-aggregated with aws-kinesis-agg). Both servers start and stop here, on 127.0.0.1; if one cannot start, the
// test fails with the reason.
import { GetRecordsCommand, GetShardIteratorCommand, ListShardsCommand } from '@aws-sdk/client-kinesis';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Client } from '../../src/sinks/index.js';
import { startKinesalite, type KinesisEmulator } from '../support/kinesis-emulator.js';
import { useRadosgw, type RadosgwInstance } from '../support/radosgw.js';
import {
  diffWindowRows,
  expectedTickerWindows,
  parseNdjson,
  runCli,
  seededRandom,
  spawnCli,
  stoppedMetrics,
  type TickerWindowRow,
} from '../support/pipeline-test-support.js';

const STREAM = 'ticker-input';
const BUCKET = 'analytics';
const PREFIX = 'ticker/';
const RECORDS = 24_000;
const RATE = 1_500;

let kinesis: KinesisEmulator | undefined;
let s3: RadosgwInstance | undefined;
let client: S3Client | undefined;

beforeAll(async () => {
  const [k, r] = await Promise.allSettled([startKinesalite(), useRadosgw()]);
  if (k.status === 'fulfilled') kinesis = k.value;
  if (r.status === 'fulfilled') s3 = r.value;
  if (k.status === 'rejected') throw new Error(`kinesalite did not start: ${String(k.reason)}`);
  if (r.status === 'rejected') throw new Error(`radosgw did not start: ${String(r.reason)}`);
  client = createS3Client({ endpoint: s3!.endpoint, region: s3!.region, credentials: { accessKeyId: s3!.accessKeyId, secretAccessKey: s3!.secretAccessKey } });
  await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
  // One shard: records are read in arrival order, so ROWTIME (arrival time, never decreasing) is the arrival time.
  await kinesis!.createStream(STREAM, 1);
}, 240_000);

afterAll(async () => {
  client?.destroy();
  await Promise.allSettled([kinesis?.stop(), s3?.stop()]);
});

/** Every record of a stream's one shard, with its arrival time, read with the plain SDK. */
async function readStream(k: KinesisEmulator, stream = STREAM): Promise<{ at: number; partitionKey: string; data: Uint8Array }[]> {
  const shards = await k.client.send(new ListShardsCommand({ StreamName: stream }));
  expect(shards.Shards).toHaveLength(1);
  let iterator = (await k.client.send(new GetShardIteratorCommand({ StreamName: stream, ShardId: shards.Shards![0].ShardId!, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
  const out: { at: number; partitionKey: string; data: Uint8Array }[] = [];
  while (iterator) {
    const page = await k.client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
    for (const r of page.Records ?? []) out.push({ at: r.ApproximateArrivalTimestamp!.getTime(), partitionKey: r.PartitionKey!, data: r.Data! });
    if ((page.Records ?? []).length === 0) break;
    iterator = page.NextShardIterator;
  }
  return out;
}

async function readObjects(c: S3Client, prefix = PREFIX): Promise<Map<string, string>> {
  const objects = new Map<string, string>();
  let token: string | undefined;
  do {
    const page = await c.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix, ContinuationToken: token }));
    for (const o of page.Contents ?? []) {
      const body = await c.send(new GetObjectCommand({ Bucket: BUCKET, Key: o.Key! }));
      objects.set(o.Key!, (await body.Body?.transformToString('utf8')) ?? '');
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return objects;
}

describe('end to end: produce -> kinesalite -> run (KPL, ticker SQL) -> radosgw', () => {
  it('the result objects hold exactly the windows computed independently from the produced records', async () => {
    const k = kinesis!;
    const gw = s3!;
    const env = { AWS_ACCESS_KEY_ID: gw.accessKeyId, AWS_SECRET_ACCESS_KEY: gw.secretAccessKey, AWS_REGION: gw.region };
    // The run reads from the oldest record and stops on its own; 60 s leave time for the producer's 16 s, for the
    // last window to end and for the wall clock to close it (live sources close idle windows 1 s after their end).
    const run = spawnCli(
      [
        'run', 'examples/ticker',
        '--source', `kinesis://${STREAM}`, '--kinesis-endpoint', k.endpoint, '--starting-position', 'TRIM_HORIZON',
        '--output', `DESTINATION_SQL_STREAM=s3://${BUCKET}/${PREFIX}`, '--output', `error_stream=s3://${BUCKET}/${PREFIX}`, '--include-rowtime', 'DESTINATION_SQL_STREAM',
        '--s3-endpoint', gw.endpoint, '--duration', '60s', '--json',
      ],
      env,
    );
    const produce = await runCli(
      ['produce', '--to', `kinesis://${STREAM}`, '--kinesis-endpoint', k.endpoint, '--rate', String(RATE), '--records', String(RECORDS), '--seed', '17', '--tickers', '40'],
      env,
    );
    expect(produce.code, produce.stderr).toBe(0);
    expect(produce.stderr).toContain(`produced ${RECORDS} user records`);
    const records = await readStream(k);
    const result = await run.done;
    expect(result.code, result.stderr.slice(-4000)).toBe(0);
    const { reason, metrics } = stoppedMetrics(result.stderr);
    expect(reason).toBe('duration');
    expect(metrics.userRecords).toBe(RECORDS);
    expect(metrics.errors).toBe(0);

    const objects = await readObjects(client!);
    const keys = [...objects.keys()];
    // Firehose's S3 layout under the output prefix; no error_stream objects.
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.every((key) => /^ticker\/\d{4}\/\d{2}\/\d{2}\/\d{2}\/ticker-epoch-\d{10}-\d+$/.test(key)), keys.join('\n')).toBe(true);
    const rows = [...objects.values()].flatMap((body) => parseNdjson<TickerWindowRow>(body));

    const expected = expectedTickerWindows(records);
    const span = (records[records.length - 1].at - records[0].at) / 1000;
    expect(expected.length, `windows over ${span} s of arrivals`).toBeGreaterThanOrEqual(2 * 40);
    expect(diffWindowRows(rows, expected)).toEqual([]);
    expect(rows.reduce((n, r) => n + r.TRADE_COUNT, 0)).toBe(RECORDS);
    console.info(`end to end: ${RECORDS} user records in ${records.length} Kinesis records over ${span} s -> ${rows.length} window rows in ${keys.length} objects`);
  }, 240_000);
});

describe('end to end with restarts: the run is killed with SIGKILL while the producer writes, and restarted', () => {
  it('the objects in radosgw still hold every window exactly once', async () => {
    const k = kinesis!;
    const gw = s3!;
    const stream = 'ticker-restarts';
    const prefix = 'restarts/';
    await k.createStream(stream, 1);
    const env = { AWS_ACCESS_KEY_ID: gw.accessKeyId, AWS_SECRET_ACCESS_KEY: gw.secretAccessKey, AWS_REGION: gw.region };
    const ckpt = mkdtempSync(join(tmpdir(), 'e2e-restarts-'));
    const runArgs = (duration: string) => [
      'run', 'examples/ticker',
      '--source', `kinesis://${stream}`, '--kinesis-endpoint', k.endpoint, '--starting-position', 'TRIM_HORIZON',
      '--output', `DESTINATION_SQL_STREAM=s3://${BUCKET}/${prefix}`, '--output', `error_stream=s3://${BUCKET}/${prefix}`, '--include-rowtime', 'DESTINATION_SQL_STREAM',
      '--s3-endpoint', gw.endpoint, '--checkpoint-dir', ckpt, '--duration', duration, '--json',
    ];
    try {
      // 16 s of production; meanwhile runs are started and killed at random points after they begin.
      const producing = runCli(['produce', '--to', `kinesis://${stream}`, '--kinesis-endpoint', k.endpoint, '--rate', '1500', '--records', '24000', '--seed', '23', '--tickers', '30'], env);
      let produced = false;
      void producing.then(() => (produced = true));
      const random = seededRandom(Number(process.env.SIGKILL_TEST_SEED ?? 5150));
      let kills = 0;
      while (!produced || kills < 3) {
        const { child, done } = spawnCli(runArgs('60s'), env);
        await new Promise<void>((resolve) => child.stderr!.on('data', (d: Buffer) => d.toString().includes('"running ') && resolve()));
        // Up to 12 s: some runs live past a window end and the commit that delivers it.
        const timer = setTimeout(() => child.kill('SIGKILL'), 1000 + random() * 11_000);
        const r = await done;
        clearTimeout(timer);
        expect(r.signal, r.stderr.slice(-3000)).toBe('SIGKILL');
        kills++;
      }
      const produce = await producing;
      expect(produce.code, produce.stderr).toBe(0);
      // The last run resumes from the checkpoint and runs until every window has closed by the wall clock.
      const last = await runCli(runArgs('20s'), env);
      expect(last.code, last.stderr.slice(-3000)).toBe(0);
      expect(stoppedMetrics(last.stderr).metrics.errors).toBe(0);

      const records = await readStream(k, stream);
      const expected = expectedTickerWindows(records);
      const objects = await readObjects(client!, prefix);
      const rows = [...objects.values()].flatMap((body) => parseNdjson<TickerWindowRow>(body));
      expect(expected.length).toBeGreaterThanOrEqual(2 * 30);
      expect(diffWindowRows(rows, expected), `${kills} kills`).toEqual([]);
      console.info(`end to end with restarts: ${kills} kills, ${rows.length} window rows in ${objects.size} objects`);
    } finally {
      rmSync(ckpt, { recursive: true, force: true });
    }
  }, 240_000);
});
