// npm run build — bundles each Lambda handler with esbuild into build/lambda/<name>/index.mjs (ESM, Node 24,
// the nodejs24.x runtime), ready to zip or hand to CDK as an asset. To add a handler, add a line to
// LAMBDA_ENTRIES: the entry module must export `handler`.
//
// Usage: node --import tsx scripts/build-lambdas.ts [--out-dir build/lambda] [--only name[,name]]
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

export interface LambdaEntry {
  /** Folder name under the output directory; the deployed function's code. */
  name: string;
  /** Module (relative to the project root) that exports `handler`. */
  entry: string;
  /**
   * Bundle the AWS SDK v3 instead of using the runtime's copy: for handlers that call AWS services, so that the
   * client versions are the ones the project tested (package-lock), not whatever the runtime ships that day.
   */
  bundleAwsSdk?: boolean;
}

export const LAMBDA_ENTRIES: readonly LambdaEntry[] = [
  { name: 'preprocessor', entry: 'src/lambda/entry/preprocessor.ts' },
  { name: 'deaggregator', entry: 'src/lambda/entry/deaggregator.ts' },
  { name: 'analytics', entry: 'src/lambda/entry/analytics.ts', bundleAwsSdk: true },
];

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface BuiltLambda {
  name: string;
  file: string;
  bytes: number;
}

/**
 * Bundles the given handlers. The AWS SDK v3 is marked external unless the entry says `bundleAwsSdk`: the
 * nodejs24.x runtime provides it (and the KPL handlers do not import it); everything else (Powertools, this
 * project's code) is inside the bundle.
 */
export async function buildLambdas(options: { outDir?: string; entries?: readonly LambdaEntry[] } = {}): Promise<BuiltLambda[]> {
  const outDir = path.resolve(PROJECT_ROOT, options.outDir ?? path.join('build', 'lambda'));
  const built: BuiltLambda[] = [];
  for (const { name, entry, bundleAwsSdk } of options.entries ?? LAMBDA_ENTRIES) {
    const dir = path.join(outDir, name);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, 'index.mjs');
    const result = await build({
      absWorkingDir: PROJECT_ROOT,
      entryPoints: [path.join(PROJECT_ROOT, entry)],
      outfile: file,
      bundle: true,
      platform: 'node',
      target: 'node24',
      format: 'esm',
      sourcemap: 'linked',
      legalComments: 'eof',
      external: bundleAwsSdk ? [] : ['@aws-sdk/*', '@smithy/*'],
      // Bundled CommonJS code may call require() for Node built-ins; give ESM output a require.
      banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
      metafile: true,
      logLevel: 'warning',
    });
    built.push({ name, file, bytes: result.metafile.outputs[path.relative(PROJECT_ROOT, file)]?.bytes ?? 0 });
  }
  return built;
}

function argument(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const only = argument('only')?.split(',');
  const entries = only ? LAMBDA_ENTRIES.filter((e) => only.includes(e.name)) : LAMBDA_ENTRIES;
  if (only && entries.length !== only.length) {
    console.error(`unknown handler in --only ${only.join(',')}; known: ${LAMBDA_ENTRIES.map((e) => e.name).join(', ')}`);
    process.exit(2);
  }
  const built = await buildLambdas({ outDir: argument('out-dir'), entries });
  for (const b of built) console.log(`${b.name}: ${path.relative(process.cwd(), b.file)} (${(b.bytes / 1024).toFixed(0)} KiB)`);
}
