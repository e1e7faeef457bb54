/**
 * The local host: runs an application end to end over the runtime (src/runtime): reference data, the source, the
 * outputs and the checkpoint file are the ports it plugs into the shard loop; on the embedded stream a KPL
 * producer runs in the same process. This is what `streaming-analytics run` and `npm start` do.
 */
import { ConfigError } from '../../errors.js';
import { buildApplication, type ApplicationRuntime } from '../../runtime/application-runtime.js';
import { ReplayClock, wallClock } from '../../runtime/clock.js';
import { createPreprocessStage } from '../../runtime/preprocess/preprocess-stage.js';
import { RunMetrics } from '../../runtime/run-metrics.js';
import { ShardLoop, type StopReason } from '../../runtime/shard-loop.js';
import type { OutputRow } from '../../sinks/index.js';
import type { ApplicationDefinition, OutputDefinition } from '../definition/index.js';
import { CheckpointStateStore } from '../pipeline/checkpoint-state-store.js';
import type { ProgressDisplay } from '../pipeline/progress-display.js';
import { SinkDeliveryTarget } from '../pipeline/sink-delivery-target.js';
import { createSink, objectNames } from '../pipeline/sink-factory.js';
import { createSource } from '../pipeline/source-factory.js';
import { ProducerFailedError } from '../producer/producer-failed-error.js';
import { EmbeddedTarget } from '../producer/producer-targets.js';
import { TickerProducer } from '../producer/ticker-producer.js';
import { loadReferenceData } from '../reference/load-reference-data.js';

export interface RunApplicationOptions {
  /** Where checkpoints are kept; without one, a run starts afresh and keeps no checkpoint. */
  readonly checkpointDir?: string;
  /**
   * With a checkpoint dir that holds no checkpoint while a local output folder holds this application's objects:
   * start afresh anyway (new objects are numbered after the ones there). Without it such a run is refused, since
   * it would deliver the same rows a second time.
   */
  readonly startOver?: boolean;
  readonly durationMs?: number;
  readonly maxRecords?: number;
  readonly signal?: AbortSignal;
  /** On the embedded stream: the in-process KPL producer's rate (user records/s). @default 1000 */
  readonly produceRate?: number;
  readonly seed?: number;
  readonly progress?: ProgressDisplay;
  /** How often the progress display updates. @default 500 */
  readonly progressIntervalMs?: number;
  /** Called after rows are delivered to an output, with the rows. */
  readonly onDelivered?: (output: OutputDefinition, rows: readonly OutputRow[]) => void;
  /** What the run decides on its own that a user should know (how it stops, what it keeps). @default stderr */
  readonly log?: (line: string) => void;
}

export interface RunSummary {
  readonly reason: StopReason;
  readonly metrics: Record<string, number | undefined>;
  /** The epoch restored from a checkpoint, if the run resumed. */
  readonly resumedFromEpoch?: number;
}

/**
 * How soon after its first records a run with a checkpoint dir commits for the first time: a process killed
 * within seconds of every start (a crash loop) still saves its progress each time.
 */
export const FIRST_COMMIT_AFTER_MS = 500;

export async function runApplication(def: ApplicationDefinition, options: RunApplicationOptions = {}): Promise<RunSummary> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const references = await Promise.all(def.references.map(async (r) => ({ ...r, rows: (await loadReferenceData(r)).rows })));
  const built = createSource(def.input.source);
  // A replayed file carries its own time: the application's clock follows the records' arrival times. A live
  // source's application reads the wall clock.
  const replayClock = built.live ? undefined : new ReplayClock();
  const compiled = buildApplication({ ...def, references }, { seed: options.seed, clock: replayClock?.now ?? wallClock });
  const metrics = new RunMetrics(Date.now());
  const stage = await createPreprocessStage(def.input.preprocessor, built.source.shardHashKeyRange?.bind(built.source));
  const names = objectNames(def.name, def.outputs);
  const target = new SinkDeliveryTarget(
    def.outputs.map((o, i) => ({ definition: o, objectName: names[i], sink: createSink(o, { name: names[i], onDelivered: () => void metrics.objectsWritten++ }) })),
    options.onDelivered,
  );
  const store = options.checkpointDir ? new CheckpointStateStore(options.checkpointDir, def.name) : undefined;
  let runtime: ApplicationRuntime | undefined;
  const loop = new ShardLoop(
    compiled,
    built.source,
    stage,
    target,
    metrics,
    {
      application: def.name,
      startingPosition: def.input.startingPosition,
      commitIntervalMs: Math.min(...def.outputs.map((o) => o.bufferIntervalMs), 60_000),
      commitBytes: Math.min(...def.outputs.map((o) => o.bufferSizeBytes), 64 * 1024 * 1024),
      firstCommitAfterMs: FIRST_COMMIT_AFTER_MS,
      idleAdvanceGraceMs: built.live ? 1000 : undefined,
      replayClock,
      onStart: (r) => (runtime = r),
      log,
    },
    store,
  );
  const resumedFromEpoch = await loop.recover(startEpoch(def, target, store, options.startOver === true, log));

  // `kill -HUP <pid>` reloads every reference table from its location (KDA only reloads on request). A table
  // that fails to load (unreadable, over the size limit) keeps its previous rows; the reason goes to stderr.
  const onHangup = () => void (runtime && reloadReferences(def, runtime));
  if (def.references.length > 0) process.on('SIGHUP', onHangup);
  const stop = new AbortController();
  options.signal?.addEventListener('abort', () => stop.abort(), { once: true });
  let producing: Promise<void> | undefined;
  // A producer failure stops the run the graceful way (commit, deliver), then the run ends with it: never an
  // unhandled rejection that kills the process without a commit.
  let producerFailure: { error: unknown } | undefined;
  if (built.embedded) {
    const producer = new TickerProducer(new EmbeddedTarget(built.embedded), { recordsPerSecond: options.produceRate ?? 1000, seed: options.seed });
    producing = producer.run({ signal: stop.signal, durationMs: options.durationMs }).catch((error: unknown) => {
      producerFailure = { error };
      stop.abort();
    });
  }
  const progress = options.progress;
  const timer = progress ? setInterval(() => progress.update(metrics, Date.now()), options.progressIntervalMs ?? 500) : undefined;
  try {
    const reason = await loop.run({ durationMs: options.durationMs, maxRecords: options.maxRecords, signal: stop.signal });
    if (producerFailure) throw new ProducerFailedError(producerFailure.error);
    return { reason, metrics: metrics.snapshot(Date.now()), resumedFromEpoch };
  } finally {
    process.off('SIGHUP', onHangup);
    stop.abort();
    if (timer) clearInterval(timer);
    await producing;
    progress?.update(metrics, Date.now());
    progress?.finish();
  }
}

/**
 * The epoch a run without a checkpoint to restore numbers its commits after: the highest one a local output folder
 * holds, so that objects already there are never written over. With a checkpoint dir, finding such objects means
 * the checkpoint was lost: starting afresh would deliver their rows again, so the run is refused unless the user
 * asks for it (`startOver`).
 */
function startEpoch(def: ApplicationDefinition, target: SinkDeliveryTarget, store: CheckpointStateStore | undefined, startOver: boolean, log: (line: string) => void): number {
  if (store?.load()) return 0;
  const held = target.highestEpochHeld();
  if (!held) return 0;
  if (store && !startOver) {
    throw new ConfigError(
      '--checkpoint-dir',
      `${store.location} does not exist, but the output already holds objects of application '${def.name}' up to epoch ${held.epoch} ` +
        `(${held.where}): starting afresh would deliver their rows a second time. Restore the checkpoint file to resume, ` +
        'or start over deliberately with --start-over (the objects there stay; new ones are numbered after them), or empty the output folder.',
    );
  }
  log(`starting afresh: the output holds objects up to epoch ${held.epoch}; new objects are numbered after them`);
  return held.epoch;
}

/**
 * Loads every reference table of `def` again and swaps the rows into the running application, one table at a
 * time; a table that fails to load keeps its rows. Resolves to what happened per table.
 */
export async function reloadReferences(def: Pick<ApplicationDefinition, 'references'>, runtime: Pick<ApplicationRuntime, 'reloadReference'>, log: (line: string) => void = (l) => process.stderr.write(l + '\n')): Promise<{ table: string; rows?: number; error?: string }[]> {
  const results: { table: string; rows?: number; error?: string }[] = [];
  for (const r of def.references) {
    try {
      const t = await loadReferenceData(r);
      runtime.reloadReference(r.tableName, t.rows);
      results.push({ table: r.tableName, rows: t.rows.length });
      log(`reference table ${r.tableName} reloaded: ${t.rows.length} rows${t.rejected.length ? `, ${t.rejected.length} rejected` : ''}`);
    } catch (e) {
      results.push({ table: r.tableName, error: (e as Error).message });
      log(`reference table ${r.tableName} not reloaded (kept its rows): ${(e as Error).message}`);
    }
  }
  return results;
}
