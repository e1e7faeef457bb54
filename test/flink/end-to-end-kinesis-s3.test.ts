/**
 * The Flink path end to end, on real local components: the `produce` command (our KPL producer and aggregator)
 * puts aggregated ticker records into kinesalite on 127.0.0.1; `run examples/ticker --engine flink` translates the
 * application and runs it on a local Flink MiniCluster, reading the stream with Flink's Kinesis connector (which
 * de-aggregates) and writing the windows through Flink's filesystem sink to a radosgw bucket on 127.0.0.1; `run`
 * (our engine) reads the same stream into another prefix of the bucket. The window rows of both, read back with the
 * S3 SDK, are equal, and equal to the windows computed here from the records the stream holds.
 *
 * The Kinesis source is unbounded, so the Flink run is bounded by `--duration`: the job is stopped with a draining
 * savepoint, which ends the input (a final watermark closes the last, still open window, as `run` closes open
 * windows when it stops without a checkpoint directory) and commits the part files.
 */
import { GetRecordsCommand, GetShardIteratorCommand, ListShardsCommand } from '@aws-sdk/client-kinesis';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFlinkJar } from '../../src/cli/commands/translate/flink-job.js';
import { createS3Client } from '../../src/sinks/index.js';
import { startKinesalite, type KinesisEmulator } from '../support/kinesis-emulator.js';
import { diffWindowRows, expectedTickerWindows, runCli, stoppedMetrics, type TickerWindowRow } from '../support/pipeline-test-support.js';
import { useRadosgw, type RadosgwInstance } from '../support/radosgw.js';
import { listAllKeys, readNdjsonRows } from '../support/s3-objects.js';

const STREAM = 'ticker-flink-e2e';
const BUCKET = 'flink-e2e';
/** 8000 user records at 700 a second: about 11.5 s of arrivals, so at least two 10-second windows per ticker. */
const RECORDS = 8000;
const RATE = 700;
const TICKERS = 20;
const COLUMNS = ['ROWTIME', 'TICKER_SYMBOL', 'TRADE_COUNT', 'MIN_PRICE', 'MAX_PRICE', 'AVG_PRICE'];

let kinesis: KinesisEmulator | undefined;
let gw: RadosgwInstance | undefined;
let s3: S3Client | undefined;

beforeAll(async () => {
  ensureFlinkJar(undefined, (s) => process.stderr.write(`${s}\n`));
  const [k, r] = await Promise.allSettled([startKinesalite(), useRadosgw()]);
  if (k.status === 'fulfilled') kinesis = k.value;
  if (r.status === 'fulfilled') gw = r.value;
  if (k.status === 'rejected') throw new Error(`kinesalite did not start: ${String(k.reason)}`);
  if (r.status === 'rejected') throw new Error(`radosgw did not start: ${String(r.reason)}`);
  s3 = createS3Client({ endpoint: gw!.endpoint, region: gw!.region, credentials: { accessKeyId: gw!.accessKeyId, secretAccessKey: gw!.secretAccessKey } });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  // One shard: records are read in arrival order, so no record is behind the watermark (arrival time - 1 s).
  await kinesis!.createStream(STREAM, 1);
}, 900_000);

afterAll(async () => {
  s3?.destroy();
  await Promise.allSettled([kinesis?.stop(), gw?.stop()]);
});

/** Every record of the stream's one shard with its arrival time, read with the plain SDK. */
async function readStream(k: KinesisEmulator): Promise<{ at: number; partitionKey: string; data: Uint8Array }[]> {
  const shards = await k.client.send(new ListShardsCommand({ StreamName: STREAM }));
  let iterator = (await k.client.send(new GetShardIteratorCommand({ StreamName: STREAM, ShardId: shards.Shards![0].ShardId!, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
  const out: { at: number; partitionKey: string; data: Uint8Array }[] = [];
  while (iterator) {
    const page = await k.client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
    for (const r of page.Records ?? []) out.push({ at: r.ApproximateArrivalTimestamp!.getTime(), partitionKey: r.PartitionKey!, data: r.Data! });
    if ((page.Records ?? []).length === 0) break;
    iterator = page.NextShardIterator;
  }
  return out;
}

function asWindowRows(rows: { key: string; row: Record<string, unknown> }[]): TickerWindowRow[] {
  return rows.map((r) => r.row as unknown as TickerWindowRow);
}

describe('end to end on Flink: produce (KPL) -> kinesalite -> run --engine flink (MiniCluster) -> radosgw', () => {
  it('the windows in the bucket are the windows `run` writes over the same records', async () => {
    const k = kinesis!;
    const g = gw!;
    const env = { AWS_ACCESS_KEY_ID: g.accessKeyId, AWS_SECRET_ACCESS_KEY: g.secretAccessKey, AWS_REGION: g.region };
    const common = (prefix: string) => [
      'run', 'examples/ticker',
      '--source', `kinesis://${STREAM}`, '--kinesis-endpoint', k.endpoint, '--starting-position', 'TRIM_HORIZON',
      '--output', `DESTINATION_SQL_STREAM=s3://${BUCKET}/${prefix}/`, '--output', `error_stream=s3://${BUCKET}/${prefix}-errors/`,
      '--include-rowtime', 'DESTINATION_SQL_STREAM', '--s3-endpoint', g.endpoint,
    ];
    // The Flink run starts first (its JVM and job start-up overlap the producer) and is stopped 45 s after its job
    // started: reading 8000 records takes a few seconds, the rest is margin for a loaded 2-core machine.
    const flinkRun = runCli([...common('flink'), '--engine', 'flink', '--duration', '45s'], env);
    const produce = await runCli(['produce', '--to', `kinesis://${STREAM}`, '--kinesis-endpoint', k.endpoint, '--rate', String(RATE), '--records', String(RECORDS), '--seed', '41', '--tickers', String(TICKERS)], env);
    expect(produce.code, produce.stderr).toBe(0);
    expect(produce.stderr).toContain(`produced ${RECORDS} user records`);
    const records = await readStream(k);
    // Aggregates: fewer Kinesis records than user records, so the connector's de-aggregation is exercised.
    expect(records.length).toBeLessThan(RECORDS);
    // `run` reads the stream from its start once the producer is done; it closes a window 1 s after its end by the
    // wall clock, so 20 s see every window closed.
    const node = await runCli([...common('node'), '--duration', '20s', '--json'], env);
    const flink = await flinkRun;
    expect(node.code, node.stderr.slice(-3000)).toBe(0);
    expect(stoppedMetrics(node.stderr).metrics.errors).toBe(0);
    expect(flink.code, flink.stderr.slice(-6000)).toBe(0);
    expect(flink.stderr).toContain('no pump writes stream error_stream');

    const nodeRows = await readNdjsonRows(s3!, BUCKET, 'node/');
    const flinkRows = await readNdjsonRows(s3!, BUCKET, 'flink/');
    const expected = expectedTickerWindows(records);
    expect(expected.length).toBeGreaterThanOrEqual(2 * TICKERS);
    expect(diffWindowRows(asWindowRows(nodeRows), expected)).toEqual([]);
    // The comparison the issue asks for: Flink's windows are `run`'s windows (counts exact, prices within 1e-6).
    expect(diffWindowRows(asWindowRows(flinkRows), asWindowRows(nodeRows))).toEqual([]);
    expect(flinkRows.reduce((n, r) => n + (r.row.TRADE_COUNT as number), 0)).toBe(RECORDS);
    // Row layout: ROWTIME first (asked for), then exactly the stream's columns, timestamps as run writes them.
    for (const r of [...nodeRows, ...flinkRows]) expect(Object.keys(r.row)).toEqual(COLUMNS);
    expect(flinkRows.every((r) => /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.000$/.test(r.row.ROWTIME as string))).toBe(true);
    // Key layout: `run` writes Firehose's; Flink's filesystem sink its own part files (docs/flink.md).
    expect(nodeRows.every((r) => /^node\/\d{4}\/\d{2}\/\d{2}\/\d{2}\/ticker-epoch-\d{10}-\d+$/.test(r.key))).toBe(true);
    expect(flinkRows.every((r) => /^flink\/part-[0-9a-f-]+-\d+-\d+/.test(r.key)), flinkRows.map((r) => r.key).join('\n')).toBe(true);
    // Neither engine wrote an error row; the Flink job has no error_stream at all.
    expect((await listAllKeys(s3!, BUCKET, 'node-errors/')).keys).toEqual([]);
    expect((await listAllKeys(s3!, BUCKET, 'flink-errors/')).keys).toEqual([]);
    console.info(`end to end on Flink: ${RECORDS} user records in ${records.length} Kinesis records -> ${flinkRows.length} window rows (run: ${nodeRows.length})`);
  }, 300_000);
});
