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
