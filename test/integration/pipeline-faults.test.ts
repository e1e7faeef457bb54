// Faults of the local host's shard loop, run as a process on the ticker application with a recorded input:
// - a checkpoint deleted while the output is kept: the run refuses to start (it would deliver the rows again) and
//   names the flag that starts over deliberately; with the flag, the objects already there are left as they are;
// - a crash loop: a process killed a second or so after every start still commits, so the restarts make progress
//   and the end result equals an uninterrupted run;
// - a graceful stop (--duration) without a checkpoint dir emits the open windows, as the end of input does; with a
//   checkpoint dir it keeps them in the checkpoint (the log says which).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  diffWindowRows,
  expectedTickerWindows,
  listBucketObjects,
  readBucketRows,
  readReplayFile,
  runCli,
  spawnCli,
  stoppedMetrics,
  tickerDefinitionYaml,
  writeTickerReplayFile,
  type TickerWindowRow,
} from '../support/pipeline-test-support.js';

const work = mkdtempSync(join(tmpdir(), 'pipeline-faults-'));
const input = join(work, 'ticker.ndjson');
afterAll(() => rmSync(work, { recursive: true, force: true }));
beforeAll(async () => {
  // 40 s of arrival times at 200 user records/s: 8 000 records, 4 windows of 20 tickers.
  await writeTickerReplayFile(input, { records: 8_000, rate: 200, seed: 11, startAt: Date.UTC(2026, 0, 5, 10, 0, 0), tickers: 20 });
});

function destinationRows(folder: string): string[] {
  return readBucketRows(folder, (key) => !key.startsWith('errors/')).map((r) => JSON.stringify(r)).sort();
}

function app(name: string, bufferIntervalMs?: number): { yaml: string; out: string } {
  const out = join(work, `${name}-bucket`);
  const yaml = join(work, `${name}.yaml`);
  writeFileSync(yaml, tickerDefinitionYaml({ outputFolder: out, bufferIntervalMs }));
  return { yaml, out };
}

let reference: string[] | undefined;
/** The rows of an uninterrupted run, checked against the windows computed independently from the input. */
async function referenceRows(): Promise<string[]> {
  if (reference) return reference;
  const { yaml, out } = app('reference');
  const r = await runCli(['run', yaml, '--source', `file://${input}`, '--json']);
  expect(r.code, r.stderr).toBe(0);
  reference = destinationRows(out);
  expect(diffWindowRows(reference.map((l) => JSON.parse(l) as TickerWindowRow), expectedTickerWindows(readReplayFile(input)))).toEqual([]);
  return reference;
}

describe('a deleted checkpoint with the output kept', () => {
  it('is refused, naming the checkpoint file and --start-over; with --start-over nothing already written is replaced', async () => {
    const { yaml, out } = app('deleted');
    const ckpt = join(work, 'deleted-ckpt');
    const args = ['run', yaml, '--source', `file://${input}`, '--checkpoint-dir', ckpt, '--json'];
    const first = await runCli(args);
    expect(first.code, first.stderr).toBe(0);
    const before = new Map(listBucketObjects(out).map((k) => [k, readFileSync(join(out, k), 'utf8')]));
    expect(before.size).toBeGreaterThan(0);
    expect(destinationRows(out)).toEqual(await referenceRows());

    rmSync(ckpt, { recursive: true, force: true });
    const refused = await runCli(args);
    expect(refused.code, refused.stderr).toBe(3);
    expect(refused.stderr).toContain(join(ckpt, 'checkpoint.json'));
    expect(refused.stderr).toContain('--start-over');
    // Nothing was delivered a second time.
    expect(destinationRows(out)).toEqual(await referenceRows());

    const again = await runCli([...args, '--start-over']);
    expect(again.code, again.stderr).toBe(0);
    // A deliberate start-over writes the rows again, under new keys: every object of the first run is intact.
    for (const [key, text] of before) expect(readFileSync(join(out, key), 'utf8'), key).toBe(text);
    const newKeys = listBucketObjects(out).filter((k) => !before.has(k));
    expect(newKeys.length).toBeGreaterThan(0);
    const highestBefore = Math.max(...[...before.keys()].map((k) => Number(/-epoch-(\d{10})-/.exec(k)?.[1] ?? 0)));
    for (const k of newKeys) expect(Number(/-epoch-(\d{10})-/.exec(k)?.[1]), k).toBeGreaterThan(highestBefore);
    expect(destinationRows(out).length).toBe(2 * (await referenceRows()).length);
  }, 120_000);
});

describe('a crash loop', () => {
  it('still makes progress when every process is killed about a second after it starts', async () => {
    // Buffer intervals of 5 s, as the example's: without an early first commit, no process here would commit.
    const { yaml, out } = app('crashloop', 5000);
    const ckpt = join(work, 'crashloop-ckpt');
    // Paced (4x: 10 s of replay), so that the input lasts longer than any one process.
    const args = ['run', yaml, '--source', `file://${input}`, '--replay-speed', '4', '--checkpoint-dir', ckpt, '--json'];
    const positions: bigint[] = [];
    for (let i = 0; i < 4; i++) {
      const { child, done } = spawnCli(args);
      child.stderr!.on('data', (d: Buffer) => {
        // Killed 1.2 s after the application is loaded and about to run (its first log line).
        if (d.toString().includes('"running ')) setTimeout(() => child.kill('SIGKILL'), 1200);
      });
      const r = await done;
      expect(r.signal, r.stderr.slice(-2000)).toBe('SIGKILL');
      const cp = JSON.parse(readFileSync(join(ckpt, 'checkpoint.json'), 'utf8')) as { state: { positions: { sequenceNumber: string }[] } };
      positions.push(BigInt(cp.state.positions[0].sequenceNumber));
    }
    // Every killed process moved the checkpoint on.
    for (let i = 1; i < positions.length; i++) expect(positions[i] > positions[i - 1], `attempt ${i}: ${positions.join(', ')}`).toBe(true);
    const last = await runCli(args);
    expect(last.code, last.stderr).toBe(0);
    expect(stoppedMetrics(last.stderr).reason).toBe('end-of-input');
    expect(destinationRows(out)).toEqual(await referenceRows());
  }, 180_000);
});

describe('a graceful stop', () => {
  it('without a checkpoint dir emits the open windows, as the end of input does', async () => {
    const { yaml, out } = app('stop-fresh');
    const r = await runCli(['run', yaml, '--source', `file://${input}`, '--replay-speed', '4', '--duration', '3s', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const { reason, metrics } = stoppedMetrics(r.stderr);
    expect(reason).toBe('duration');
    expect(r.stderr).toContain('open windows were closed and their rows delivered');
    // The records read before the stop, every window of them closed (the last one is still open at the stop).
    const read = readReplayFile(input).slice(0, metrics.recordsIn);
    expect(read.length).toBeGreaterThan(0);
    expect(read.length).toBeLessThan(8_000);
    const rows = readBucketRows<TickerWindowRow>(out, (k) => !k.startsWith('errors/'));
    expect(diffWindowRows(rows, expectedTickerWindows(read))).toEqual([]);
  }, 60_000);

  it('with a checkpoint dir keeps the open windows in the checkpoint, and the resumed run completes them', async () => {
    const { yaml, out } = app('stop-kept');
    const ckpt = join(work, 'stop-kept-ckpt');
    const args = ['run', yaml, '--source', `file://${input}`, '--replay-speed', '4', '--checkpoint-dir', ckpt, '--json'];
    const r = await runCli([...args, '--duration', '3s']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('open windows are kept in the checkpoint');
    const read = readReplayFile(input).slice(0, stoppedMetrics(r.stderr).metrics.recordsIn);
    const lastArrival = read[read.length - 1].at;
    const closed = expectedTickerWindows(read, Math.floor(lastArrival / 10_000) * 10_000);
    expect(diffWindowRows(readBucketRows<TickerWindowRow>(out, (k) => !k.startsWith('errors/')), closed)).toEqual([]);
    expect(existsSync(join(ckpt, 'checkpoint.json'))).toBe(true);
    const rest = await runCli(args);
    expect(rest.code, rest.stderr).toBe(0);
    expect(destinationRows(out)).toEqual(await referenceRows());
  }, 90_000);
});
