import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureAppDir, fixtureBundleDir, projectRoot } from './support/test-app.js';

/** Runs the real CDK CLI offline, with its cache in a temp CDK_HOME. */
function cdk(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const env = {
    ...process.env,
    CDK_HOME: mkdtempSync(join(tmpdir(), 'cdk-home-')),
    CDK_DISABLE_CLI_TELEMETRY: 'true',
    CDK_DISABLE_VERSION_CHECK: '1',
    NPM_CONFIG_UPDATE_NOTIFIER: 'false',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  const r = spawnSync('npx', ['cdk', ...args, '--no-notices'], { cwd: projectRoot, env, encoding: 'utf8', timeout: 180_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const fixtures = ['-c', `bundleDir=${fixtureBundleDir}`, '-c', `applicationPath=${fixtureAppDir}`];
const ORDER = ['AnalyticsBucket', 'CodeBucket', 'InputStream', 'Preprocessor', 'StreamingApp'];

describe('the CDK CLI, offline', () => {
  it('`cdk ls` lists the five stacks in the seed order', () => {
    const r = cdk(['ls', ...fixtures, '-c', 'stackName=cli']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual(ORDER.map((id) => `${id} (cli-${id})`));
  });

  it('`cdk synth` writes the five templates and runs cdk-nag without a finding', () => {
    const out = mkdtempSync(join(tmpdir(), 'cdk-out-'));
    const r = cdk(['synth', '--quiet', '-o', out, ...fixtures]);
    expect(r.status, r.stderr).toBe(0);
    for (const id of ORDER) expect(existsSync(join(out, `${id}.template.json`)), id).toBe(true);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.artifacts.StreamingApp.dependencies).toEqual(expect.arrayContaining(['AnalyticsBucket', 'CodeBucket', 'InputStream', 'Preprocessor']));
  });

  it('fails with a hint to build when the Lambda bundles are missing', () => {
    const r = cdk(['ls', '-c', `bundleDir=${mkdtempSync(join(tmpdir(), 'no-bundles-'))}`, '-c', `applicationPath=${fixtureAppDir}`]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/The Lambda bundle .*preprocessor\/index\.mjs is missing: run `npm run build` first/);
  });

  it('fails on a mistyped context key, suggesting the right one', () => {
    const r = cdk(['ls', ...fixtures, '-c', 'shardCuont=2']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/context shardCuont: is not a setting of this app; did you mean "shardCount"\?/);
  });
});
