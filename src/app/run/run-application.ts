/**
 * Runs an application end to end: reference data, the runtime (input mapping + SQL engine), the source, the
 * preprocessing stage, the outputs and checkpoints, and, on the embedded stream, a KPL producer in the same
 * process. This is what `streaming-analytics run` and `npm start` do.
 */
import type { OutputRow } from '../../sinks/index.js';
import type { ApplicationDefinition, OutputDefinition } from '../definition/index.js';
import { ApplicationRuntime } from '../../runtime/application-runtime.js';
import { CheckpointStore } from '../pipeline/checkpoint-store.js';
import { Pipeline, type StopReason } from '../pipeline/pipeline.js';
import { createPreprocessStage } from '../pipeline/preprocess-stage.js';
import type { ProgressDisplay } from '../pipeline/progress-display.js';
import { RunMetrics } from '../pipeline/run-metrics.js';
import { createSink, objectNames } from '../pipeline/sink-factory.js';
import { createSource } from '../pipeline/source-factory.js';
import { EmbeddedTarget } from '../producer/producer-targets.js';
import { TickerProducer } from '../producer/ticker-producer.js';
import { loadReferenceData } from '../reference/load-reference-data.js';

export interface RunApplicationOptions {
  /** Where checkpoints are kept; without one, a run starts afresh and keeps no checkpoint. */
  readonly checkpointDir?: string;
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
}

export interface RunSummary {
  readonly reason: StopReason;
  readonly metrics: Record<string, number | undefined>;
  /** The epoch restored from a checkpoint, if the run resumed. */
  readonly resumedFromEpoch?: number;
}

export async function runApplication(def: ApplicationDefinition, options: RunApplicationOptions = {}): Promise<RunSummary> {
  const references = await Promise.all(def.references.map(async (r) => ({ ...r, rows: (await loadReferenceData(r)).rows })));
  const runtime = ApplicationRuntime.compile({ ...def, references }, { seed: options.seed });
  // `kill -HUP <pid>` reloads every reference table from its location (KDA only reloads on request). A table
  // that fails to load (unreadable, over the size limit) keeps its previous rows; the reason goes to stderr.
  const onHangup = () => void reloadReferences(def, runtime);
  if (def.references.length > 0) process.on('SIGHUP', onHangup);
  const metrics = new RunMetrics(Date.now());
  runtime.onOutput((stream) => {
    if (runtime.windowedStreams.has(stream)) metrics.windowsEmitted++;
  });
  const built = createSource(def.input.source);
  const stage = await createPreprocessStage(def.input.preprocessor, built.source.shardHashKeyRange?.bind(built.source));
  const names = objectNames(def.name, def.outputs);
  const outputs = def.outputs.map((o, i) => ({
    stream: o.stream,
    sink: createSink(o, { name: names[i], onDelivered: () => void metrics.objectsWritten++ }),
  }));
  const pipeline = new Pipeline(
    runtime,
    built.source,
    stage,
    outputs,
    metrics,
    {
      application: def.name,
      startingPosition: def.input.startingPosition,
      commitIntervalMs: Math.min(...def.outputs.map((o) => o.bufferIntervalMs), 60_000),
      commitBytes: Math.min(...def.outputs.map((o) => o.bufferSizeBytes), 64 * 1024 * 1024),
      idleAdvanceGraceMs: built.live ? 1000 : undefined,
      onDelivered: (stream, rows) => {
        const o = def.outputs.find((x) => x.stream === stream);
        if (o) options.onDelivered?.(o, rows);
      },
    },
    options.checkpointDir ? new CheckpointStore(options.checkpointDir) : undefined,
  );
  const resumedFromEpoch = await pipeline.recover();

  const stop = new AbortController();
  options.signal?.addEventListener('abort', () => stop.abort(), { once: true });
  let producing: Promise<void> | undefined;
  if (built.embedded) {
    const producer = new TickerProducer(new EmbeddedTarget(built.embedded), { recordsPerSecond: options.produceRate ?? 1000, seed: options.seed });
    producing = producer.run({ signal: stop.signal, durationMs: options.durationMs });
  }
  const progress = options.progress;
  const timer = progress ? setInterval(() => progress.update(metrics, Date.now()), options.progressIntervalMs ?? 500) : undefined;
  try {
    const reason = await pipeline.run({ durationMs: options.durationMs, maxRecords: options.maxRecords, signal: stop.signal });
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
