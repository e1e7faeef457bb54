/**
 * One running KDA application: the input mapping (payload bytes -> typed rows) in front of the SQL engine, with
 * the ROWTIME rule, error_stream rows for records that do not map, and JSON-ready output rows. Every host gets it
 * from {@link buildApplication} (compile once) and {@link CompiledRuntime.start} (start many): `run`, `replay`,
 * the Lambda host, `validate` and the CDK synth check, so they all give the same rows for the same records.
 */
import { compileApplication, jsonErrorRow, jsonRow, type CompiledApplication, type Engine, type StreamSchema } from '../engine/index.js';
import type { ExecutionError } from '../errors.js';
import type { RelNode } from '../plan/index.js';
import { PlanError, SqlSyntaxError } from '../errors.js';
import { parseSqlType, type Value } from '../types/sql-type.js';
import type { DefinitionOrigin, RecordFormatDefinition } from '../spec/app-definition.js';
import { sqlPositionInFile } from '../spec/sql-position.js';
import { createInputDecoder, type InputDecoder } from '../input/index.js';
import { wallClock, type Clock } from './clock.js';

export const ERROR_STREAM = 'error_stream';

export type OutputListener = (stream: string, row: Record<string, unknown>, rowtime: number) => void;

/** A reference table with its rows loaded (a file, an S3 object, or a conformance case's inline data). */
export type LoadedReference = RecordFormatDefinition & { readonly tableName: string; readonly rows: readonly Value[][] };

/**
 * What an application needs to compile: its SQL, its input schema and its reference tables, not where records come
 * from or go to. An ApplicationDefinition is one; so are the Lambda host's environment and a conformance case.
 */
export interface RuntimeSpec {
  readonly sql: string;
  readonly input: RecordFormatDefinition & { readonly namePrefix: string };
  readonly references?: readonly LoadedReference[];
  /** Where the SQL was read from, so that SQL errors name the file's own line and column. */
  readonly origin?: DefinitionOrigin;
}

export interface BuildOptions {
  /**
   * The clock port: what CURRENT_ROW_TIMESTAMP, LOCALTIMESTAMP and ERROR_TIME read. A replayed source passes a
   * ReplayClock's `now`, a live source the wall clock (see clock.ts). @default the wall clock
   */
  readonly clock?: Clock;
  /** Seed of the randomized functions (RANDOM_CUT_FOREST and such). */
  readonly seed?: number;
}

/** A compiled application: valid, ready to start any number of independent running instances. */
export interface CompiledRuntime {
  /** The in-application input stream, `<namePrefix>_001`. */
  readonly inputStream: string;
  /** Every stream CREATE STREAM creates, with its columns. */
  readonly streams: readonly StreamSchema[];
  /** Streams written by a windowed aggregation (GROUP BY or stagger): each of their rows closes a window for a group. */
  readonly windowedStreams: ReadonlySet<string>;
  /** How many pumps the application has. */
  readonly pumps: number;
  /** A new running instance, with empty windows. */
  start(): ApplicationRuntime;
}

/**
 * Builds an application: the one function every host calls. The input mapping, the SQL and the reference schemas
 * are checked here; SQL errors are rethrown with the file position of the SQL (a YAML template's own line and
 * column), and nothing runs before the whole application is known to be valid.
 *
 * @example
 * const app = buildApplication(definition, { clock: wallClock });
 * const runtime = app.start();
 * runtime.onOutput((stream, row) => console.log(stream, row));
 * runtime.ingest('{"ticker":"AMZN","price":10.5}', Date.now());
 */
export function buildApplication(spec: RuntimeSpec, options: BuildOptions = {}): CompiledRuntime {
  const input = { ...spec.input, columns: [...spec.input.columns] };
  const inputStream = `${spec.input.namePrefix}_001`;
  const columns = createInputDecoder(input).columns;
  let compiled: CompiledApplication;
  try {
    compiled = compileApplication({
      sql: spec.sql,
      inputs: [{ name: inputStream, columns: columns.map((c) => ({ name: c.name, type: c.type })) }],
      references: (spec.references ?? []).map((r) => ({
        name: r.tableName,
        columns: r.columns.map((c) => ({ name: c.name, type: parseSqlType(c.sqlType) })),
        rows: r.rows.map((row) => [...row]),
      })),
      options: { seed: options.seed, clock: options.clock ?? wallClock },
    });
  } catch (e) {
    throw locateSqlError(e, spec.origin);
  }
  const windowedStreams = new Set(compiled.plan.pumps.filter((p) => aggregates(p.query)).map((p) => p.target));
  return {
    inputStream,
    streams: compiled.streams,
    windowedStreams,
    pumps: compiled.plan.pumps.length,
    // Each instance decodes with its own decoder: decoders keep per-call scratch state.
    start: () => new ApplicationRuntime(compiled, createInputDecoder(input), inputStream, windowedStreams),
  };
}

export interface RuntimeState {
  readonly engine: unknown;
  readonly lastRowtime: number | null;
}

export class ApplicationRuntime {
  readonly inputStream: string;
  /** Streams written by a windowed aggregation (GROUP BY or stagger): each of their rows closes a window for a group. */
  readonly windowedStreams: ReadonlySet<string>;
  private readonly engine: Engine;
  private readonly decoder: InputDecoder;
  private readonly listeners: OutputListener[] = [];
  private lastRowtime = Number.NEGATIVE_INFINITY;
  /** Rows that entered the in-application input stream. */
  rowsIngested = 0;

  /** Use {@link buildApplication} and start(). */
  constructor(compiled: CompiledApplication, decoder: InputDecoder, inputStream: string, windowedStreams: ReadonlySet<string>) {
    this.decoder = decoder;
    this.inputStream = inputStream;
    this.engine = compiled.start();
    this.windowedStreams = windowedStreams;
    const columnsOf = new Map(compiled.streams.map((s) => [s.name, s.columns]));
    this.engine.onRow((stream, row, rowtime) => {
      const columns = columnsOf.get(stream);
      if (columns) this.emit(stream, jsonRow(columns, row, rowtime), rowtime);
    });
    this.engine.onError((e) => this.emit(ERROR_STREAM, jsonErrorRow(e), e.DATA_ROWTIME ?? e.ERROR_TIME));
  }

  /** Shorthand for `buildApplication(spec, options).start()`, for a host that runs one instance. */
  static compile(spec: RuntimeSpec, options: BuildOptions = {}): ApplicationRuntime {
    return buildApplication(spec, options).start();
  }

  onOutput(listener: OutputListener): void {
    this.listeners.push(listener);
  }

  /**
   * One record payload enters the application. ROWTIME is its arrival time, but never less than the ROWTIME of
   * the row before (ROWTIME never decreases); APPROXIMATE_ARRIVAL_TIME keeps the arrival time itself.
   */
  ingest(payload: Uint8Array | string, rowtime: number, approximateArrivalTime: number = rowtime): void {
    const t = rowtime > this.lastRowtime ? rowtime : this.lastRowtime;
    this.lastRowtime = t;
    // The callbacks are made once (no closures per record) and read the record's times from these fields; the
    // previous values come back afterwards, in case an output listener ingests a record meanwhile.
    const outerT = this.recordRowtime;
    const outerArrival = this.recordArrival;
    this.recordRowtime = t;
    this.recordArrival = approximateArrivalTime;
    try {
      this.decoder.decode(payload, this.onDecodedRow, this.onDecodeError);
    } finally {
      this.recordRowtime = outerT;
      this.recordArrival = outerArrival;
    }
  }

  /** ROWTIME and arrival time of the record being ingested (see ingest). */
  private recordRowtime = 0;
  private recordArrival = 0;
  private readonly onDecodedRow = (row: Value[]): void => {
    this.rowsIngested++;
    this.engine.insert(this.inputStream, row, this.recordRowtime, this.recordArrival);
  };
  private readonly onDecodeError = (error: ExecutionError, raw: Uint8Array | string): void => {
    this.engine.reportError(error, raw, this.recordRowtime);
  };

  /** A record that failed before the input mapping (a corrupt aggregate, a failed preprocessor) goes to error_stream. */
  recordError(error: ExecutionError, raw: Uint8Array | string, rowtime: number | null): void {
    this.engine.reportError(error, raw, rowtime);
  }

  /**
   * Replaces a reference table's rows (KDA reloads reference data only on request); records ingested afterwards
   * see the new rows. Throws ConfigError for a table the application does not have.
   */
  reloadReference(tableName: string, rows: readonly (readonly Value[])[]): void {
    this.engine.reloadReference(tableName, rows);
  }

  /** The clock moved on with no records: windows that end at or before `time` close. */
  advanceTo(time: number): void {
    if (time > this.lastRowtime) this.lastRowtime = time;
    this.engine.advanceTo(time);
  }

  /** End of input: every open window closes and emits. */
  finish(): void {
    this.engine.finish();
  }

  snapshot(): RuntimeState {
    return { engine: this.engine.snapshot(), lastRowtime: Number.isFinite(this.lastRowtime) ? this.lastRowtime : null };
  }

  restore(state: RuntimeState): void {
    this.engine.restore(state.engine);
    this.lastRowtime = state.lastRowtime ?? Number.NEGATIVE_INFINITY;
  }

  private emit(stream: string, row: Record<string, unknown>, rowtime: number): void {
    for (const l of this.listeners) l(stream, row, rowtime);
  }
}

/** Whether a query aggregates over windows anywhere in its tree. */
function aggregates(node: RelNode): boolean {
  if (node.kind === 'Aggregate' || node.kind === 'Stagger') return true;
  const n = node as { input?: RelNode; inputs?: readonly RelNode[]; left?: RelNode; right?: RelNode };
  return (n.input !== undefined && aggregates(n.input)) || (n.inputs ?? []).some(aggregates) || [n.left, n.right].some((x) => x !== undefined && aggregates(x));
}

/**
 * SQL positions are relative to the SQL text; users need them in the file they wrote. The error keeps its class,
 * message and SQL line and column, and records the file position as its `location` (the CLI shows
 * `app.yaml:30:9: line 1, column 1: ...`).
 */
function locateSqlError(e: unknown, origin: DefinitionOrigin | undefined): unknown {
  if (origin && (e instanceof SqlSyntaxError || e instanceof PlanError) && e.line !== undefined && e.column !== undefined) {
    e.locate(sqlPositionInFile(origin, e.line, e.column));
  }
  return e;
}
