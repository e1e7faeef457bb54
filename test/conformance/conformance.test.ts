/**
 * Runs every conformance case through the real command line (`node bin/streaming-analytics.js replay`, which
 * imports dist/: `npm test` builds first) and compares the output with the case's `expect`.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type CaseFile, checkCase } from './compare-rows.js';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const casesDir = path.join(projectRoot, 'test', 'fixtures', 'conformance', 'cases');
const sharedCases = path.resolve(projectRoot, '..', 'shared', 'conformance', 'cases');
const bin = path.join(projectRoot, 'bin', 'streaming-analytics.js');

/**
 * Cases of the follow-up issue still pending (analytics functions, log parsers). join-, reference- and tsort-
 * cases are done and required like every other case.
 */
const FOLLOW_UP_PREFIXES = ['analytics-', 'logparse-'];
const PENDING_FOLLOW_UP_CASES = [
  'analytics-hotspots-pass-through.json',
  'analytics-rcf-pass-through.json',
  'analytics-rcf-with-explanation-pass-through.json',
  'analytics-topk-items-tumbling.json',
  'logparse-fast-regex.json',
  'logparse-regex.json',
  'logparse-w3c-common.json',
];

const allCases = readdirSync(casesDir).filter((f) => f.endsWith('.json')).sort();
const followUp = allCases.filter((f) => FOLLOW_UP_PREFIXES.some((p) => f.startsWith(p)));
const inScope = allCases.filter((f) => !followUp.includes(f));

/**
 * Runs one case through the CLI without blocking the worker (a blocked worker misses vitest's RPC deadlines
 * on a loaded machine, which vitest reports as an unhandled error).
 */
function runCase(file: string): Promise<string | null> {
  const full = path.join(casesDir, file);
  const c = JSON.parse(readFileSync(full, 'utf8')) as CaseFile;
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, 'replay', full], { encoding: 'utf8', timeout: 60_000, maxBuffer: 256 << 20 }, (error, stdout, stderr) => {
      const status = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      if (error !== null && status === null) resolve(`could not run: ${error.message}`);
      else resolve(checkCase(c, status, stdout, stderr));
    });
  });
}

describe('conformance cases in scope (core engine, joins, reference data, T-sort)', () => {
  it('has cases to run', () => {
    expect(inScope.length).toBeGreaterThan(50);
  });
  for (const file of inScope) {
    it(file, async () => {
      expect(await runCase(file)).toBeNull();
    }, 90_000);
  }
});

describe('PENDING: follow-up cases (issue 4: analytics-, logparse-) are not required to pass yet', () => {
  it('the set of follow-up case files is exactly the pending list', () => {
    expect(followUp).toEqual(PENDING_FOLLOW_UP_CASES);
  });
  it('reports how many follow-up cases pass today (informational; each failure is listed)', async () => {
    const results: { f: string; why: string | null }[] = [];
    for (const f of followUp) results.push({ f, why: await runCase(f) });
    const passing = results.filter((r) => r.why === null).length;
    process.stdout.write(`\nPENDING follow-up cases: ${passing} of ${followUp.length} pass\n` + results.filter((r) => r.why).map((r) => `  pending ${r.f}: ${r.why}\n`).join(''));
    expect(results.length).toBe(PENDING_FOLLOW_UP_CASES.length);
  }, 600_000);
});

describe('fixture copies of the conformance cases', () => {
  it.skipIf(!existsSync(sharedCases))(`equal ../shared/conformance/cases (skipped only when ${sharedCases} is absent)`, () => {
    const shared = readdirSync(sharedCases).filter((f) => f.endsWith('.json')).sort();
    expect(allCases).toEqual(shared);
    for (const f of shared) {
      expect(readFileSync(path.join(casesDir, f), 'utf8'), f).toBe(readFileSync(path.join(sharedCases, f), 'utf8'));
    }
  });
});

describe('run-cases.mjs from ../shared/conformance', () => {
  const runner = path.resolve(sharedCases, '..', 'run-cases.mjs');
  it.skipIf(!existsSync(runner))(`passes over every in-scope case (skipped only when ${runner} is absent)`, () => {
    const r = spawnSync(process.execPath, [runner, '--cmd', `${process.execPath} ${bin} replay`, ...inScope.map((f) => path.join(casesDir, f))], {
      encoding: 'utf8',
      timeout: 600_000,
      maxBuffer: 64 << 20,
    });
    expect(r.stdout).toContain(`${inScope.length} passed, 0 failed`);
    expect(r.status).toBe(0);
  });
});
