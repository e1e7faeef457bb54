/**
 * One running KDA application: the input mapping (payload bytes -> typed rows) in front of the SQL engine, with
 * ROWTIME stamping, error_stream rows for records that do not map, and JSON-ready output rows. Used by `replay`,
 * by the pipeline and by the Lambda host alike, so they all give the same rows for the same records.
 */
import { compileApplication, jsonErrorRow, jsonRow, type CompiledApplication, type Engine } from '../engine/index.js';
import type { ExecutionError } from '../errors.js';
import type { RelNode } from '../plan/index.js';
import { PlanError, SqlSyntaxError } from '../errors.js';
import { parseSqlType, type Value } from '../types/sql-type.js';
import type { ApplicationDefinition, RecordFormatDefinition } from '../spec/app-definition.js';
import { sqlPositionInFile } from '../spec/sql-position.js';
import { createInputDecoder, type InputDecoder } from '../input/index.js';

export const ERROR_STREAM = 'error_stream';

export type OutputListener = (stream: string, row: Record<string, unknown>, rowtime: number) => void;

/** What an application needs to compile: the definition minus where its records come from and go to. */
export type RuntimeSpec = Pick<ApplicationDefinition, 'sql' | 'input' | 'origin'> & {
  readonly references?: readonly (RecordFormatDefinition & { readonly tableName: string; readonly rows: readonly Value[][] })[];
};

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

  private constructor(compiled: CompiledApplication, decoder: InputDecoder, inputStream: string) {
    this.decoder = decoder;
    this.inputStream = inputStream;
    this.engine = compiled.start();
    this.windowedStreams = new Set(compiled.plan.pumps.filter((p) => aggregates(p.query)).map((p) => p.target));
    const columnsOf = new Map(compiled.streams.map((s) => [s.name, s.columns]));
    this.engine.onRow((stream, row, rowtime) => {
      const columns = columnsOf.get(stream);
      if (columns) this.emit(stream, jsonRow(columns, row, rowtime), rowtime);
    });
    this.engine.onError((e) => this.emit(ERROR_STREAM, jsonErrorRow(e), e.DATA_ROWTIME ?? e.ERROR_TIME));
  }

  /**
   * Compiles the application. SQL errors are rethrown with the file position of the SQL (a YAML template's own
   * line and column), and nothing runs before the whole application is known to be valid.
   */
  static compile(spec: RuntimeSpec, options: { clock?: () => number; seed?: number } = {}): ApplicationRuntime {
    const decoder = createInputDecoder({ ...spec.input, columns: [...spec.input.columns] });
    const inputStream = `${spec.input.namePrefix}_001`;
    let compiled: CompiledApplication;
    try {
      compiled = compileApplication({
        sql: spec.sql,
        inputs: [{ name: inputStream, columns: decoder.columns.map((c) => ({ name: c.name, type: c.type })) }],
        references: (spec.references ?? []).map((r) => ({
          name: r.tableName,
          columns: r.columns.map((c) => ({ name: c.name, type: parseSqlType(c.sqlType) })),
          rows: r.rows.map((row) => [...row]),
        })),
        options: { seed: options.seed, clock: options.clock },
      });
    } catch (e) {
      throw locateSqlError(e, spec);
    }
    return new ApplicationRuntime(compiled, decoder, inputStream);
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
 * SQL positions are relative to the SQL text; users need them in the file they wrote. The error keeps its class and
 * its SQL line and column; the message gains the file position in front (`app.yaml:30:9: line 1, column 1: ...`).
 */
function locateSqlError(e: unknown, spec: RuntimeSpec): unknown {
  if ((e instanceof SqlSyntaxError || e instanceof PlanError) && e.line !== undefined && e.column !== undefined) {
    const at = sqlPositionInFile(spec.origin, e.line, e.column);
    e.message = `${at.file}:${at.line}:${at.column}: ${e.message}`;
  }
  return e;
}
