import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildFlinkTestApp, buildTestApp } from './support/test-app.js';

interface LintMatch { Level: string; Rule: { Id: string }; Message: string; Filename: string }

describe('cfn-lint over every synthesized template', () => {
  let outdir: string;
  let flinkOutdir: string;
  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), 'cfn-lint-'));
    buildTestApp({}, outdir).app.synth();
    flinkOutdir = mkdtempSync(join(tmpdir(), 'cfn-lint-flink-'));
    buildFlinkTestApp({}, flinkOutdir).app.synth();
  });

  it('finds no error in any of the five templates, with either engine', { timeout: 180_000 }, async () => {
    const version = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
    if (version.error || version.status !== 0) {
      throw new Error('cfn-lint is not installed (it is a Python tool): install it with `pip install cfn-lint` (or `pipx install cfn-lint`); .ci/run installs it through scripts/install-system-deps.sh');
    }
    const list = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.template.json')).map((f) => join(dir, f));
    expect(list(outdir)).toHaveLength(5);
    expect(list(flinkOutdir)).toHaveLength(5);
    // The Flink app differs in two templates only; lint those beside the Lambda app's five (one cfn-lint run).
    const templates = [...list(outdir), ...list(flinkOutdir).filter((f) => /(StreamingApp|CodeBucket)\.template\.json$/.test(f))];
    // cfn-lint exits non-zero for warnings too (bit 4); read its JSON instead of the exit code.
    const out = await new Promise<string>((done) => {
      execFile('cfn-lint', ['--format', 'json', ...templates], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }, (_error, stdout) => done(stdout));
    });
    const matches = JSON.parse(out) as LintMatch[];
    const errors = matches.filter((m) => m.Level === 'Error').map((m) => `${m.Rule.Id} ${m.Filename}: ${m.Message}`);
    expect(errors).toEqual([]);
  });
});
