// Checkpoints: the ticker application, run as a process, is killed with SIGKILL at random points (and
// stopped once with SIGTERM, the graceful stop) and
// restarted with the same checkpoint folder until it stops by itself at the end of its input; the rows it
// delivered must equal those of an uninterrupted run as a multiset (no window lost, none duplicated). Some kills
// are aimed at the moment between a checkpoint and the delivery of its rows (the process is frozen with SIGSTOP
// right after the checkpoint file is replaced, and killed if that epoch's objects are not yet all written).
import { existsSync, mkdtempSync, readFileSync, rmSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  diffWindowRows,
  expectedTickerWindows,
  listBucketObjects,
  readBucketRows,
  readReplayFile,
  runCli,
  seededRandom,
  spawnCli,
  stoppedMetrics,
  tickerDefinitionYaml,
  writeTickerReplayFile,
  type TickerWindowRow,
} from '../support/pipeline-test-support.js';

const SEED = Number(process.env.SIGKILL_TEST_SEED ?? 20261126);
const work = mkdtempSync(join(tmpdir(), 'pipeline-sigkill-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Destination rows (error_stream objects, under errors/, excluded) as sorted JSON lines: a multiset. */
function destinationRows(folder: string): string[] {
  return readBucketRows(folder, (key) => !key.startsWith('errors/')).map((r) => JSON.stringify(r)).sort();
}

function epochTag(epoch: number): string {
  return `epoch-${String(epoch).padStart(10, '0')}`;
}

interface KillOutcome {
  mode: 'timer' | 'after-checkpoint' | 'sigterm';
  /** The kill came after the checkpoint of an epoch with rows, before all of them were delivered. */
  inFlight: boolean;
  /** The process had already ended by itself when the kill was due. */
  missed: boolean;
}

/**
 * One attempt: starts the run; kills it at a random time after start (timer) or right after a checkpoint whose
 * rows are not yet delivered (after-checkpoint; gives up after `maxFreezes` checkpoints and lets it run on).
 */
async function attempt(args: string[], mode: KillOutcome['mode'] | 'none', random: () => number, checkpointDir: string, outputDir: string) {
  const { child, done } = spawnCli(args);
  const outcome: KillOutcome = { mode: mode === 'none' ? 'timer' : mode, inFlight: false, missed: false };
  let exited = false;
  void done.then(() => (exited = true));
  let stopWatching = () => {};
  if (mode === 'timer' || mode === 'sigterm') {
    // Measured from the moment the application is loaded and about to run (its first log line).
    const started = new Promise<void>((resolve) => child.stderr!.on('data', (d: Buffer) => d.toString().includes('"running ') && resolve()));
    void started.then(() => {
      const delay = 200 + random() * 2000;
      const t = setTimeout(() => {
        if (exited) outcome.missed = true;
        // SIGTERM is the graceful stop (as Ctrl-C): deliver what is held, checkpoint, exit 0.
        else child.kill(mode === 'sigterm' ? 'SIGTERM' : 'SIGKILL');
      }, delay);
      stopWatching = () => clearTimeout(t);
    });
  } else if (mode === 'after-checkpoint') {
    const file = join(checkpointDir, 'checkpoint.json');
    const watcher = watch(checkpointDir, (_event, name) => {
      if (name !== 'checkpoint.json' || exited || outcome.inFlight) return;
      // Freeze first, look after: the delivery that follows the checkpoint is then caught where it stands.
      child.kill('SIGSTOP');
      let kill = false;
      try {
        const cp = JSON.parse(readFileSync(file, 'utf8')) as { epoch: number; state: { rows: unknown[] } };
        const delivered = listBucketObjects(outputDir).some((k) => k.includes(`-${epochTag(cp.epoch)}-`));
        kill = cp.state.rows.length > 0 && !delivered;
      } catch {
        // A checkpoint being replaced right now: not the moment we look for.
      }
      if (kill) {
        outcome.inFlight = true;
        child.kill('SIGKILL');
      }
      child.kill('SIGCONT');
    });
    stopWatching = () => watcher.close();
  }
  const result = await done;
  stopWatching();
  return { result, outcome };
}

describe('SIGKILL at random points, restart from the checkpoint', () => {
  it('delivers the same windows as an uninterrupted run: none lost, none duplicated', async () => {
    const input = join(work, 'ticker.ndjson');
    // 120 s of arrival times at 200 user records/s: 24 000 records, 12 windows of 50 tickers.
    await writeTickerReplayFile(input, { records: 24_000, rate: 200, seed: 7, startAt: Date.UTC(2026, 0, 5, 9, 59, 0), tickers: 50 });

    // The uninterrupted run, unpaced.
    const refOut = join(work, 'reference-bucket');
    const refApp = join(work, 'reference.yaml');
    writeFileSync(refApp, tickerDefinitionYaml({ outputFolder: refOut }));
    const ref = await runCli(['run', refApp, '--source', `file://${input}`, '--checkpoint-dir', join(work, 'reference-ckpt'), '--json']);
    expect(ref.code, ref.stderr).toBe(0);
    expect(stoppedMetrics(ref.stderr).reason).toBe('end-of-input');
    const reference = destinationRows(refOut);
    // The reference itself is right: it matches the windows computed independently from the input.
    expect(diffWindowRows(reference.map((l) => JSON.parse(l) as TickerWindowRow), expectedTickerWindows(readReplayFile(input)))).toEqual([]);
    expect(reference.length).toBeGreaterThanOrEqual(12 * 50);

    // The killed run: paced (6x: about 20 s of replay) so that every planned kill lands before the end of input.
    const out = join(work, 'killed-bucket');
    const ckpt = join(work, 'killed-ckpt');
    const app = join(work, 'killed.yaml');
    writeFileSync(app, tickerDefinitionYaml({ outputFolder: out }));
    const args = ['run', app, '--source', `file://${input}`, '--replay-speed', '6', '--checkpoint-dir', ckpt, '--json'];
    const random = seededRandom(SEED);
    const plan: KillOutcome['mode'][] = ['timer', 'after-checkpoint', 'timer', 'sigterm', 'timer', 'after-checkpoint', 'timer', 'after-checkpoint'];
    const outcomes: KillOutcome[] = [];
    let finished = false;
    for (let i = 0; i < plan.length + 10 && !finished; i++) {
      const mode = i < plan.length ? plan[i] : 'none';
      const { result, outcome } = await attempt(args, mode, random, ckpt, out);
      if (result.signal === 'SIGKILL') {
        outcomes.push(outcome);
        // A run killed after its first checkpoint must have left one for the next run to resume from.
        continue;
      }
      expect(result.code, `attempt ${i} (${mode}) ended with ${result.code}/${result.signal}:\n${result.stderr.slice(-3000)}`).toBe(0);
      if (mode !== 'none') outcomes.push(outcome);
      const reason = stoppedMetrics(result.stderr).reason;
      if (mode === 'sigterm' && !outcome.missed) expect(reason).toBe('signal');
      finished = reason === 'end-of-input';
    }
    const summary = `seed ${SEED}; kills: ${JSON.stringify(outcomes)}`;
    expect(finished, summary).toBe(true);
    const killed = outcomes.filter((o) => !o.missed && o.mode !== 'sigterm' && !(o.mode === 'after-checkpoint' && !o.inFlight));
    // The schedule really interrupted the run several times, and the checkpoint survived them.
    expect(killed.length, summary).toBeGreaterThanOrEqual(4);
    // At least one kill came between a checkpoint and the delivery of its rows: the restart had to deliver them.
    expect(outcomes.filter((o) => o.inFlight).length, summary).toBeGreaterThanOrEqual(1);
    expect(existsSync(join(ckpt, 'checkpoint.json'))).toBe(true);

    const got = destinationRows(out);
    const missing = reference.filter((r) => !got.includes(r));
    const extra = [...got];
    for (const r of reference) {
      const i = extra.indexOf(r);
      if (i >= 0) extra.splice(i, 1);
    }
    expect({ missing: missing.slice(0, 5), extra: extra.slice(0, 5), counts: [got.length, reference.length] }, summary).toEqual({
      missing: [],
      extra: [],
      counts: [reference.length, reference.length],
    });
    expect(readBucketRows(out, (k) => k.startsWith('errors/'))).toEqual([]);
    console.info(`SIGKILL test: ${summary}`);
  }, 300_000);
});
