/**
 * The shard loop: take records after a position, preprocess and ingest them, collect the rows they produce,
 * commit state + positions + pending rows atomically, deliver, and mark delivered. `run` (any source),
 * `replay` (an in-memory source and a collecting target), every conformance case and the Lambda analytics handler
 * (one pass per invocation and shard, over a DynamoDB state store and a Firehose target) go through it.
 *
 * Delivery guarantee (exactly-once output through idempotent keys): output rows are held back until the epoch
 * that produced them is committed. A commit first saves, atomically, the source positions, the engine state and
 * the epoch's output rows; only then are the rows delivered, under object keys derived from the epoch number.
 * After a crash, the loop restores the last checkpoint, delivers its rows again (same keys, same content: the
 * objects are overwritten, not duplicated) and reads the source from the saved positions. Rows produced after the
 * last checkpoint were never delivered, so nothing is duplicated, and they are produced again, so nothing is lost.
 * Marking an epoch delivered is implicit: the next commit replaces the checkpoint and its rows.
 */
import { InternalError, type ExecutionError } from '../errors.js';
import type { ShardCheckpoint, SourceRecord, StreamSource, StartingPosition } from '../kinesis/index.js';
import type { OutputRow } from '../sinks/index.js';
import { ERROR_STREAM, type ApplicationRuntime, type CompiledRuntime, type RuntimeState } from './application-runtime.js';
import { wallClock, type Clock, type ReplayClock } from './clock.js';
import type { PreprocessStage } from './preprocess/preprocess-stage.js';
import type { RunMetrics } from './run-metrics.js';

/** What a commit saves: everything needed to resume as if the process had never stopped. */
export interface LoopState {
  /** The engine's state; absent when the store holds rows but no state this application can restore. */
  readonly runtime?: RuntimeState;
  readonly positions: ShardCheckpoint[];
  /** The epoch's output rows, delivered after the checkpoint is durable. */
  readonly rows: OutputRow[];
}

/** A committed state and its epoch (the state's version: every commit adds one). */
export interface LoadedState {
  readonly epoch: number;
  readonly state: LoopState;
}

/**
 * The state-store port: the checkpoint file (the local host), one DynamoDB item per shard (Lambda). A save is atomic:
 * the previous state or the new one.
 */
export interface StateStore {
  /** The last committed state and its epoch, or undefined when there is none. */
  load(): LoadedState | undefined | Promise<LoadedState | undefined>;
  /**
   * Saves the state of `epoch`, which follows `epoch - 1` (the one loaded or saved last). A store that other
   * writers share makes this conditional (versioned): it throws, saving nothing, when the stored state is no longer
   * at `epoch - 1`; the host loads again and takes its records in again (see {@link ShardLoop}).
   */
  save(epoch: number, state: LoopState): void | Promise<void>;
  /**
   * The rows of `epoch` are delivered. A store that keeps rows until then records it, so that a later load does not
   * deliver them again; without it (the checkpoint file) the next commit, which replaces the rows, marks them.
   */
  markDelivered?(epoch: number): void | Promise<void>;
  /** Where the state lives, for messages (a file path, a table and key). */
  readonly location: string;
}

/** The delivery-target port: object sinks, Kinesis, stdout (the local host), a collector (`replay`). */
export interface DeliveryTarget {
  /** Whether rows of this in-application stream are delivered (streams no output names are not, as in KDA). */
  accepts(stream: string): boolean;
  /**
   * Delivers an epoch's rows, in production order, and resolves once they are durable at the destination. The
   * same epoch delivered again (after a restart) replaces what the first delivery wrote (object keys derive from
   * the epoch); a destination without such keys (Firehose) may receive them twice, see the host's README.
   *
   * A target that can deliver part of the rows (Firehose: per-entry failures) answers the rows it could not
   * deliver; the loop commits them again as the state's only pending rows, and they go out with the next commit.
   * A target that throws delivered nothing it could vouch for: the committed rows stay pending.
   */
  deliver(rows: readonly OutputRow[], epoch: number): Promise<void | DeliveryResult>;
  close(): Promise<void>;
}

/** What a partial delivery left: rows the destination did not accept (retrying them later may succeed). */
export interface DeliveryResult {
  readonly undelivered: readonly OutputRow[];
}

/**
 * A source that can give records back: when preprocessing stops part-way (a preprocessor function that cannot be
 * reached), the records not taken in are put back, so that the positions the loop commits stop before them.
 */
export interface LoopSource extends StreamSource {
  unread?(records: readonly SourceRecord[]): void;
}

/** A source record as the loop takes it; a replay may say when it enters the application apart from its arrival. */
export interface LoopRecord extends SourceRecord {
  /** When the record enters the application (its ROWTIME before the never-decreasing rule). @default its arrival time */
  readonly enteredAt?: number;
}

export interface ShardLoopOptions {
  readonly application: string;
  readonly startingPosition: StartingPosition;
  /** Commit (checkpoint and deliver) at least this often. */
  readonly commitIntervalMs: number;
  /** Commit early when this many bytes of output are held. */
  readonly commitBytes: number;
  /**
   * With a state store, the first commit comes this soon after the first records are taken in, so that a process
   * killed shortly after every start still moves on (a restart loop makes progress). @default 0: right after
   * the first batch with records
   */
  readonly firstCommitAfterMs?: number;
  /**
   * Live sources: when the reader is caught up, the clock minus this grace moves ROWTIME on, so windows close with
   * no new records. Undefined for replayed sources, whose time is only the records' own.
   */
  readonly idleAdvanceGraceMs?: number;
  /** The host's clock (wall clock for live sources): commit interval, duration, idle advance. @default the wall clock */
  readonly clock?: Clock;
  /**
   * A replayed source's clock (the one the application was built with): it is moved to each record's time before
   * the record is taken in, and the application starts at the first record's time.
   */
  readonly replayClock?: ReplayClock;
  /**
   * At the end of a finite input: `finish` closes every open window (the default); a time moves the clock there,
   * closing only the windows that end by then (a conformance case's `endAt`, a Lambda clock tick); `keep` closes
   * nothing and leaves the open windows in the state (a Lambda batch: the shard goes on with the next one).
   */
  readonly endOfInput?: 'finish' | 'keep' | { readonly advanceTo: number };
  /**
   * Where the rows of a restored state go: `deliver` (the default) delivers them again at once, under their epoch
   * (keys make that idempotent); `carry` holds them with the new rows, so they are delivered only after the next
   * commit succeeds (a state other writers share: only the writer that commits delivers).
   */
  readonly restoredRows?: 'deliver' | 'carry';
  /**
   * `false`: a stop after which nothing changed (no record taken in, no row produced) saves nothing; rows carried
   * from the restored state are delivered under its epoch and marked delivered. @default true
   */
  readonly commitWhenUnchanged?: boolean;
  /** Called once the running instance exists (restored or fresh), before the first record. */
  readonly onStart?: (runtime: ApplicationRuntime) => void;
  /** Called for what the loop decides on its own that a user should know (how it stops, what it keeps). */
  readonly log?: (line: string) => void;
  /** Called when something failed that the loop works around (rows that will be delivered again). @default log */
  readonly warn?: (line: string) => void;
}

export interface RunLimits {
  /** Stop after this long (ms). */
  readonly durationMs?: number;
  /** Stop after this many source records. */
  readonly maxRecords?: number;
  /** Stop when aborted (Ctrl-C): a graceful stop that commits. */
  readonly signal?: AbortSignal;
  /** Asked before each read: true stops the loop gracefully (a Lambda invocation running out of time). */
  readonly deadline?: () => boolean;
}

/** Why run() returned; `preprocessor`: preprocessing stopped part-way and the rest of the records were put back. */
export type StopReason = 'end-of-input' | 'duration' | 'records' | 'signal' | 'deadline' | 'preprocessor';

export class ShardLoop {
  private readonly clock: Clock;
  /** Where the source resumes after a restart: what the last checkpoint saved. */
  private resumeFrom: ShardCheckpoint[] = [];
  private restored: RuntimeState | undefined;
  private held: OutputRow[] = [];
  private heldBytes = 0;
  private epoch = 0;
  private lastCommit = 0;
  /** When this process first took records in, until its first commit (the early first commit waits on it). */
  private firstRecordsAt: number | undefined;
  private committedOnce = false;
  private running: ApplicationRuntime | undefined;
  /** Records were taken in or rows produced since the start (a stop with nothing changed may save nothing). */
  private changed = false;
  /** The runtime state last saved (a re-commit of undelivered rows saves it again). */
  private lastSaved: LoopState | undefined;

  constructor(
    private readonly compiled: CompiledRuntime,
    private readonly source: LoopSource,
    private readonly stage: PreprocessStage,
    private readonly target: DeliveryTarget,
    private readonly metrics: RunMetrics,
    private readonly options: ShardLoopOptions,
    private readonly store?: StateStore,
  ) {
    this.clock = options.clock ?? wallClock;
  }

  /** The running instance, once run() has started it. */
  get runtime(): ApplicationRuntime | undefined {
    return this.running;
  }

  /** The epoch of the last commit (0 before the first). */
  get committedEpoch(): number {
    return this.epoch;
  }

  /**
   * Restores the last committed state, if any, and delivers its rows again (idempotently). Returns its epoch.
   * `startEpoch` (no state to restore): number the epochs after this one, so that a deliberate start-over never
   * writes over what the outputs hold.
   */
  async recover(startEpoch = 0): Promise<number | undefined> {
    const cp = await this.store?.load();
    if (!cp) {
      this.epoch = startEpoch;
      return undefined;
    }
    this.restored = cp.state.runtime;
    this.resumeFrom = cp.state.positions;
    this.epoch = cp.epoch;
    this.lastSaved = cp.state;
    if (this.options.restoredRows === 'carry') {
      this.held.push(...cp.state.rows);
    } else {
      await this.deliver(cp.state.rows, cp.epoch, cp.state);
    }
    return cp.epoch;
  }

  async run(limits: RunLimits = {}): Promise<StopReason> {
    const started = this.clock();
    this.lastCommit = started;
    const resume = this.resumeFrom.length > 0;
    await this.source.start(resume ? 'LAST_STOPPED_POINT' : this.options.startingPosition, resume ? this.resumeFrom : undefined);
    try {
      for (;;) {
        if (limits.signal?.aborted) return await this.stop('signal');
        if (limits.durationMs !== undefined && this.clock() - started >= limits.durationMs) return await this.stop('duration');
        if (limits.maxRecords !== undefined && this.metrics.recordsIn >= limits.maxRecords) return await this.stop('records');
        if (limits.deadline?.()) return await this.stop('deadline');
        const batch = await this.source.read();
        const rejected = batch.rejected ?? [];
        if (!this.running && batch.records.length === 0 && rejected.length === 0 && !batch.done && this.options.replayClock) {
          // A replayed source's application starts at its first record's time: wait for a record.
          continue;
        }
        const runtime = this.startOnce(batch.records, rejected[0]?.arrivalTimestamp);
        // Input the source could not turn into records (a bad replay-file line) goes to error_stream; the run goes on.
        for (const r of rejected) runtime.recordError(r.error, r.raw, r.arrivalTimestamp);
        if (!(await this.ingest(runtime, batch.records))) return await this.stop('preprocessor');
        this.metrics.lagMs = batch.millisBehindLatest;
        if (batch.done) {
          const end = this.options.endOfInput ?? 'finish';
          if (end === 'finish') runtime.finish();
          else if (end !== 'keep') {
            this.options.replayClock?.moveTo(end.advanceTo);
            runtime.advanceTo(end.advanceTo);
          }
          return await this.stop('end-of-input');
        }
        const caughtUp = batch.records.length === 0 || batch.millisBehindLatest === 0;
        if (caughtUp && this.options.idleAdvanceGraceMs !== undefined) runtime.advanceTo(this.clock() - this.options.idleAdvanceGraceMs);
        if (this.commitDue()) await this.commit();
      }
    } finally {
      await this.source.close();
    }
  }

  /**
   * The running instance is started when the first batch is in hand, so that a replayed source's application
   * starts at its first record's time (LOCALTIMESTAMP), and restored from the checkpoint when there is one.
   */
  private startOnce(first: readonly SourceRecord[], otherwiseAt?: number | null): ApplicationRuntime {
    if (this.running) return this.running;
    const r = first[0] as LoopRecord | undefined;
    const at = r ? (r.enteredAt ?? r.approximateArrivalTimestamp) : (otherwiseAt ?? undefined);
    if (at !== undefined && this.options.replayClock) this.options.replayClock.moveTo(at);
    const runtime = this.compiled.start();
    if (this.restored) runtime.restore(this.restored);
    runtime.onOutput((stream, row, rowtime) => {
      if (stream === ERROR_STREAM) this.metrics.errors++;
      else this.metrics.rowsOut++;
      if (this.compiled.windowedStreams.has(stream)) this.metrics.windowsEmitted++;
      this.changed = true;
      if (!this.target.accepts(stream)) return;
      this.held.push({ stream, row, rowtime });
      this.heldBytes += 64 + estimatedJsonLength(row);
    });
    this.running = runtime;
    this.options.onStart?.(runtime);
    return runtime;
  }

  private commitDue(): boolean {
    if (this.heldBytes >= this.options.commitBytes) return true;
    const now = this.clock();
    if (this.store && !this.committedOnce && this.firstRecordsAt !== undefined && now - this.firstRecordsAt >= (this.options.firstCommitAfterMs ?? 0)) return true;
    return now - this.lastCommit >= this.options.commitIntervalMs;
  }

  /** Takes records in; false when preprocessing stopped part-way (the rest were put back into the source). */
  private async ingest(runtime: ApplicationRuntime, records: readonly SourceRecord[]): Promise<boolean> {
    if (records.length === 0) return true;
    const before = this.stage.userRecords;
    const replay = this.options.replayClock;
    const outcome = await this.stage.process(records, {
      payload: (data, r: LoopRecord) => {
        const at = r.enteredAt ?? r.approximateArrivalTimestamp;
        replay?.moveTo(at);
        runtime.ingest(data, at, r.approximateArrivalTimestamp);
      },
      failed: (error: ExecutionError, r: LoopRecord) => {
        const at = r.enteredAt ?? r.approximateArrivalTimestamp;
        replay?.moveTo(at);
        runtime.recordError(error, r.data, at);
      },
    });
    const taken = outcome ? outcome.stoppedAt : records.length;
    if (outcome) {
      if (!this.source.unread) throw new InternalError(`preprocessing stopped part-way (${outcome.reason}) over a source that cannot put records back`);
      this.source.unread(records.slice(taken));
    }
    this.metrics.recordsIn += taken;
    this.metrics.rowsIn = runtime.rowsIngested;
    this.metrics.userRecords += this.stage.userRecords - before;
    if (taken > 0) this.changed = true;
    if (!this.committedOnce && this.firstRecordsAt === undefined && taken > 0) this.firstRecordsAt = this.clock();
    return outcome === undefined;
  }

  private async stop(reason: StopReason): Promise<StopReason> {
    const runtime = this.running ?? this.startOnce([]);
    if (this.options.commitWhenUnchanged === false && !this.changed) {
      // Nothing to save; rows the restored state still holds go out under its epoch.
      const rows = this.held;
      this.held = [];
      this.heldBytes = 0;
      if (rows.length > 0 && this.lastSaved) await this.deliver(rows, this.epoch, this.lastSaved);
      await this.target.close();
      return reason;
    }
    if (reason !== 'end-of-input') {
      if (this.store) {
        this.options.log?.(`stopped (${reason}): open windows are kept in the checkpoint ${this.store.location} and go on when the run resumes`);
      } else {
        // Without a checkpoint nothing would keep the open windows: they are emitted, as at the end of input.
        runtime.finish();
        this.options.log?.(`stopped (${reason}) with no checkpoint dir: open windows were closed and their rows delivered, as at the end of input`);
      }
    }
    await this.commit();
    await this.target.close();
    return reason;
  }

  /** Saves the checkpoint, then delivers the epoch's rows (see the file comment for why in that order). */
  async commit(): Promise<void> {
    const runtime = this.running;
    const rows = this.held;
    const epoch = this.epoch + 1;
    // Before the first batch there is no running instance: the restored state (if any) is still the state.
    const snapshot = runtime ? runtime.snapshot() : this.restored;
    const state: LoopState = { runtime: snapshot, positions: this.source.checkpoints(), rows };
    // A save that throws (a conflict, a full disk) leaves the loop as it was: nothing is delivered.
    if (this.store && snapshot) await this.store.save(epoch, state);
    this.held = [];
    this.heldBytes = 0;
    this.epoch = epoch;
    this.lastSaved = state;
    // Committed: an in-process stream may now drop what lies before these positions (its memory stays bounded).
    this.source.committed?.(state.positions);
    this.metrics.checkpoints++;
    this.firstRecordsAt = undefined;
    this.committedOnce = true;
    await this.deliver(rows, epoch, state);
    this.lastCommit = this.clock();
  }

  /**
   * Delivers committed rows, then marks them delivered; rows the target could not deliver are committed again as
   * the next epoch's only rows (same engine state and positions), so that they, and only they, go out next time.
   */
  private async deliver(rows: readonly OutputRow[], epoch: number, committed: LoopState): Promise<void> {
    const result = await this.target.deliver(rows, epoch);
    const left = result ? result.undelivered : [];
    if (left.length === 0) {
      if (rows.length > 0) await this.store?.markDelivered?.(epoch);
      return;
    }
    if (!this.store) return;
    const again: LoopState = { ...committed, rows: [...left] };
    try {
      await this.store.save(epoch + 1, again);
      this.epoch = epoch + 1;
      this.lastSaved = again;
    } catch (error) {
      // The rows stay pending in the epoch that was committed; only the delivered ones may come again.
      (this.options.warn ?? this.options.log)?.(`could not record which rows were delivered (${(error as Error).message}): every row of epoch ${epoch} will be delivered again`);
    }
  }
}

/**
 * About the length of a row as a JSON line, without writing it: the held bytes only decide when to commit early
 * (a threshold, not a limit), and serialising every row here as well as in the checkpoint and the object cost a
 * third of the per-row output work of a query that emits a row per record. Strings count their characters (escapes
 * not counted), numbers a typical 12, anything else (nested values) is serialised.
 */
export function estimatedJsonLength(row: Record<string, unknown>): number {
  let n = 2;
  for (const key in row) {
    const value = row[key];
    n += key.length + 4;
    if (typeof value === 'string') n += value.length + 2;
    else if (typeof value === 'number') n += 12;
    else if (typeof value === 'boolean') n += 5;
    else if (value === null || value === undefined) n += 4;
    else n += JSON.stringify(value)?.length ?? 4;
  }
  return n;
}
