// The deployable artifacts: `npm run build`'s esbuild bundles load in a plain Node process (no TypeScript, no
// node_modules beside them) and their `handler` answers real-shaped events.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { type BuiltLambda, LAMBDA_ENTRIES, PROJECT_ROOT, buildLambdas } from '../../scripts/build-lambdas.js';

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
});
