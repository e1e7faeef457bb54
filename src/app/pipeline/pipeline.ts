/**
 * The running system: source -> preprocessing -> input mapping + SQL engine -> outputs, with checkpoints.
 *
 * Delivery guarantee (exactly-once output through idempotent keys): output rows are held back until the epoch
 * that produced them is committed. A commit first saves, atomically, the source positions, the engine state and
 * the epoch's output rows; only then are the rows delivered, under object keys derived from the epoch number.
 * After a crash, the pipeline restores the last checkpoint, delivers its rows again (same keys, same content:
 * the objects are overwritten, not duplicated) and reads the source from the saved positions. Rows produced after
 * the last checkpoint were never delivered, so nothing is duplicated, and they are produced again, so nothing is lost.
 */
import type { ExecutionError } from '../../errors.js';
import type { ShardCheckpoint, SourceRecord, StreamSource, StartingPosition } from '../../kinesis/index.js';
import type { OutputRow, Sink } from '../../sinks/index.js';
import type { ApplicationRuntime, RuntimeState } from '../../runtime/application-runtime.js';
import { CHECKPOINT_FORMAT_VERSION, type CheckpointStore } from './checkpoint-store.js';
import type { PreprocessStage } from './preprocess-stage.js';
import type { RunMetrics } from './run-metrics.js';

export interface PipelineOutput {
  /** The in-application stream it delivers. */
  readonly stream: string;
  readonly sink: Sink;
}

export interface PipelineOptions {
  readonly application: string;
  readonly startingPosition: StartingPosition;
  /** Commit (checkpoint and deliver) at least this often. */
  readonly commitIntervalMs: number;
  /** Commit early when this many bytes of output are held. */
  readonly commitBytes: number;
  /**
   * Live sources: when the reader is caught up, the wall clock minus this grace moves ROWTIME on, so windows close
   * with no new records. Undefined for replayed files, whose time is only the records' own.
   */
  readonly idleAdvanceGraceMs?: number;
  readonly clock?: () => number;
  /** Called after the rows of an epoch are delivered to an output (the demo prints a sample of them). */
  readonly onDelivered?: (stream: string, rows: readonly OutputRow[]) => void;
}

export interface RunLimits {
  /** Stop after this long (ms). */
  readonly durationMs?: number;
  /** Stop after this many source records. */
  readonly maxRecords?: number;
  /** Stop when aborted (Ctrl-C): a graceful stop that commits. */
  readonly signal?: AbortSignal;
}

interface PipelineState {
  readonly runtime: RuntimeState;
  readonly positions: ShardCheckpoint[];
  /** The epoch's output rows, delivered after the checkpoint is durable. */
  readonly rows: OutputRow[];
}

export type StopReason = 'end-of-input' | 'duration' | 'records' | 'signal';

export class Pipeline {
  private readonly clock: () => number;
  /** Where the source resumes after a restart: what the last checkpoint saved. */
  private resumeFrom: ShardCheckpoint[] = [];
  private held: OutputRow[] = [];
  private heldBytes = 0;
  private epoch = 0;
  private lastCommit: number;

  constructor(
    private readonly runtime: ApplicationRuntime,
    private readonly source: StreamSource,
    private readonly stage: PreprocessStage,
    private readonly outputs: readonly PipelineOutput[],
    private readonly metrics: RunMetrics,
    private readonly options: PipelineOptions,
    private readonly store?: CheckpointStore,
  ) {
    this.clock = options.clock ?? Date.now;
    this.lastCommit = this.clock();
    const delivered = new Set(outputs.map((o) => o.stream));
    runtime.onOutput((stream, row, rowtime) => {
      if (stream === 'error_stream') this.metrics.errors++;
      else this.metrics.rowsOut++;
      // Streams no output names are not delivered, as in KDA.
      if (!delivered.has(stream)) return;
      const r: OutputRow = { stream, row, rowtime };
      this.held.push(r);
      this.heldBytes += 64 + JSON.stringify(row).length;
    });
  }

  /** Restores the last checkpoint, if any, and delivers its rows again (idempotently). Returns its epoch. */
  async recover(): Promise<number | undefined> {
    const cp = this.store?.load<PipelineState>(this.options.application);
    if (!cp) return undefined;
    this.runtime.restore(cp.state.runtime);
    this.resumeFrom = cp.state.positions;
    this.epoch = cp.epoch;
    await this.deliver(cp.state.rows, cp.epoch);
    return cp.epoch;
  }

  async run(limits: RunLimits = {}): Promise<StopReason> {
    const started = this.clock();
    const resume = this.resumeFrom.length > 0;
    await this.source.start(resume ? 'LAST_STOPPED_POINT' : this.options.startingPosition, resume ? this.resumeFrom : undefined);
    try {
      for (;;) {
        if (limits.signal?.aborted) return await this.stop('signal');
        if (limits.durationMs !== undefined && this.clock() - started >= limits.durationMs) return await this.stop('duration');
        if (limits.maxRecords !== undefined && this.metrics.recordsIn >= limits.maxRecords) return await this.stop('records');
        const batch = await this.source.read();
        await this.ingest(batch.records);
        this.metrics.lagMs = batch.millisBehindLatest;
        if (batch.done) {
          this.runtime.finish();
          return await this.stop('end-of-input');
        }
        const caughtUp = batch.records.length === 0 || batch.millisBehindLatest === 0;
        if (caughtUp && this.options.idleAdvanceGraceMs !== undefined) this.runtime.advanceTo(this.clock() - this.options.idleAdvanceGraceMs);
        if (this.heldBytes >= this.options.commitBytes || this.clock() - this.lastCommit >= this.options.commitIntervalMs) await this.commit();
      }
    } finally {
      await this.source.close();
    }
  }

  private async ingest(records: readonly SourceRecord[]): Promise<void> {
    if (records.length === 0) return;
    const before = this.stage.userRecords;
    await this.stage.process(records, {
      payload: (data, r) => this.runtime.ingest(data, r.approximateArrivalTimestamp),
      failed: (error: ExecutionError, r) => this.runtime.recordError(error, r.data, r.approximateArrivalTimestamp),
    });
    this.metrics.recordsIn += records.length;
    this.metrics.rowsIn = this.runtime.rowsIngested;
    this.metrics.userRecords += this.stage.userRecords - before;
  }

  private async stop(reason: StopReason): Promise<StopReason> {
    await this.commit();
    for (const o of this.outputs) await o.sink.close();
    return reason;
  }

  /** Saves the checkpoint, then delivers the epoch's rows (see the class comment for why in that order). */
  async commit(): Promise<void> {
    const rows = this.held;
    this.held = [];
    this.heldBytes = 0;
    this.epoch++;
    this.store?.save<PipelineState>({
      version: CHECKPOINT_FORMAT_VERSION,
      application: this.options.application,
      epoch: this.epoch,
      writtenAt: new Date(this.clock()).toISOString(),
      state: { runtime: this.runtime.snapshot(), positions: this.source.checkpoints(), rows },
    });
    this.metrics.checkpoints++;
    await this.deliver(rows, this.epoch);
    this.lastCommit = this.clock();
  }

  private async deliver(rows: readonly OutputRow[], epoch: number): Promise<void> {
    const position = `epoch-${String(epoch).padStart(10, '0')}`;
    for (const o of this.outputs) {
      const mine = rows.filter((r) => r.stream === o.stream);
      if (mine.length > 0) await o.sink.write(mine, position);
      await o.sink.flush();
      if (mine.length > 0) this.options.onDelivered?.(o.stream, mine);
    }
  }
}
