/**
 * Runs every conformance case through the real command line (`node bin/streaming-analytics.js replay`, which
 * imports dist/: `npm test` builds first) and compares the output with the case's `expect`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type CaseFile, checkCase } from './compare-rows.js';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const casesDir = path.join(projectRoot, 'test', 'fixtures', 'conformance', 'cases');
const sharedCases = path.resolve(projectRoot, '..', 'shared', 'conformance', 'cases');
const bin = path.join(projectRoot, 'bin', 'streaming-analytics.js');

/** Cases of the follow-up issue (joins, reference data, analytics functions, log parsers, T-sort). */
const FOLLOW_UP_PREFIXES = ['join-', 'reference-', 'analytics-', 'logparse-', 'tsort-'];
const PENDING_FOLLOW_UP_CASES = [
  'join-left-outer-unmatched-at-window-end.json',
  'join-orders-trades-inline-and-named-window.json',
  'join-window-both-sides-inner.json',
  'join-window-one-side-inner.json',
  'join-window-one-side-right-outer.json',
  'reference-inner-join.json',
  'reference-left-join.json',
];

const allCases = readdirSync(casesDir).filter((f) => f.endsWith('.json')).sort();
// Follow-up cases leave the pending list as they pass; from then on they are required like the core ones.
const followUp = allCases.filter((f) => FOLLOW_UP_PREFIXES.some((p) => f.startsWith(p)) && PENDING_FOLLOW_UP_CASES.includes(f));
const inScope = allCases.filter((f) => !followUp.includes(f));

function runCase(file: string): string | null {
  const full = path.join(casesDir, file);
  const c = JSON.parse(readFileSync(full, 'utf8')) as CaseFile;
  const r = spawnSync(process.execPath, [bin, 'replay', full], { encoding: 'utf8', timeout: 60_000, maxBuffer: 256 << 20 });
  if (r.error) return `could not run: ${r.error.message}`;
  return checkCase(c, r.status, r.stdout, r.stderr);
}

describe('conformance cases in scope of the core engine (issue 3)', () => {
  it('has cases to run', () => {
    expect(inScope.length).toBeGreaterThan(50);
  });
  for (const file of inScope) {
    it(file, () => {
      expect(runCase(file)).toBeNull();
    });
  }
});

describe('PENDING: follow-up cases (issue 4: join-, reference-, analytics-, logparse-, tsort-) are not required to pass yet', () => {
  it('every pending case is a follow-up case file that exists', () => {
    expect(followUp).toEqual(PENDING_FOLLOW_UP_CASES);
  });
  it('reports how many follow-up cases pass today (informational; each failure is listed)', () => {
    const results = followUp.map((f) => ({ f, why: runCase(f) }));
    const passing = results.filter((r) => r.why === null).length;
    process.stdout.write(`\nPENDING follow-up cases: ${passing} of ${followUp.length} pass\n` + results.filter((r) => r.why).map((r) => `  pending ${r.f}: ${r.why}\n`).join(''));
    expect(results.length).toBe(PENDING_FOLLOW_UP_CASES.length);
  });
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
    // One process per case: on a loaded 2-core machine that takes minutes, not the default 60 s.
  }, 600_000);
});
