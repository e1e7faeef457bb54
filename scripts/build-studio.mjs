// Bundles the studio's page (src/studio/web: CodeMirror 6, uPlot and our code) with esbuild into dist/studio-web/,
// so the package serves it with no CDN and no network at run time. `npm run build:ts` runs it after tsc.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Builds into `outdir` (default dist/studio-web); resolves when both files are written. */
export async function buildStudio(outdir = `${root}dist/studio-web`) {
  await build({
    entryPoints: { studio: `${root}src/studio/web/main.ts` },
    outdir,
    bundle: true,
    format: 'iife',
    target: 'es2020',
    minify: true,
    sourcemap: false,
    legalComments: 'linked',
    logLevel: 'warning',
    tsconfig: `${root}src/studio/web/tsconfig.json`,
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildStudio();
