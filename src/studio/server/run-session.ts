/**
 * The studio's only link to the running application: it builds and runs one application definition on the runtime
 * (src/runtime: `buildApplication`, `ShardLoop`, the preprocessing stage), taps every in-application stream and
 * error_stream, samples the input records beside their mapped rows, reports progress with the terminal's own
 * figures, validates SQL with the engine, and restarts on new SQL at the source position where the previous run
 * stopped (as KDA restarted an updated application). Everything else in the studio talks to this class, so
 * pointing the studio at another runtime changes this file only.
 */
import type { ApplicationDefinition } from '../../app/definition/index.js';
import { ProgressDisplay } from '../../app/pipeline/progress-display.js';
import { createSource } from '../../app/pipeline/source-factory.js';
import { EmbeddedTarget } from '../../app/producer/producer-targets.js';
import { TickerProducer } from '../../app/producer/ticker-producer.js';
import { loadReferenceData } from '../../app/reference/load-reference-data.js';
import { ConfigError, NotImplementedError, PlanError, SqlSyntaxError } from '../../errors.js';
import { createInputDecoder, type InputDecoder } from '../../input/index.js';
import { EmbeddedStream, EmbeddedStreamSource, type ShardCheckpoint, type StreamSource } from '../../kinesis/index.js';
import { buildApplication, ERROR_STREAM, type CompiledRuntime } from '../../runtime/application-runtime.js';
import { ReplayClock, wallClock } from '../../runtime/clock.js';
import { createPreprocessStage, type PreprocessStage } from '../../runtime/preprocess/preprocess-stage.js';
import { RunMetrics } from '../../runtime/run-metrics.js';
import { ShardLoop, type DeliveryTarget, type LoadedState, type LoopState, type StateStore } from '../../runtime/shard-loop.js';
import { formatSqlType, type Value } from '../../types/sql-type.js';

/** One SQL problem, at its line and column in the SQL text (1-based). */
export interface SqlDiagnostic {
  readonly line: number;
  readonly column: number;
  readonly message: string;
  readonly kind: string;
}

export interface StreamDescription {
  readonly name: string;
  readonly columns: readonly { readonly name: string; readonly type: string; readonly numeric: boolean }[];
  /** Delivered to an output of the definition. */
  readonly output: boolean;
}

export interface TappedRow {
  readonly stream: string;
  readonly rowtime: number;
  readonly row: Record<string, unknown>;
}

export interface InputSample {
  readonly at: number;
  /** The payload as text (after preprocessing), or hex when it is not UTF-8. */
  readonly raw: string;
  /** The rows the input schema maps it to (values as JSON), or why it does not map. */
  readonly rows: readonly (readonly unknown[])[];
  readonly error?: string;
}

export interface RunSessionListener {
  rows(rows: readonly TappedRow[]): void;
  input(sample: InputSample): void;
  progress(figures: Record<string, unknown>): void;
  status(status: RunStatus): void;
}

export interface RunStatus {
  readonly state: 'running' | 'restarting' | 'stopped' | 'failed';
  readonly message: string;
  /** Which run: 1 for the first, one more per restart. */
  readonly generation: number;
}

export interface RunSessionOptions {
  /** Embedded source: the in-process producer's rate (user records/s). @default 1000 */
  readonly produceRate?: number;
  readonly seed?: number;
  /** How often progress figures are sent. @default 500 */
  readonly progressIntervalMs?: number;
  /** Input samples sent per second at most. @default 4 */
  readonly inputSamplesPerSecond?: number;
}

const NUMERIC = new Set(['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'DECIMAL', 'REAL', 'DOUBLE']);

/**
 * The state-store port held in memory: the studio keeps no state across processes, only the source positions of
 * the last commit, where a restart on new SQL resumes.
 */
class MemoryStateStore implements StateStore {
  readonly location = 'the studio session (in memory)';
  private last: LoadedState | undefined;

  constructor(initial?: LoadedState) {
    this.last = initial;
  }

  load(): LoadedState | undefined {
    return this.last;
  }

  save(epoch: number, state: LoopState): void {
    // The rows are always empty (the target accepts no stream); the positions are what a restart needs.
    this.last = { epoch, state };
  }
}

/** The delivery-target port for a run that delivers nothing: the studio shows rows through its taps only. */
const NO_DELIVERY: DeliveryTarget = {
  accepts: () => false,
  deliver: async () => {},
  close: async () => {},
};

export class RunSession {
  private sql: string;
  private generation = 0;
  private abort: AbortController | null = null;
  private running: Promise<void> | null = null;
  /** The state store of the current run: its last commit holds the source positions a restart resumes from. */
  private store: MemoryStateStore | null = null;
  private readonly embedded: EmbeddedStream | null;
  private readonly producerStop = new AbortController();
  private producing: Promise<void> | null = null;
  private readonly listeners: RunSessionListener[] = [];
  private readonly sampleDecoder: InputDecoder;

  constructor(
    readonly definition: ApplicationDefinition,
    private readonly options: RunSessionOptions = {},
  ) {
    this.sql = definition.sql;
    this.embedded = definition.input.source.type === 'embedded' ? new EmbeddedStream({ name: 'embedded', shardCount: definition.input.source.shards ?? 2 }) : null;
    this.sampleDecoder = createInputDecoder({ ...definition.input, columns: [...definition.input.columns] });
  }

  get currentSql(): string {
    return this.sql;
  }

  listen(l: RunSessionListener): () => void {
    this.listeners.push(l);
    return () => {
      const i = this.listeners.indexOf(l);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /** The engine's verdict on `sql` with this application's input and reference tables: [] when it compiles. */
  validate(sql: string): SqlDiagnostic[] {
    try {
      this.build(sql, []);
      return [];
    } catch (e) {
      return [diagnosticOf(e)];
    }
  }

  /** The in-application streams of `sql` (CREATE STREAM) and their columns. */
  describeStreams(sql: string = this.sql): StreamDescription[] {
    const outputs = new Set(this.definition.outputs.map((o) => o.stream));
    return this.build(sql, []).streams.map((s) => ({
      name: s.name,
      output: outputs.has(s.name),
      columns: s.columns.map((c) => ({ name: c.name, type: formatSqlType(c.type), numeric: NUMERIC.has(c.type.kind) })),
    }));
  }

  /** Builds `sql` with this application's input and reference tables (`rows`: each table's rows, [] to check only). */
  private build(sql: string, rows: readonly (readonly Value[][])[], options: { seed?: number; clock?: () => number } = {}): CompiledRuntime {
    const references = this.definition.references.map((r, i) => ({ ...r, rows: rows[i] ?? [] }));
    return buildApplication({ ...this.definition, sql, references }, options);
  }

  /** Starts the first run (the definition's starting position). */
  async start(): Promise<void> {
    if (this.embedded && !this.producing) {
      const producer = new TickerProducer(new EmbeddedTarget(this.embedded), { recordsPerSecond: this.options.produceRate ?? 1000, seed: this.options.seed });
      this.producing = producer.run({ signal: this.producerStop.signal });
    }
    await this.launch(this.sql, undefined);
  }

  /**
   * Replaces the SQL and restarts: the running application stops gracefully (its source positions are saved), the
   * new SQL starts with fresh state from those positions. Invalid SQL is refused and the run goes on untouched.
   */
  restart(sql: string): Promise<SqlDiagnostic[]> {
    // Saves from two pages (or two quick clicks) restart one after the other, never interleaved.
    const next = this.restarts.then(() => this.restartNow(sql));
    this.restarts = next.catch(() => undefined);
    return next;
  }

  private restarts: Promise<unknown> = Promise.resolve();

  private async restartNow(sql: string): Promise<SqlDiagnostic[]> {
    const problems = this.validate(sql);
    if (problems.length > 0) return problems;
    this.emitStatus('restarting', 'stopping at the current source position');
    const positions = await this.stopRun();
    this.sql = sql;
    await this.launch(sql, positions);
    return [];
  }

  async close(): Promise<void> {
    await this.stopRun();
    this.producerStop.abort();
    await this.producing;
  }

  private status: RunStatus = { state: 'stopped', message: 'not started', generation: 0 };

  /** The latest status, for a page that connects after it was announced. */
  get lastStatus(): RunStatus {
    return this.status;
  }

  private emitStatus(state: RunStatus['state'], message: string): void {
    this.status = { state, message, generation: this.generation };
    for (const l of this.listeners) l.status(this.status);
  }

  /** Stops the current run; resolves to the source positions its final checkpoint saved. */
  private async stopRun(): Promise<ShardCheckpoint[] | undefined> {
    if (!this.abort) return undefined;
    this.abort.abort();
    await this.running;
    this.abort = null;
    this.running = null;
    return this.store?.load()?.state.positions;
  }

  private buildSource(): { source: StreamSource; live: boolean } {
    if (this.embedded) return { source: new EmbeddedStreamSource(this.embedded, { pollMs: 100 }), live: true };
    return createSource(this.definition.input.source, { pollMs: 200 });
  }

  private async launch(sql: string, positions: ShardCheckpoint[] | undefined): Promise<void> {
    const generation = ++this.generation;
    const def = this.definition;
    const tables = await Promise.all(def.references.map(async (r) => (await loadReferenceData(r)).rows));
    const built = this.buildSource();
    // As `run`: a replayed file carries its own time, a live source's application reads the wall clock.
    const replayClock = built.live ? undefined : new ReplayClock();
    const compiled = this.build(sql, tables, { seed: this.options.seed, clock: replayClock?.now ?? wallClock });
    const metrics = new RunMetrics(Date.now());
    const stage = this.sampling(await createPreprocessStage(def.input.preprocessor, built.source.shardHashKeyRange?.bind(built.source)));
    // A restart resumes at the saved positions with the new application's fresh state (the old state belongs to
    // other SQL): a state with positions and no engine state.
    const store = new MemoryStateStore(positions ? { epoch: 0, state: { positions, rows: [] } } : undefined);
    this.store = store;
    const loop = new ShardLoop(
      compiled,
      built.source,
      stage,
      NO_DELIVERY,
      metrics,
      {
        application: def.name,
        startingPosition: def.input.startingPosition,
        // The studio delivers nothing; commits only save the positions a restart resumes from.
        commitIntervalMs: 2000,
        commitBytes: Number.MAX_SAFE_INTEGER,
        idleAdvanceGraceMs: built.live ? 1000 : undefined,
        replayClock,
        onStart: (runtime) =>
          runtime.onOutput((stream, row, rowtime) => {
            if (generation !== this.generation) return;
            const shown = stream === ERROR_STREAM ? withDataRowText(row) : row;
            this.pending.push({ stream, rowtime, row: shown });
            if (this.pending.length >= 256) this.flushRows();
          }),
      },
      store,
    );
    await loop.recover();
    const abort = new AbortController();
    this.abort = abort;
    const progress = new ProgressDisplay({ write: (line: string) => this.emitProgress(line) }, { json: true });
    const timer = setInterval(() => {
      this.flushRows();
      progress.update(metrics, Date.now());
    }, this.options.progressIntervalMs ?? 500);
    const flusher = setInterval(() => this.flushRows(), 100);
    this.emitStatus('running', positions ? 'restarted at the previous source position' : `started at ${def.input.startingPosition}`);
    this.running = loop
      .run({ signal: abort.signal })
      .then((reason) => {
        this.flushRows();
        progress.update(metrics, Date.now());
        if (generation === this.generation) this.emitStatus('stopped', `stopped (${reason})`);
      })
      .catch((e: Error) => {
        if (generation === this.generation) this.emitStatus('failed', e.message);
      })
      .finally(() => {
        clearInterval(timer);
        clearInterval(flusher);
      });
  }

  private pending: TappedRow[] = [];

  private flushRows(): void {
    if (this.pending.length === 0) return;
    const rows = this.pending;
    this.pending = [];
    for (const l of this.listeners) l.rows(rows);
  }

  private emitProgress(line: string): void {
    let figures: Record<string, unknown>;
    try {
      figures = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return;
    }
    for (const l of this.listeners) l.progress(figures);
  }

  /** Wraps the preprocessing stage to sample payloads (at most a few per second) with the rows they map to. */
  private sampling(stage: PreprocessStage): PreprocessStage {
    const perSecond = this.options.inputSamplesPerSecond ?? 4;
    let windowStart = 0;
    let taken = 0;
    const sample = (data: Uint8Array) => {
      const now = Date.now();
      if (now - windowStart >= 1000) {
        windowStart = now;
        taken = 0;
      }
      if (taken >= perSecond || this.listeners.length === 0) return;
      taken++;
      const rows: unknown[][] = [];
      let error: string | undefined;
      this.sampleDecoder.decode(
        data,
        (row) => rows.push(row.map(jsonSafe)),
        (e) => (error = `${e.errorName}: ${e.message}`),
      );
      const s: InputSample = { at: now, raw: textOrHex(data), rows, ...(error ? { error } : {}) };
      for (const l of this.listeners) l.input(s);
    };
    return {
      get userRecords() {
        return stage.userRecords;
      },
      process: (records, sink) =>
        stage.process(records, {
          payload: (data, r) => {
            sample(data);
            sink.payload(data, r);
          },
          failed: (e, r) => sink.failed(e, r),
        }),
    };
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function textOrHex(data: Uint8Array): string {
  try {
    return utf8.decode(data);
  } catch {
    return Buffer.from(data).toString('hex');
  }
}

function jsonSafe(v: Value): unknown {
  if (v instanceof Uint8Array) return Buffer.from(v).toString('hex');
  return v;
}

/** error_stream's DATA_ROW is hex; where those bytes are UTF-8 text without control characters, show the text. */
function withDataRowText(row: Record<string, unknown>): Record<string, unknown> {
  const hex = row.DATA_ROW;
  if (typeof hex !== 'string' || hex.length === 0 || hex.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(hex)) return row;
  try {
    const text = utf8.decode(Buffer.from(hex, 'hex'));
    // eslint-disable-next-line no-control-regex
    if (/[\x00-\x08\x0e-\x1f\x7f]/.test(text)) return row;
    return { ...row, DATA_ROW: text };
  } catch {
    return row;
  }
}

function diagnosticOf(e: unknown): SqlDiagnostic {
  if ((e instanceof SqlSyntaxError || e instanceof PlanError) && e.line !== undefined && e.column !== undefined) {
    // The message carries the file position and "line L, column C: " in front (see ApplicationRuntime); the editor
    // marks the position itself.
    const message = e.message.replace(/^.*?line \d+, column \d+: /, '');
    return { line: e.line, column: e.column, message, kind: e.name };
  }
  if (e instanceof PlanError || e instanceof NotImplementedError || e instanceof ConfigError) return { line: 1, column: 1, message: e.message, kind: e.name };
  throw e;
}
