/**
 * The studio in a real browser: Debian's chromium, headless, driven by playwright-core. The page loads the ticker
 * example; SQL with an error is typed and marked at its line and column; the fix is saved, the application
 * restarts, and rows and a chart appear. The server refuses every request without the token and is not reachable
 * on any interface but 127.0.0.1. A screenshot is written to output/studio-test/studio.png.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadApplicationDefinition } from '../../src/app/definition/index.js';
import { startStudio, type Studio } from '../../src/studio/server/studio-server.js';

// The functions passed to page.waitForFunction and page.evaluate run in the page (the page's CSP forbids string
// evaluation); these are the few browser globals they use, declared for this file only.
declare const document: { querySelector(selector: string): { textContent: string | null; disabled?: boolean } | null };
declare function requestAnimationFrame(callback: (now: number) => void): number;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const screenshotDir = path.join(root, 'output', 'studio-test');

let studio: Studio;
let context: BrowserContext;
let page: Page;
let work: string;

/** A GET with node:http (no token unless given in `path` or headers); resolves to the status code. */
function get(port: number, p: string, headers: Record<string, string> = {}, host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path: p, headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
      res.destroy();
    });
    req.on('error', reject);
    req.end();
  });
}

/** Whether a TCP connection to address:port is accepted. */
function reachable(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: address, port, timeout: 2000 });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
    s.once('timeout', () => (s.destroy(), resolve(false)));
  });
}

/** Replaces the editor's whole text by typing, as a user would (select all, then type). */
async function typeSql(sql: string): Promise<void> {
  await page.click('.cm-content');
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(sql);
}

describe('studio in headless chromium', () => {
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM}: install Debian's chromium package (scripts/install-system-deps.sh does)`);
    // The page is served from the bundle; build it from the current sources so the test never sees a stale one.
    const { buildStudio } = (await import(path.join(root, 'scripts', 'build-studio.mjs'))) as { buildStudio: (outdir?: string) => Promise<void> };
    work = mkdtempSync(path.join(tmpdir(), 'studio-test-'));
    const assetsDir = path.join(work, 'assets');
    await buildStudio(assetsDir);
    // A copy of the ticker example: saving writes the SQL file, and the example in the repository must not change.
    cpSync(path.join(root, 'examples', 'ticker'), path.join(work, 'ticker'), { recursive: true });
    const def = loadApplicationDefinition(path.join(work, 'ticker'));
    // 4,000 records/s, so that a pass-through stream below carries thousands of rows a second to the page.
    studio = await startStudio(def, { assetsDir, seed: 42, produceRate: 4000 });
    context = await chromium.launchPersistentContext(path.join(work, 'profile'), { executablePath: CHROMIUM, headless: true, args: FLAGS });
    page = context.pages()[0] ?? (await context.newPage());
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await studio?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('refuses every request without the token, or with a wrong one', async () => {
    const wrong = 'x'.repeat(studio.token.length);
    for (const p of ['/', '/assets/studio.js', '/api/state', '/api/events']) {
      expect(await get(studio.port, p), p).toBe(403);
      expect(await get(studio.port, `${p}?token=${wrong}`), p).toBe(403);
      expect(await get(studio.port, p, { 'x-studio-token': wrong }), p).toBe(403);
    }
    expect(await get(studio.port, '/api/state', { 'x-studio-token': studio.token })).toBe(200);
    expect(await get(studio.port, `/?token=${studio.token}`)).toBe(200);
    // The right token under a foreign Host name (a DNS-rebinding page) is refused too.
    expect(await get(studio.port, `/?token=${studio.token}`, { host: `evil.example:${studio.port}` })).toBe(403);
  });

  it('listens on 127.0.0.1 only', async () => {
    expect(studio.url.startsWith(`http://127.0.0.1:${studio.port}/`)).toBe(true);
    expect(await reachable('127.0.0.1', studio.port)).toBe(true);
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a !== undefined && a.address !== '127.0.0.1')
      .map((a) => a!.address);
    // ::1 is always there to try, whatever else the machine has.
    for (const address of new Set(['::1', ...others])) expect(await reachable(address, studio.port), address).toBe(false);
  });

  it('marks an SQL error at its line and column, then runs the fixed SQL: rows and a chart appear', async () => {
    const consoleErrors: string[] = [];
    page.on('console', (m) => void (m.type() === 'error' && consoleErrors.push(m.text())));
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    await page.goto(studio.url);
    await page.waitForSelector('.cm-editor .cm-content');
    const good = readFileSync(path.join(work, 'ticker', 'ticker.sql'), 'utf8');
    expect(await page.textContent('.cm-content')).toContain('CREATE OR REPLACE STREAM');

    // A typo in a column name on line 12 ("SELECT STREAM TICKER_SYMBOL" -> "TICKR_SYMBOL").
    const bad = good.replace('SELECT STREAM TICKER_SYMBOL', 'SELECT STREAM TICKR_SYMBOL');
    const lines = bad.split('\n');
    const line = lines.findIndex((l) => l.includes('TICKR_SYMBOL')) + 1;
    const column = lines[line - 1].indexOf('TICKR_SYMBOL') + 1;
    await typeSql(bad);
    const mark = await page.waitForSelector('.cm-lintRange-error', { timeout: 15_000 });
    expect(await mark.textContent()).toBe('TICKR_SYMBOL');
    expect(await page.textContent('#diagnostics')).toMatch(new RegExp(`^line ${line}, column ${column}: .*TICKR_SYMBOL`));
    expect(await page.isDisabled('#save')).toBe(true);

    await typeSql(good);
    await page.waitForSelector('.cm-lintRange-error', { state: 'detached', timeout: 15_000 });
    await page.waitForFunction(() => document.querySelector('#diagnostics')?.textContent === '');
    await page.click('#save');
    await page.waitForFunction(() => /restarted at the previous source position/.test(document.querySelector('#save-state')?.textContent ?? ''), undefined, { timeout: 20_000 });
    expect(readFileSync(path.join(work, 'ticker', 'ticker.sql'), 'utf8')).toBe(good);

    // A 10-second window closes within about 11 s of the restart; its rows fill the table and the charts.
    await page.waitForSelector('[data-stream="DESTINATION_SQL_STREAM"] tbody tr', { timeout: 40_000 });
    await page.waitForSelector('#charts .chart[data-column="AVG_PRICE"] canvas', { timeout: 20_000 });
    const firstRow = await page.$$eval('[data-stream="DESTINATION_SQL_STREAM"] tbody tr:first-child td', (tds) => tds.map((td) => td.textContent));
    expect(firstRow[0]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d0\.000$/); // ROWTIME: a window end
    expect(firstRow[1]).toMatch(/^[A-Z]{3,4}$/); // TICKER_SYMBOL
    expect(Number(firstRow[2])).toBeGreaterThan(0); // TRADE_COUNT
    const charts = await page.$$eval('#charts .chart', (els) => els.map((e) => e.getAttribute('data-column')));
    expect(charts).toEqual(['TRADE_COUNT', 'MIN_PRICE', 'MAX_PRICE', 'AVG_PRICE']);
    expect(await page.inputValue('#chart-key')).toBe('TICKER_SYMBOL');
    // One line per ticker (at most eight), named in the legend.
    expect(await page.$$eval('#charts .chart[data-column="AVG_PRICE"] .u-legend .u-series', (els) => els.length)).toBeGreaterThan(2);
    // The terminal's progress line.
    expect(await page.textContent('#progress')).toMatch(/^in \d+ rec\/s \(\d+\) {2}de-aggregated [\d.k]+\/s \([\d.k]+\) {2}rows out \d+ {2}windows \d+ {2}errors 0 {2}lag/);

    // The input tab: the declared schema and raw records beside their mapped rows.
    await page.click('#tabs button[data-tab="(input)"]');
    await page.waitForSelector('.input-view .samples tbody tr');
    expect(await page.textContent('.input-view .schema')).toContain('$.TICKER_SYMBOL');
    const sample = await page.$$eval('.input-view .samples tbody tr:first-child td', (tds) => tds.map((td) => td.textContent ?? ''));
    const raw = JSON.parse(sample[0]) as { TICKER_SYMBOL: string };
    expect(sample[1].startsWith(`${raw.TICKER_SYMBOL} | `)).toBe(true);
    await page.click('#tabs button[data-tab="DESTINATION_SQL_STREAM"]');

    mkdirSync(screenshotDir, { recursive: true });
    await page.screenshot({ path: path.join(screenshotDir, 'studio.png') });
    expect(consoleErrors, consoleErrors.join("\n")).toEqual([]);
  }, 120_000);

  it('keeps up with thousands of rows a second: a bounded table, drawn once per frame', async () => {
    const good = readFileSync(path.join(work, 'ticker', 'ticker.sql'), 'utf8');
    const passThrough = `${good}
CREATE OR REPLACE STREAM "ALL_TRADES" (TICKER_SYMBOL VARCHAR(4), PRICE REAL);
CREATE OR REPLACE PUMP "ALL_PUMP" AS INSERT INTO "ALL_TRADES" SELECT STREAM TICKER_SYMBOL, PRICE FROM "SOURCE_SQL_STREAM_001";
`;
    await typeSql(passThrough);
    await page.waitForFunction(() => document.querySelector('#diagnostics')?.textContent === '' && document.querySelector('#save')?.disabled === false);
    await page.click('#save');
    await page.waitForSelector('#tabs button[data-tab="ALL_TRADES"]', { timeout: 20_000 });
    await page.click('#tabs button[data-tab="ALL_TRADES"]');
    await page.waitForSelector('[data-stream="ALL_TRADES"] tbody tr', { timeout: 20_000 });
    const count = () => page.$eval('[data-stream="ALL_TRADES"] .row-count', (e) => Number((e.textContent ?? '').replace(/ row.*/, '').replace(/,/g, '')));
    const before = await count();
    // Frames the page draws in 3 s while the rows stream in: a page that froze would draw few or none.
    const frames = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          let n = 0;
          const start = performance.now();
          const tick = (now: number) => {
            n++;
            if (now - start < 3000) requestAnimationFrame(tick);
            else resolve(n);
          };
          requestAnimationFrame(tick);
        }),
    );
    const after = await count();
    const rate = (after - before) / 3;
    expect(rate).toBeGreaterThan(2000);
    expect(frames).toBeGreaterThan(30);
    // The table stays bounded whatever the rate.
    expect(await page.$$eval('[data-stream="ALL_TRADES"] tbody tr', (trs) => trs.length)).toBe(200);
    console.log(`studio page: ${Math.round(rate)} rows/s into ALL_TRADES, ${frames} frames in 3 s`);
  }, 60_000);
});
