/**
 * Throughput of the Kinesis layer: the embedded stream (write, read) and a round trip through the Kinesis API
 * against kinesalite and kinesis-local on 127.0.0.1. Run: npm run bench:kinesis. Short on purpose (shared machine).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EmbeddedStream } from '../src/kinesis/embedded-stream.js';
import { FileReplaySource } from '../src/kinesis/file-replay-source.js';
import { EmbeddedStreamSource } from '../src/kinesis/embedded-stream-source.js';
import { KinesisApiSource } from '../src/kinesis/kinesis-api-source.js';
import { putRecordsWithRetry } from '../src/kinesis/put-records-with-retry.js';
import type { StreamSource } from '../src/kinesis/stream-source.js';
import { startKinesalite, startKinesisLocal, type KinesisEmulator } from '../test/support/kinesis-emulator.js';

const payload = (i: number) => `{"TICKER_SYMBOL":"T${i % 50}","SECTOR":"TECH","CHANGE":0.5,"PRICE":${i % 1000}.25,"EVENT_TIME":${i}}`;
const rate = (n: number, ms: number) => `${Math.round((n / ms) * 1000).toLocaleString('en-US')} records/s`;

async function readAll(source: StreamSource, count: number): Promise<void> {
  let got = 0;
  while (got < count) got += (await source.read()).records.length;
}

async function embedded(): Promise<void> {
  const n = 500_000;
  const stream = new EmbeddedStream({ shardCount: 4 });
  const batch = Array.from({ length: 500 }, (_, i) => ({ partitionKey: `T${i % 50}`, data: Buffer.from(payload(i)) }));
  let t = performance.now();
  for (let i = 0; i < n; i += 500) stream.putRecords(batch);
  console.log(`embedded putRecords (4 shards, 500 per call, ~90 B): ${rate(n, performance.now() - t)}`);
  const source = new EmbeddedStreamSource(stream);
  await source.start('TRIM_HORIZON');
  t = performance.now();
  await readAll(source, n);
  console.log(`embedded EmbeddedStreamSource read: ${rate(n, performance.now() - t)}`);
  await source.close();
}

async function roundTrip(emulator: KinesisEmulator, n: number): Promise<void> {
  const name = 'bench';
  await emulator.createStream(name, 4);
  const records = Array.from({ length: n }, (_, i) => ({ partitionKey: `T${i % 50}`, data: payload(i) }));
  let t = performance.now();
  await putRecordsWithRetry(emulator.client, name, records);
  console.log(`${emulator.kind} putRecordsWithRetry (4 shards): ${rate(n, performance.now() - t)}`);
  const source = new KinesisApiSource({ streamName: name, ...emulator.clientOptions, idleMs: 50, minFetchIntervalMs: 0 });
  await source.start('TRIM_HORIZON');
  t = performance.now();
  await readAll(source, n);
  console.log(`${emulator.kind} KinesisApiSource read: ${rate(n, performance.now() - t)}`);
  await source.close();
}

async function replay(): Promise<void> {
  const n = 200_000;
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-kinesis-'));
  const file = path.join(dir, 'input.ndjson');
  writeFileSync(file, Array.from({ length: n }, (_, i) => JSON.stringify({ at: i, partitionKey: `T${i % 50}`, data: payload(i) })).join('\n'));
  const source = new FileReplaySource({ path: file, shardCount: 4 });
  await source.start('TRIM_HORIZON');
  const t = performance.now();
  await readAll(source, n);
  console.log(`FileReplaySource, NDJSON input, 4 shards: ${rate(n, performance.now() - t)}`);
  await source.close();
  rmSync(dir, { recursive: true, force: true });
}

await embedded();
await replay();
const kinesalite = await startKinesalite();
try { await roundTrip(kinesalite, 20_000); } finally { await kinesalite.stop(); }
const local = await startKinesisLocal();
try { await roundTrip(local, 5_000); } finally { await local.stop(); }
