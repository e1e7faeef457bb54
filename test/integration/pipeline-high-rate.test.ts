// `run` on the embedded stream at a rate above what the machine sustains: the in-process producer keeps every
// PutRecords limit (5 MiB per request as well as 500 records), is throttled by the stream's cap instead of growing
// it, and the run stops by its duration with exit 0 and its commits made.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, stoppedMetrics, tickerDefinitionYaml } from '../support/pipeline-test-support.js';

const work = mkdtempSync(join(tmpdir(), 'pipeline-high-rate-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('run at a high --rate on the embedded stream', () => {
  it('250 000 records/s: no crash, no unhandled rejection, exit 0 after --duration with a checkpoint', async () => {
    // The ticker application on the embedded stream, its output in a temporary folder.
    const app = join(work, 'ticker.yaml');
    writeFileSync(app, tickerDefinitionYaml({ outputFolder: join(work, 'bucket'), bufferIntervalMs: 1000 }));
    const r = await runCli(['run', app, '--rate', '250000', '--duration', '4s', '--checkpoint-dir', join(work, 'ckpt'), '--json']);
    expect(r.code, r.stderr.slice(-3000)).toBe(0);
    const { reason, metrics } = stoppedMetrics(r.stderr);
    expect(reason).toBe('duration');
    expect(metrics.checkpoints).toBeGreaterThanOrEqual(1);
    expect(metrics.userRecords).toBeGreaterThan(10_000);
    expect(metrics.errors).toBe(0);
    expect(r.stderr).not.toMatch(/KinesisLimitError|Unhandled|\n\s+at /);
  }, 120_000);
});
