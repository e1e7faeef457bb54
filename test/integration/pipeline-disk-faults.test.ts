// Disk faults of the local host, run as a user would meet them: a checkpoint folder on a full file system (a small
// tmpfs), damaged checkpoint files, and paths blocked by a file. Each stops the run with a typed message naming
// the file and no stack trace; a full disk leaves the previous checkpoint intact, and once space is freed the run
// resumes and delivers exactly the rows of an uninterrupted run.
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBucketRows, runCli, stoppedMetrics, tickerDefinitionYaml, writeTickerReplayFile } from '../support/pipeline-test-support.js';

const work = mkdtempSync(join(tmpdir(), 'pipeline-disk-faults-'));
const mounts: string[] = [];
afterAll(() => {
  for (const m of mounts) execFileSync('umount', [m]);
  rmSync(work, { recursive: true, force: true });
});

const input = join(work, 'ticker.ndjson');
let reference: string[] = [];

function rows(folder: string): string[] {
  return readBucketRows(folder, (key) => !key.startsWith('errors/')).map((r) => JSON.stringify(r)).sort();
}

function app(name: string): { file: string; out: string } {
  const out = join(work, `${name}-bucket`);
  const file = join(work, `${name}.yaml`);
  writeFileSync(file, tickerDefinitionYaml({ outputFolder: out }));
  return { file, out };
}

beforeAll(async () => {
  // 40 s of arrival times at 100 user records/s: 4 000 records, 4 windows of 20 tickers.
  await writeTickerReplayFile(input, { records: 4_000, rate: 100, seed: 5, startAt: Date.UTC(2026, 0, 5, 9, 59, 40), tickers: 20 });
  const ref = app('reference');
  const r = await runCli(['run', ref.file, '--source', `file://${input}`, '--checkpoint-dir', join(work, 'reference-ckpt'), '--json']);
  expect(r.code, r.stderr).toBe(0);
  reference = rows(ref.out);
  expect(reference.length).toBeGreaterThanOrEqual(3 * 20);
}, 120_000);

/** Fills the file system of `dir`, then frees `leaveBytes`: less room than a checkpoint needs. */
function fillDisk(dir: string, leaveBytes: number): string {
  const filler = join(dir, 'filler');
  const fd = openSync(filler, 'w');
  const chunk = Buffer.alloc(4096, 1);
  let size = 0;
  try {
    for (;;) {
      const n = writeSync(fd, chunk);
      size += n;
      if (n < chunk.length) break;
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
  } finally {
    closeSync(fd);
  }
  truncateSync(filler, Math.max(0, size - leaveBytes));
  return filler;
}

describe('disk faults', () => {
  it('a full disk: exit 1 naming the checkpoint file and the cause, previous checkpoint intact; after freeing space the same rows as an uninterrupted run', async (ctx) => {
    const ckpt = join(work, 'tmpfs');
    mkdirSync(ckpt);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', ckpt], { stdio: 'ignore' });
    } catch {
      // Mounting needs root; without it the store's own test covers the same faults with injected writes.
      return ctx.skip();
    }
    mounts.push(ckpt);
    const { file, out } = app('full-disk');
    const args = ['run', file, '--source', `file://${input}`, '--checkpoint-dir', ckpt, '--json'];

    // Stopped part way (a 4 s paced replay stopped after 2 s): the checkpoint holds open windows and a position.
    const first = await runCli([...args, '--replay-speed', '10', '--duration', '2s']);
    expect(first.code, first.stderr).toBe(0);
    expect(stoppedMetrics(first.stderr).reason).toBe('duration');
    const before = readFileSync(join(ckpt, 'checkpoint.json'));

    const filler = fillDisk(ckpt, 4096);
    const failed = await runCli(args);
    expect(failed.code, failed.stderr).toBe(1);
    expect(failed.stderr).toMatch(new RegExp(`streaming-analytics: FileSystemError: cannot write the checkpoint ${ckpt}/checkpoint\\.json\\.\\d+\\.tmp: (no space left on the device \\(ENOSPC\\)|only \\d+ of \\d+ bytes could be written \\(is the disk full\\?\\)); the previous checkpoint ${ckpt}/checkpoint\\.json is unchanged`));
    expect(failed.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(join(ckpt, 'checkpoint.json'))).toEqual(before);
    expect(readdirSync(ckpt).sort()).toEqual(['checkpoint.json', 'filler']);

    rmSync(filler);
    const resumed = await runCli(args);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(stoppedMetrics(resumed.stderr).reason).toBe('end-of-input');
    expect(rows(out)).toEqual(reference);
  }, 120_000);

  it('a damaged checkpoint: exit 3 naming the file and what to do, no stack trace, nothing delivered', async () => {
    const { file, out } = app('damaged');
    const ckpt = join(work, 'damaged-ckpt');
    const args = ['run', file, '--source', `file://${input}`, '--checkpoint-dir', ckpt, '--json'];
    const first = await runCli([...args, '--replay-speed', '10', '--duration', '2s']);
    expect(first.code, first.stderr).toBe(0);
    const cpFile = join(ckpt, 'checkpoint.json');
    const good = readFileSync(cpFile, 'utf8');
    const delivered = rows(out);
    for (const [damage, problem] of [
      [good.slice(0, good.length - 30), 'not complete JSON'],
      [good.replace(/"sequenceNumber":"(\d)/, (_m, d: string) => `"sequenceNumber":"${(Number(d) + 1) % 10}`), 'checksum does not match'],
    ] as const) {
      writeFileSync(cpFile, damage);
      const r = await runCli(args);
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toContain(`streaming-analytics: CheckpointDamagedError: ${cpFile}: checkpoint: `);
      expect(r.stderr).toContain(problem);
      expect(r.stderr).toContain('move it away to start over');
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(rows(out)).toEqual(delivered);
    }
    // A folder in its place.
    rmSync(cpFile);
    mkdirSync(cpFile);
    const r = await runCli(args);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toContain(`${cpFile}: checkpoint: a folder is in the place of the checkpoint file`);
  }, 120_000);

  it('a file where a folder should be (output folder, checkpoint folder): exit 1 naming the path, no stack trace', async () => {
    const blocker = join(work, 'a-file');
    writeFileSync(blocker, 'not a folder');
    const { file } = app('blocked-ckpt');
    const r1 = await runCli(['run', file, '--source', `file://${input}`, '--checkpoint-dir', join(blocker, 'ckpt'), '--json']);
    expect(r1.code, r1.stderr).toBe(1);
    expect(r1.stderr).toContain(`FileSystemError: cannot read the checkpoint ${join(blocker, 'ckpt', 'checkpoint.json')}: a part of the path is a file, not a folder (ENOTDIR)`);
    expect(r1.stderr).not.toMatch(/\n\s+at /);

    const appFile = join(work, 'blocked-out.yaml');
    writeFileSync(appFile, tickerDefinitionYaml({ outputFolder: join(blocker, 'bucket') }));
    const r2 = await runCli(['run', appFile, '--source', `file://${input}`, '--json']);
    expect(r2.code, r2.stderr).toBe(1);
    expect(r2.stderr).toMatch(new RegExp(`SinkDeliveryError: ${blocker}/bucket/[^:]*: cannot create the folder: ENOTDIR`));
    expect(r2.stderr).not.toMatch(/\n\s+at /);
  }, 120_000);
});
