/**
 * The CDK app: `npx cdk synth` / `npx cdk deploy --all` (cdk.json at the project root runs this file).
 * Inputs come from CDK context (see infra/README.md); the Lambda bundles from `npm run build`.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { loadApplicationDefinition } from '../lib/application-definition.js';
import { buildStreamingAnalyticsApp } from '../lib/build-app.js';
import { readContextConfig } from '../lib/context-config.js';
import { validateWithEngine } from '../lib/engine-validator.js';
import { translateForMsf } from '../lib/flink-translator.js';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Folder of the Lambda bundles; context `bundleDir` moves it (the infra tests point it at their fixtures). */
function bundle(bundleDir: string, name: string): string {
  const dir = resolve(projectRoot, bundleDir, name);
  if (!existsSync(join(dir, 'index.mjs'))) {
    throw new Error(`The Lambda bundle ${join(dir, 'index.mjs')} is missing: run \`npm run build\` first, then synth again.`);
  }
  return dir;
}

function main(): void {
  const app = new App();
  const { applicationPath, bundleDir, flinkJarPath, ...config } = readContextConfig(app.node);
  const preprocessorCodePath = bundle(bundleDir, 'preprocessor');
  const analyticsCodePath = bundle(bundleDir, 'analytics');
  buildStreamingAnalyticsApp(app, {
    ...config,
    application: loadApplicationDefinition(applicationPath, 'applicationPath', projectRoot),
    validateApplication: validateWithEngine,
    preprocessorCodePath,
    analyticsCodePath,
    ...(config.engine === 'flink' ? { flinkJarPath: resolve(projectRoot, flinkJarPath!), translateApplication: translateForMsf } : {}),
  });
  app.synth();
}

try {
  main();
} catch (error) {
  // One clear line for the CLI user instead of a stack trace through CDK internals.
  console.error(`streaming-analytics infra: ${(error as Error).message}`);
  process.exit(1);
}
