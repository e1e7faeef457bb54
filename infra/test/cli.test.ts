import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureAppDir, fixtureBundleDir, fixtureFlinkJar, projectRoot } from './support/test-app.js';

/** Runs the real CDK CLI offline, with its cache in a temp CDK_HOME (asynchronously: a synth takes seconds). */
function cdk(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const env = {
    ...process.env,
    CDK_HOME: mkdtempSync(join(tmpdir(), 'cdk-home-')),
    CDK_DISABLE_CLI_TELEMETRY: 'true',
    CDK_DISABLE_VERSION_CHECK: '1',
    NPM_CONFIG_UPDATE_NOTIFIER: 'false',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  return new Promise((done) => {
    execFile('npx', ['cdk', ...args, '--no-notices'], { cwd: projectRoot, env, encoding: 'utf8', timeout: 240_000 }, (error, stdout, stderr) => {
      done({ status: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

const CLI_TIMEOUT_MS = 300_000;

const fixtures = ['-c', `bundleDir=${fixtureBundleDir}`, '-c', `applicationPath=${fixtureAppDir}`];
const ORDER = ['AnalyticsBucket', 'CodeBucket', 'InputStream', 'Preprocessor', 'StreamingApp'];

describe('the CDK CLI, offline', { timeout: CLI_TIMEOUT_MS }, () => {
  it('`cdk ls` lists the five stacks in the seed order', async () => {
    const r = await cdk(['ls', ...fixtures, '-c', 'stackName=cli']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual(ORDER.map((id) => `${id} (cli-${id})`));
  });

  it('`cdk synth` writes the five templates and runs cdk-nag without a finding', async () => {
    const out = mkdtempSync(join(tmpdir(), 'cdk-out-'));
    const r = await cdk(['synth', '--quiet', '-o', out, ...fixtures]);
    expect(r.status, r.stderr).toBe(0);
    for (const id of ORDER) expect(existsSync(join(out, `${id}.template.json`)), id).toBe(true);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.artifacts.StreamingApp.dependencies).toEqual(expect.arrayContaining(['AnalyticsBucket', 'CodeBucket', 'InputStream', 'Preprocessor']));
  });

  it('`cdk synth -c engine=flink` writes the five templates, StreamingApp an MSF application, and runs cdk-nag without a finding', async () => {
    const out = mkdtempSync(join(tmpdir(), 'cdk-out-flink-'));
    const r = await cdk(['synth', '--quiet', '-o', out, ...fixtures, '-c', 'engine=flink', '-c', `flinkJarPath=${fixtureFlinkJar}`, '-c', 'parallelism=2']);
    expect(r.status, r.stderr).toBe(0);
    for (const id of ORDER) expect(existsSync(join(out, `${id}.template.json`)), id).toBe(true);
    const app = JSON.parse(readFileSync(join(out, 'StreamingApp.template.json'), 'utf8')).Resources.Application;
    expect(app.Type).toBe('AWS::KinesisAnalyticsV2::Application');
    expect(app.Properties.RuntimeEnvironment).toBe('FLINK-1_20');
    expect(app.Properties.ApplicationConfiguration.FlinkApplicationConfiguration.ParallelismConfiguration.Parallelism).toBe(2);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.artifacts.StreamingApp.dependencies).not.toContain('Preprocessor');
  });

  it('fails with a hint to build when the Lambda bundles are missing', async () => {
    const r = await cdk(['ls', '-c', `bundleDir=${mkdtempSync(join(tmpdir(), 'no-bundles-'))}`, '-c', `applicationPath=${fixtureAppDir}`]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/The Lambda bundle .*preprocessor\/index\.mjs is missing: run `npm run build` first/);
  });

  it('fails on a mistyped context key, suggesting the right one', async () => {
    const r = await cdk(['ls', ...fixtures, '-c', 'shardCuont=2']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/context shardCuont: is not a setting of this app; did you mean "shardCount"\?/);
  });
});
