/**
 * Engine cases in the conformance case format, beyond the shared set (test/fixtures/conformance-engine): each
 * runs through the real command line (`replay`, from dist/) and is compared with its `expect`, as the shared
 * cases are.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type CaseFile, checkCase } from './compare-rows.js';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const casesDir = path.join(projectRoot, 'test', 'fixtures', 'conformance-engine');
const bin = path.join(projectRoot, 'bin', 'streaming-analytics.js');
const cases = readdirSync(casesDir).filter((f) => f.endsWith('.json')).sort();

function replay(file: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'replay', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

describe('engine conformance cases', () => {
  it('has cases', () => {
    expect(cases.length).toBeGreaterThan(0);
  });
  for (const file of cases) {
    it(file, async () => {
      const full = path.join(casesDir, file);
      const c = JSON.parse(readFileSync(full, 'utf8')) as CaseFile;
      const r = await replay(full);
      expect(checkCase(c, r.status, r.stdout, r.stderr)).toBeNull();
    }, 90_000);
  }
});
