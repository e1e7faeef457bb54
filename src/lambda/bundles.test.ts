// The deployable artifacts: `npm run build`'s esbuild bundles load in a plain Node process (no TypeScript, no
// node_modules beside them) and their `handler` answers real-shaped events.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { type BuiltLambda, LAMBDA_ENTRIES, PROJECT_ROOT, buildLambdas } from '../../scripts/build-lambdas.js';
import { ERR, OUT, T0, localRows, tickerEnvironment, tickerSpecs } from '../../test/support/analytics-harness.js';
import { startDynalite } from '../../test/support/dynalite-server.js';
import { startFirehoseServer } from '../../test/support/firehose-server.js';
import { ShardWriter, esmEvent } from '../../test/support/kinesis-esm-events.js';
import { TickerGenerator } from '../app/ticker/ticker-generator.js';

const outDir = mkdtempSync(path.join(os.tmpdir(), 'lambda-bundles-'));
// Built once for the file. Not in beforeAll: a build error there only marks the tests skipped; awaited in each
// test it fails them with esbuild's message.
let building: Promise<BuiltLambda[]> | undefined;
const bundles = () => (building ??= buildLambdas({ outDir }));

/** Runs `handler(event)` of a bundle in a fresh Node process, from a directory with no node_modules. */
function invoke(bundle: string, event: unknown): { result: unknown; stdout: string } {
  const script = `
    const { handler } = await import(${JSON.stringify(pathToFileURL(bundle).href)});
    const result = await handler(JSON.parse(process.env.EVENT));
    process.stdout.write('\\nRESULT ' + JSON.stringify(result) + '\\n');`;
  const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: outDir,
    env: { PATH: process.env.PATH, EVENT: JSON.stringify(event), POWERTOOLS_METRICS_NAMESPACE: 'BundleTest' },
    encoding: 'utf8',
  });
  const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
  return { result: JSON.parse(line!.slice('RESULT '.length)), stdout };
}

/**
 * Runs `handler` of a bundle on each event in turn, in one fresh Node process (so its cold start happens once),
 * without blocking this process: the local servers the bundle talks to run here.
 */
function invokeAll(bundle: string, events: unknown[], env: Record<string, string>): Promise<unknown[]> {
  const script = `
    const { handler } = await import(${JSON.stringify(pathToFileURL(bundle).href)});
    const results = [];
    for (const event of JSON.parse(process.env.EVENTS)) results.push(await handler(event));
    process.stdout.write('\\nRESULTS ' + JSON.stringify(results) + '\\n');`;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--input-type=module', '-e', script], {
      cwd: outDir,
      env: { PATH: process.env.PATH, EVENTS: JSON.stringify(events), POWERTOOLS_METRICS_NAMESPACE: 'BundleTest', ...env },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`${error.message}\n${stderr}`));
      const line = stdout.split('\n').find((l) => l.startsWith('RESULTS '));
      resolve(JSON.parse(line!.slice('RESULTS '.length)) as unknown[]);
    });
  });
}

const fixture = (name: string) => JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'test', 'fixtures', 'lambda', name), 'utf8')) as unknown;

describe('Lambda bundles', () => {
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('builds one index.mjs per handler in the table', async () => {
    const built = await bundles();
    expect(built.map((b) => path.relative(outDir, b.file))).toEqual(LAMBDA_ENTRIES.map((e) => path.join(e.name, 'index.mjs')));
    for (const b of built) expect(b.bytes).toBeGreaterThan(1000);
  });

  it('preprocessor: the bundle loads and answers a KDA event', async () => {
    await bundles();
    const event = fixture('kda-preprocessing-mixed.json') as { records: { recordId: string }[] };
    const { result, stdout } = invoke(path.join(outDir, 'preprocessor', 'index.mjs'), event);
    const records = (result as { records: { recordId: string; result: string }[] }).records;
    expect(records.map((r) => r.recordId)).toEqual(event.records.map((r) => r.recordId));
    expect(records.map((r) => r.result)).toEqual(['Ok', 'Ok', 'ProcessingFailed', 'ProcessingFailed', 'ProcessingFailed', 'Ok']);
    expect(stdout).toContain('"Namespace":"BundleTest"');
  });

  it('deaggregator: the bundle loads and reports the failed record of a Kinesis event', async () => {
    await bundles();
    const event = fixture('kinesis-esm-corrupt-aggregate.json') as { Records: { kinesis: { sequenceNumber: string } }[] };
    const { result } = invoke(path.join(outDir, 'deaggregator', 'index.mjs'), event);
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: event.Records[1].kinesis.sequenceNumber }] });
  });

  it('analytics: the bundle (AWS SDK inside) loads, keeps state in DynamoDB and delivers rows to Firehose', async () => {
    // GIVEN dynalite and a Firehose protocol server on 127.0.0.1, reached through AWS_ENDPOINT_URL_<SERVICE>
    const db = await startDynalite();
    const firehose = await startFirehoseServer();
    try {
      await db.createStateTable('bundle-state');
      const gen = new TickerGenerator({ seed: 3, tickers: 3 });
      const specs = [...tickerSpecs(gen, 4, T0 + 100, 2000), ...tickerSpecs(gen, 1, T0 + 10_100, 1000)];
      const records = new ShardWriter('shardId-000000000000').records(specs);
      const env = {
        ...tickerEnvironment('bundle-state'),
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'testkey',
        AWS_SECRET_ACCESS_KEY: 'testsecret',
        AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
        AWS_ENDPOINT_URL_FIREHOSE: firehose.endpoint,
      };
      // WHEN two batches (the second closes the first window) and the same second batch again
      const results = await invokeAll(path.join(outDir, 'analytics', 'index.mjs'), [esmEvent(records.slice(0, 3)), esmEvent(records.slice(3)), esmEvent(records.slice(3))], env);
      // THEN each succeeds, and the window's rows reach Firehose once, as the local runtime computes them
      expect(results).toEqual([{ batchItemFailures: [] }, { batchItemFailures: [] }, { batchItemFailures: [] }]);
      const rows = firehose.lines(OUT).map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(rows.length).toBeGreaterThan(0);
      expect(rows).toEqual(localRows(specs, T0 + 10_100).rows);
      expect(firehose.lines(ERR)).toEqual([]);
    } finally {
      await firehose.stop();
      await db.stop();
    }
  });
});
