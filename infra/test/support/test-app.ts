/**
 * Builds the app the infra tests look at: the five stacks over the test fixtures (trivial Lambda handlers and
 * a small ticker application under infra/test/fixtures), with the same context (feature flags) as cdk.json.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, type Stack } from 'aws-cdk-lib';
import { loadApplicationDefinition } from '../../lib/application-definition.js';
import { buildStreamingAnalyticsApp, type StreamingAnalyticsConfig, type StreamingAnalyticsStacks } from '../../lib/build-app.js';
import { translateForMsf } from '../../lib/flink-translator.js';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const fixturesDir = join(projectRoot, 'infra', 'test', 'fixtures');
export const fixtureBundleDir = join(fixturesDir, 'lambda');
export const fixtureAppDir = join(fixturesDir, 'ticker-app');
/** A stand-in for the Flink job jar (a jar with only a manifest): the infra tests check what is deployed, not the job. */
export const fixtureFlinkJar = join(fixturesDir, 'flink', 'stand-in-job.jar');

/** The "context" of cdk.json (feature flags and defaults), so tests synthesize what the CLI synthesizes. */
export function cdkJsonContext(): Record<string, unknown> {
  return JSON.parse(readFileSync(join(projectRoot, 'cdk.json'), 'utf8')).context;
}

export const TEST_STACK_NAME = 'satest';

export function testConfig(overrides: Partial<StreamingAnalyticsConfig> = {}): StreamingAnalyticsConfig {
  return {
    projectName: 'sa-test',
    stackName: TEST_STACK_NAME,
    applicationName: 'ticker',
    application: loadApplicationDefinition(fixtureAppDir),
    preprocessorCodePath: join(fixtureBundleDir, 'preprocessor'),
    analyticsCodePath: join(fixtureBundleDir, 'analytics'),
    nag: false,
    ...overrides,
  };
}

/** A fresh app with the five stacks. `outdir` defaults to a temp folder chosen by CDK. */
export function buildTestApp(overrides: Partial<StreamingAnalyticsConfig> = {}, outdir?: string): { app: App; stacks: StreamingAnalyticsStacks } {
  const app = new App({ context: cdkJsonContext(), ...(outdir ? { outdir } : {}) });
  return { app, stacks: buildStreamingAnalyticsApp(app, testConfig(overrides)) };
}

/** The same app with `engine: 'flink'`: the StreamingApp stack is the MSF application. */
export function buildFlinkTestApp(overrides: Partial<StreamingAnalyticsConfig> = {}, outdir?: string): { app: App; stacks: StreamingAnalyticsStacks } {
  return buildTestApp({ engine: 'flink', flinkJarPath: fixtureFlinkJar, translateApplication: translateForMsf, ...overrides }, outdir);
}

export function allStacks(stacks: StreamingAnalyticsStacks): Stack[] {
  return [stacks.analyticsBucket, stacks.codeBucket, stacks.inputStream, stacks.preprocessor, stacks.streamingApp];
}

/** Asset hashes change with the bundle bytes and the CDK version; the snapshot masks them. */
export function maskAssetHashes(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value).replace(/[0-9a-f]{64}/g, '<asset-hash>'));
}

