/**
 * The first link of the end-to-end chain: KPL aggregates made by our aggregator (src/kpl, as the producer sends
 * them) put into kinesalite on 127.0.0.1 and read by the Flink job's Kinesis source (flink-connector-kinesis
 * 4.3.0): every user record comes out once, de-aggregated by the connector, in order. The JVM gets
 * DISABLE_KINESIS_CBOR_FLAG (kinesalite cuts large CBOR answers short), passed as an extra JVM flag.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregate } from '../../src/kpl/index.js';
import { DISABLE_KINESIS_CBOR_FLAG, ensureFlinkJar, type FlinkJar, javaArgs } from '../../src/cli/commands/translate/flink-job.js';
import { type KinesisEmulator, startKinesalite } from '../support/kinesis-emulator.js';

describe('Flink Kinesis source over kinesalite with KPL aggregates', () => {
  let jar: FlinkJar;
  let k: KinesisEmulator;
  const work = mkdtempSync(path.join(tmpdir(), 'flink-kpl-'));

  beforeAll(async () => {
    jar = ensureFlinkJar(undefined, (s) => process.stderr.write(`${s}\n`));
    k = await startKinesalite();
  }, 900_000);

  afterAll(async () => {
    await k?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('yields every user record of the aggregates once, in order', async () => {
    await k.createStream('kpl-probe', 1);
    const users = Array.from({ length: 120 }, (_, i) => ({ partitionKey: `p${i % 7}`, data: JSON.stringify({ TICKER_SYMBOL: `T${i % 5}`, N: i }) }));
    // Small aggregates: several Kinesis records, each holding many user records.
    const aggs = aggregate(users, { maxBytes: 1024 });
    expect(aggs.length).toBeGreaterThan(1);
    expect(aggs.every((a) => a.userRecordCount > 1)).toBe(true);
    await k.client.send(new PutRecordsCommand({ StreamName: 'kpl-probe', Records: aggs.map((a) => ({ PartitionKey: a.partitionKey, Data: a.data, ...(a.explicitHashKey ? { ExplicitHashKey: a.explicitHashKey } : {}) })) }));
    const script = path.join(work, 'kpl.sql');
    writeFileSync(script, [
      `CREATE TEMPORARY TABLE src (data STRING) WITH ('connector' = 'kinesis', 'stream' = 'kpl-probe', 'format' = 'raw', 'scan.stream.initpos' = 'TRIM_HORIZON', 'aws.region' = 'us-east-1', 'aws.endpoint' = '${k.endpoint}', 'aws.credentials.provider' = 'BASIC', 'aws.credentials.basic.accesskeyid' = '${k.clientOptions.credentials.accessKeyId}', 'aws.credentials.basic.secretkey' = '${k.clientOptions.credentials.secretAccessKey}')`,
      "CREATE TEMPORARY TABLE out_p (data STRING) WITH ('connector' = 'print')",
      'INSERT INTO out_p SELECT data FROM src',
    ].join(';\n') + ';\n');
    const child = spawn('java', javaArgs(jar, [script, '--parallelism', '1'], { jvmFlags: [DISABLE_KINESIS_CBOR_FLAG] }), { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const rows = () => out.split('\n').filter((l) => l.startsWith('+I[')).map((l) => l.slice(3, -1));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err = (err + d).slice(-8000)));
    // The source is unbounded: wait until the records are out (or a time limit), then stop the JVM.
    await new Promise<void>((resolve) => {
      const limit = setTimeout(resolve, 90_000);
      child.on('close', () => { clearTimeout(limit); resolve(); });
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        if (rows().length >= users.length) setTimeout(() => { clearTimeout(limit); resolve(); }, 2000);
      });
    });
    child.kill('SIGKILL');
    expect(rows(), err).toEqual(users.map((u) => u.data));
  }, 150_000);
});
