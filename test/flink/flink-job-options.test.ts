/**
 * How the Flink job is started from outside: extra JVM flags (`FlinkJvmOptions.jvmFlags`, `SA_FLINK_JVM_OPTS`) and
 * Flink configuration entries (`SqlJob --conf key=value`). The configuration is checked where it matters: a job
 * writes through `s3://` (the flink-s3-fs-hadoop file system on the local classpath) to radosgw on 127.0.0.1,
 * which only works when s3.endpoint, path-style access and the keys given as `--conf` reach the file system.
 */
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Client } from '../../src/sinks/s3-sink.js';
import { ensureFlinkJar, FLINK_MAIN_CLASS, type FlinkJar, javaArgs, jvmFlagsFromEnv, runFlinkScript } from '../../src/cli/commands/translate/flink-job.js';
import { loadApplicationDefinition } from '../../src/app/definition/index.js';
import { importOptionsFrom } from '../../src/cli/commands/run/run-command.js';
import { localRunOptions, translateDefinition } from '../../src/cli/commands/translate/translate-command.js';
import { DISABLE_KINESIS_CBOR_FLAG } from '../../src/cli/commands/translate/flink-job.js';
import { useRadosgw, type RadosgwInstance } from '../support/radosgw.js';
import { readNdjsonRows } from '../support/s3-objects.js';

const fakeJar: FlinkJar = { jar: 'job.jar', classpath: 'job.jar:flink.jar', buildMs: 0 };

describe('Flink job JVM options', () => {
  it('puts extra JVM flags before the main class and --conf entries after the job arguments', () => {
    const args = javaArgs(fakeJar, ['s.sql', '--parallelism', '1'], { jvmFlags: ['-Dcom.amazonaws.sdk.disableCbor=true'], conf: { 's3.endpoint': 'http://127.0.0.1:1', 'a.b': 'x=y' } });
    const main = args.indexOf(FLINK_MAIN_CLASS);
    expect(args.indexOf('-Dcom.amazonaws.sdk.disableCbor=true')).toBeGreaterThan(-1);
    expect(args.indexOf('-Dcom.amazonaws.sdk.disableCbor=true')).toBeLessThan(main);
    expect(args.slice(main + 1)).toEqual(['s.sql', '--parallelism', '1', '--conf', 's3.endpoint=http://127.0.0.1:1', '--conf', 'a.b=x=y']);
  });

  it('takes the default JVM flags from SA_FLINK_JVM_OPTS', () => {
    expect(jvmFlagsFromEnv({ SA_FLINK_JVM_OPTS: '  -Da=1   -Xmx512m ' })).toEqual(['-Da=1', '-Xmx512m']);
    expect(jvmFlagsFromEnv({})).toEqual([]);
    const args = javaArgs(fakeJar, [], {});
    expect(args.slice(args.indexOf(FLINK_MAIN_CLASS) + 1)).toEqual([]);
  });
});

describe('run --engine flink: what a local run adds to the script', () => {
  const def = loadApplicationDefinition('examples/ticker', importOptionsFrom({
    source: 'kinesis://ticks', kinesisEndpoint: 'http://127.0.0.1:1', startingPosition: 'TRIM_HORIZON',
    output: { DESTINATION_SQL_STREAM: 's3://bucket/out/' }, s3Endpoint: 'http://127.0.0.1:2', includeRowtime: ['DESTINATION_SQL_STREAM'],
  }));

  it('turns CBOR off for a Kinesis endpoint of its own, points s3:// at the S3 endpoint, checkpoints as often as the buffer interval', () => {
    const source = { kind: 'kinesis' as const, streamName: 'ticks', endpoint: 'http://127.0.0.1:1' };
    const o = localRunOptions(def, source, 5000);
    expect(o.jvmFlags).toContain(DISABLE_KINESIS_CBOR_FLAG);
    expect(o.stopAfterMs).toBe(5000);
    const interval = Math.max(1000, Math.min(...def.outputs.filter((x) => x.destination.type !== 'stdout').map((x) => x.bufferIntervalMs)));
    expect(o.conf).toEqual({ 'restart-strategy.type': 'none', 'execution.checkpointing.interval': `${interval} ms`, 's3.endpoint': 'http://127.0.0.1:2', 's3.path.style.access': 'true' });
    expect(localRunOptions(def, { kind: 'kinesis', streamName: 'ticks' }).jvmFlags).not.toContain(DISABLE_KINESIS_CBOR_FLAG);
  });

  it('delivers ROWTIME when asked and timestamps as run writes them, and rolls S3 part files at the buffer interval', () => {
    const out = def.outputs.find((x) => x.stream === 'DESTINATION_SQL_STREAM')!;
    const script = translateDefinition(def, { kind: 'kinesis', streamName: 'ticks' }, [{ stream: out.stream, format: 'JSON', includeRowtime: true, target: { kind: 's3', url: 's3://bucket/out/', rolloverMs: 5000 } }]).script;
    expect(script).toContain('(`ROWTIME` STRING, `TICKER_SYMBOL` VARCHAR(4), `TRADE_COUNT` BIGINT');
    expect(script).toContain("'sink.rolling-policy.rollover-interval' = '5000 ms', 'sink.rolling-policy.inactivity-interval' = '5000 ms', 'sink.rolling-policy.check-interval' = '5000 ms'");
    expect(script).toContain("SELECT DATE_FORMAT(`ROWTIME`, 'yyyy-MM-dd HH:mm:ss.SSS'), `TICKER_SYMBOL`");
    const jsonl = translateDefinition(def, { kind: 'kinesis', streamName: 'ticks' }, [{ stream: out.stream, format: 'JSON', includeRowtime: true, target: { kind: 'jsonl', path: '/tmp/x' } }]).script;
    expect(jsonl).toContain('(`ROWTIME` TIMESTAMP(3), `TICKER_SYMBOL`');
  });
});

describe('SqlJob --conf on a MiniCluster', () => {
  let jar: FlinkJar;
  let gw: RadosgwInstance;
  let s3: S3Client;
  const work = mkdtempSync(path.join(tmpdir(), 'flink-conf-'));

  beforeAll(async () => {
    jar = ensureFlinkJar(undefined, (s) => process.stderr.write(`${s}\n`));
    gw = await useRadosgw();
    s3 = createS3Client({ endpoint: gw.endpoint, region: gw.region, credentials: { accessKeyId: gw.accessKeyId, secretAccessKey: gw.secretAccessKey } });
  }, 900_000);

  afterAll(async () => {
    s3?.destroy();
    await gw?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('refuses a --conf entry that is not key=value, saying which', async () => {
    const script = path.join(work, 'none.sql');
    writeFileSync(script, "SET 'table.local-time-zone' = 'UTC';\n");
    const r = await runFlinkScript(jar, script, 1, undefined, { jvmFlags: [], conf: {} });
    expect(r.code, r.stderr).toBe(0);
    const bad = await runFlinkScript(jar, script, 1, undefined, { jvmFlags: ['-Dignored=1'], conf: { '': 'novalue' } });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('--conf must be key=value, got: =novalue');
  }, 120_000);

  it('writes rows through s3:// to radosgw with the endpoint, path style and keys given as --conf', async () => {
    const bucket = `flink-conf-${Date.now()}`;
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const script = path.join(work, 's3.sql');
    writeFileSync(script, [
      "CREATE TEMPORARY TABLE src (k STRING, n INT) WITH ('connector' = 'datagen', 'number-of-rows' = '5', 'fields.k.length' = '3', 'fields.n.kind' = 'sequence', 'fields.n.start' = '1', 'fields.n.end' = '5')",
      `CREATE TEMPORARY TABLE out_s3 (k STRING, n INT) WITH ('connector' = 'filesystem', 'path' = 's3://${bucket}/rows/', 'format' = 'json')`,
      'INSERT INTO out_s3 SELECT k, n FROM src',
    ].join(';\n') + ';\n');
    const conf = { 's3.endpoint': gw.endpoint, 's3.path.style.access': 'true', 's3.access-key': gw.accessKeyId, 's3.secret-key': gw.secretAccessKey, 'execution.checkpointing.interval': '1 s' };
    const r = await runFlinkScript(jar, script, 1, undefined, { jvmFlags: [], conf });
    expect(r.code, r.stderr.slice(-4000)).toBe(0);
    const rows = await readNdjsonRows(s3, bucket, 'rows/');
    expect(rows.map((x) => x.row.n).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(rows.every((x) => typeof x.row.k === 'string' && (x.row.k as string).length === 3)).toBe(true);
  }, 180_000);
});
