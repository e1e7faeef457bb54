/**
 * Runs every conformance case through the real command line (`node bin/streaming-analytics.js replay`, which
 * imports dist/: `npm test` builds first) and compares the output with the case's `expect`.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type CaseFile, checkCase } from './compare-rows.js';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const casesDir = path.join(projectRoot, 'test', 'fixtures', 'conformance', 'cases');
const sharedCases = path.resolve(projectRoot, '..', 'shared', 'conformance', 'cases');
const bin = path.join(projectRoot, 'bin', 'streaming-analytics.js');

const allCases = readdirSync(casesDir).filter((f) => f.endsWith('.json')).sort();
// Every case is required: the core engine's and those of joins, reference data, analytics functions, log
// parsers and T-sort alike.
const inScope = allCases;

/**
 * Runs node with `args` and collects its output. Asynchronous on purpose: a synchronous spawn blocks the test
 * worker's event loop, and a long one makes vitest's worker RPC time out.
 */
function runNode(args: readonly string[], timeoutMs: number): Promise<{ status: number | null; stdout: string; stderr: string; error?: Error }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ status: null, stdout, stderr, error });
    });
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

async function runCase(file: string): Promise<string | null> {
  const full = path.join(casesDir, file);
  const c = JSON.parse(readFileSync(full, 'utf8')) as CaseFile;
  const r = await runNode([bin, 'replay', full], 60_000);
  if (r.error) return `could not run: ${r.error.message}`;
  return checkCase(c, r.status, r.stdout, r.stderr);
}

describe('conformance cases (every case file)', () => {
  it('has cases to run', () => {
    expect(inScope.length).toBeGreaterThan(50);
  });
  for (const file of inScope) {
    it(file, async () => {
      expect(await runCase(file)).toBeNull();
    }, 90_000);
  }
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
  it.skipIf(!existsSync(runner))(`passes over every in-scope case (skipped only when ${runner} is absent)`, async () => {
    const r = await runNode([runner, '--cmd', `${process.execPath} ${bin} replay`, ...inScope.map((f) => path.join(casesDir, f))], 600_000);
    expect(r.stdout).toContain(`${inScope.length} passed, 0 failed`);
    expect(r.status).toBe(0);
    // One process per case: on a loaded 2-core machine that takes minutes, not the default 60 s.
  }, 600_000);
});
