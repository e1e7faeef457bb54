// Takes docs/studio.png: the studio on the ticker example after a few windows, in headless chromium.
//   node --import tsx scripts/studio-screenshot.ts [seconds=35]
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { loadApplicationDefinition } from '../src/app/definition/index.js';
import { startStudio } from '../src/studio/server/studio-server.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const seconds = Number(process.argv[2] ?? 35);
const work = mkdtempSync(path.join(tmpdir(), 'studio-shot-'));
cpSync(path.join(root, 'examples', 'ticker'), path.join(work, 'ticker'), { recursive: true });
const studio = await startStudio(loadApplicationDefinition(path.join(work, 'ticker')), { seed: 7 });
const context = await chromium.launchPersistentContext(path.join(work, 'profile'), {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1440, height: 900 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(studio.url);
  await page.waitForTimeout(seconds * 1000);
  await page.screenshot({ path: path.join(root, 'docs', 'studio.png') });
  console.log(`wrote ${path.join(root, 'docs', 'studio.png')}`);
} finally {
  await context.close();
  await studio.close();
  rmSync(work, { recursive: true, force: true });
}
