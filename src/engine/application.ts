import { ConfigError, ExecutionError } from '../errors.js';
import { type ApplicationPlan, planApplication, scannedStreams, type StreamInfo } from '../plan/index.js';
import { parseScript } from '../sql/index.js';
import { formatSqlType, type SqlType, type Value } from '../types/sql-type.js';
import { assignmentIsIdentity, assignValue } from './assign-value.js';
import { buildQuery } from './build-operators.js';
import type { EvalContext } from './compile-expression.js';
import { type ErrorRow, errorRow } from './error-row.js';
import { createFunctionRegistry, type FunctionRegistry } from './function-registry.js';
import type { Emit, Operator } from './operators/operator.js';
import { decodeRow, encodeRow, type EncodedValue } from './snapshot-codec.js';
import { withTableFunctions } from './table-function-registry.js';
import { ReferenceTable } from './reference-table.js';

export type { ErrorRow } from './error-row.js';

export interface StreamSchema {
  name: string;
  columns: { name: string; type: SqlType; notNull?: boolean }[];
}

export interface ApplicationSpec {
  sql: string;
  /** The in-application input streams, e.g. SOURCE_SQL_STREAM_001 (the engine adds ROWTIME and APPROXIMATE_ARRIVAL_TIME). */
  inputs: StreamSchema[];
  /** Reference-data tables, loaded before the first record; a query may join a stream to them (INNER / LEFT OUTER). */
  references?: { name: string; columns: StreamSchema['columns']; rows: Value[][] }[];
  options?: {
    seed?: number;
    /**
     * The clock for CURRENT_ROW_TIMESTAMP (read per row), CURRENT_TIMESTAMP / LOCALTIMESTAMP / CURRENT_DATE /
     * CURRENT_TIME / LOCALTIME (read once, when the first row or rowtime bound arrives, and kept in snapshots)
     * and error_stream.ERROR_TIME. A function (default Date.now: a live source), or 'arrival': the time of the
     * input being processed (the latest row's arrival time or rowtime bound), so a replay of a recording gives
     * the same rows every time.
     */
    clock?: (() => number) | 'arrival';
  };
}

export interface Engine {
  /**
   * A row enters an input stream. rowtime = arrival (ms); approximateArrivalTime defaults to rowtime.
   * The engine takes ownership of `row` (it appends the APPROXIMATE_ARRIVAL_TIME column to it).
   */
  insert(inputStream: string, row: Value[], rowtime: number, approximateArrivalTime?: number): void;
  /** The clock moved on with no rows (a rowtime bound): windows up to `time` may close. */
  advanceTo(time: number): void;
  /** End of input: close every open window. */
  finish(): void;
  onRow(listener: (stream: string, row: Value[], rowtime: number) => void): void;
  onError(listener: (error: ErrorRow) => void): void;
  /** Reports an error that happened outside the engine (e.g. an input record that does not decode) on error_stream. */
  reportError(error: ExecutionError, data: Uint8Array | string, dataRowtime: number | null): void;
  /**
   * Replaces a reference table's rows (KDA reloads a table only on request). Rows that arrive afterwards see
   * the new rows; rows already joined are not revisited. Throws ConfigError for an unknown table.
   */
  reloadReference(name: string, rows: readonly (readonly Value[])[]): void;
  snapshot(): unknown;
  restore(state: unknown): void;
}

export interface CompiledApplication {
  /** Every in-application stream created by CREATE STREAM. */
  readonly streams: readonly StreamSchema[];
  readonly plan: ApplicationPlan;
  start(): Engine;
}

/**
 * Compiles a KDA SQL application: parses, plans and type-checks it. Every syntax or semantic error is thrown
 * here (SqlSyntaxError / PlanError / NotImplementedError with line and column), before any record is read.
 *
 * @example
 * const app = compileApplication({ sql, inputs: [{ name: 'SOURCE_SQL_STREAM_001', columns }] });
 * const engine = app.start();
 * engine.onRow((stream, row, rowtime) => console.log(stream, row, rowtime));
 * engine.insert('SOURCE_SQL_STREAM_001', ['AMZN', 10.5], Date.parse('2026-01-01T00:00:05Z'));
 * engine.finish();
 */
export function compileApplication(spec: ApplicationSpec, registry: FunctionRegistry = createFunctionRegistry()): CompiledApplication {
  const script = parseScript(spec.sql);
  const inputs: StreamInfo[] = spec.inputs.map((s) => ({ name: s.name, kind: 'input', columns: s.columns.map((c) => ({ name: c.name, type: c.type, notNull: c.notNull })) }));
  const references = spec.references ?? [];
  const tableColumns = new Map(references.map((r) => [r.name, r.columns.map((c) => ({ name: c.name, type: c.type }))]));
  const plan = planApplication(script, inputs, withTableFunctions(registry), tableColumns);
  const streams = plan.streams.filter((s) => s.kind === 'app').map((s) => ({ name: s.name, columns: s.columns.map((c) => ({ name: c.name, type: c.type, notNull: c.notNull })) }));
  // APPROXIMATE_ARRIVAL_TIME is never part of `*`: when the code does not name it, rows need not carry it.
  const needsArrival = /APPROXIMATE_ARRIVAL_TIME/i.test(spec.sql);
  const start = () => {
    // Each running instance gets its own tables, so reloading one engine's table leaves the others as they are.
    const tables = new Map(references.map((r) => [r.name, new ReferenceTable(r.name, r.columns, r.rows)]));
    return new EngineInstance(plan, spec.options?.clock ?? Date.now, needsArrival, tables, spec.options?.seed);
  };
  return { streams, plan, start };
}

interface StreamRuntime {
  readonly info: StreamInfo;
  /** ROWTIME of the last row the stream let through. */
  lastRowtime: number;
  readonly subscribers: Emit[];
  /** The pumps inserting into this (application) stream. */
  readonly inserters: PumpRuntime[];
  /** Rows of several inserters wait here until every inserter has moved past them (see `drain`). */
  merging: boolean;
}

interface PumpRuntime {
  readonly name: string;
  readonly target: StreamRuntime;
  /** Index of its first operator in the engine's list, and how many it has. */
  readonly firstOperator: number;
  readonly operatorCount: number;
  /** The bound of the rows its query will still produce. */
  bound: () => number;
  /** ROWTIME of the last row it inserted: a later row of this pump older than that is out of order. */
  lastInserted: number;
  /** Rows inserted into a merging stream and not yet let through, oldest first (`head` is the next one). */
  queue: { row: Value[]; rowtime: number; seq: number }[];
  head: number;
  finished: boolean;
}

class EngineInstance implements Engine {
  private readonly streams = new Map<string, StreamRuntime>();
  private readonly pumps: PumpRuntime[] = [];
  private readonly operators: Operator[] = [];
  /** For each operator, the bound of its input: how far it may be advanced. */
  private readonly inputBounds: (() => number)[] = [];
  /** Operators that emit on their own at known times (window ends). */
  private readonly timedOperators: number[] = [];
  private readonly mergingStreams: StreamRuntime[] = [];
  private time = -Infinity;
  private seq = 0;
  /** End of input: input streams will bring no more rows. */
  private inputEnded = false;
  private readonly rowListeners: ((stream: string, row: Value[], rowtime: number) => void)[] = [];
  private readonly errorListeners: ((e: ErrorRow) => void)[] = [];
  private readonly ctx: EvalContext;
  private readonly clock: () => number;
  private readonly arrivalClock: boolean;
  /** When the query first ran (the first row or rowtime bound): CURRENT_TIMESTAMP and the like. */
  private queryStart: number | null = null;

  constructor(
    plan: ApplicationPlan,
    clock: (() => number) | 'arrival',
    private readonly needsArrival: boolean,
    private readonly tables: ReadonlyMap<string, ReferenceTable>,
    seed: number | undefined,
  ) {
    this.arrivalClock = clock === 'arrival';
    this.clock = clock === 'arrival' ? () => (Number.isFinite(this.time) ? this.time : 0) : clock;
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the context's getter reads the engine's start time
    const engine = this;
    this.ctx = {
      rowClock: this.clock,
      get queryStart() {
        return engine.startTime();
      },
    };
    for (const s of plan.streams) this.streams.set(s.name, { info: s, lastRowtime: -Infinity, subscribers: [], inserters: [], merging: false });
    for (const pump of orderPumps(plan)) {
      const target = this.streams.get(pump.target)!;
      const runtime: PumpRuntime = {
        name: pump.name,
        target,
        firstOperator: this.operators.length,
        operatorCount: 0,
        bound: () => -Infinity,
        lastInserted: -Infinity,
        queue: [],
        head: 0,
        finished: false,
      };
      target.inserters.push(runtime);
      const fromTypes = pump.query.columns.map((c) => c.type);
      const width = target.info.columns.length;
      const toCols = target.info.columns;
      const idx = pump.targetIndexes;
      // When the query's columns are exactly the stream's, in order, and need no conversion, rows go in as they are.
      const direct =
        idx.length === width &&
        idx.every((t, i) => t === i) &&
        toCols.every((c, i) => !c.notNull && assignmentIsIdentity(fromTypes[i], c.type));
      const sink: Emit = direct ? (row, rowtime) => this.insertFrom(runtime, row, rowtime) : (row, rowtime) => {
        const out: Value[] = new Array(width).fill(null);
        for (let i = 0; i < idx.length; i++) out[idx[i]] = assignValue(row[i], fromTypes[i], toCols[idx[i]].type);
        for (let i = 0; i < width; i++) {
          if (out[i] === null && toCols[i].notNull) {
            throw new ExecutionError('NOT_NULL_VIOLATION', `NULL for NOT NULL column ${toCols[i].name} of stream ${target.info.name}`, { stream: target.info.name });
          }
        }
        this.insertFrom(runtime, out, rowtime);
      };
      const guard = (emit: Emit): Emit => (row, rowtime) => {
        try {
          emit(row, rowtime);
        } catch (e) {
          if (!(e instanceof ExecutionError)) throw e;
          this.error(e, rowtime, row, pump.name);
        }
      };
      const built = buildQuery(pump.query, sink, this.ctx, guard, tables, { seed, streamBound: (name) => this.streamBound(name) });
      for (const entry of built.entries) this.streams.get(entry.stream)!.subscribers.push(guard(entry.push));
      this.operators.push(...built.operators);
      this.inputBounds.push(...built.inputBounds);
      (runtime as { operatorCount: number }).operatorCount = built.operators.length;
      runtime.bound = built.bound;
      this.pumps.push(runtime);
    }
    this.operators.forEach((o, i) => {
      if (o.nextDeadline !== undefined) this.timedOperators.push(i);
    });
    for (const s of this.streams.values()) {
      if (s.inserters.length > 1) {
        s.merging = true;
        this.mergingStreams.push(s);
      }
    }
  }

  private startTime(): number {
    if (this.queryStart === null) this.queryStart = this.clock();
    return this.queryStart;
  }

  /**
   * The lowest ROWTIME a stream may still carry: an input stream's is the engine's time; an application
   * stream's is the lowest of its inserters' (and of the rows it still holds for merging).
   */
  private streamBound(name: string): () => number {
    const s = this.streams.get(name)!;
    if (s.info.kind === 'input') return () => (this.inputEnded ? Infinity : this.time);
    let visiting = false;
    return () => {
      // A cycle of pumps between streams has no bound of its own: it moves with the engine's time.
      if (visiting) return this.time;
      visiting = true;
      try {
        let b = Infinity;
        for (const p of s.inserters) {
          if (p.head < p.queue.length) b = Math.min(b, p.queue[p.head].rowtime);
          else b = Math.min(b, this.pumpBound(p));
        }
        return b;
      } finally {
        visiting = false;
      }
    };
  }

  /** Rows a pump has yet to insert are no older than its query's bound, nor than its last inserted row. */
  private pumpBound(p: PumpRuntime): number {
    if (p.finished) return Infinity;
    const b = p.bound();
    return b > p.lastInserted ? b : p.lastInserted;
  }

  /** A pump inserts a row: each inserter's rows must be in ROWTIME order; several inserters are merged. */
  private insertFrom(p: PumpRuntime, row: Value[], rowtime: number): void {
    if (rowtime < p.lastInserted) {
      throw new ExecutionError(
        'ROWTIME_OUT_OF_ORDER',
        `row with ROWTIME ${new Date(rowtime).toISOString()} is earlier than the last row pump ${p.name} inserted into ${p.target.info.name} (${new Date(p.lastInserted).toISOString()})`,
      );
    }
    p.lastInserted = rowtime;
    const s = p.target;
    if (!s.merging) {
      this.insertInto(s, row, rowtime);
      return;
    }
    p.queue.push({ row, rowtime, seq: this.seq++ });
    this.drain(s);
  }

  /**
   * Lets through, in ROWTIME order, the held rows of a merging stream that no inserter can still undercut:
   * a row goes once every inserter with nothing held has a bound at or past it. Rows of equal ROWTIME keep
   * the order in which they were inserted.
   */
  private drain(s: StreamRuntime): void {
    const ins = s.inserters;
    for (;;) {
      let best: PumpRuntime | null = null;
      let limit = Infinity;
      for (let i = 0; i < ins.length; i++) {
        const p = ins[i];
        if (p.head < p.queue.length) {
          const h = p.queue[p.head];
          if (best === null || h.rowtime < best.queue[best.head].rowtime || (h.rowtime === best.queue[best.head].rowtime && h.seq < best.queue[best.head].seq)) best = p;
        } else {
          const b = this.pumpBound(p);
          if (b < limit) limit = b;
        }
      }
      if (best === null) return;
      const h = best.queue[best.head];
      if (h.rowtime > limit) return;
      best.queue[best.head++] = undefined as never;
      if (best.head === best.queue.length) {
        best.queue = [];
        best.head = 0;
      } else if (best.head > 1024 && best.head * 2 > best.queue.length) {
        best.queue = best.queue.slice(best.head);
        best.head = 0;
      }
      try {
        this.insertInto(s, h.row, h.rowtime);
      } catch (e) {
        if (!(e instanceof ExecutionError)) throw e;
        this.error(e, h.rowtime, h.row, best.name);
      }
    }
  }

  private insertInto(s: StreamRuntime, row: Value[], rowtime: number): void {
    if (rowtime < s.lastRowtime) {
      throw new ExecutionError('ROWTIME_OUT_OF_ORDER', `row with ROWTIME ${new Date(rowtime).toISOString()} is earlier than the last row of ${s.info.name} (${new Date(s.lastRowtime).toISOString()})`);
    }
    s.lastRowtime = rowtime;
    if (s.info.kind === 'app') {
      const ls = this.rowListeners;
      for (let i = 0; i < ls.length; i++) ls[i](s.info.name, row, rowtime);
    }
    const subs = s.subscribers;
    for (let i = 0; i < subs.length; i++) subs[i](row, rowtime);
  }

  private error(e: ExecutionError, dataRowtime: number | null, data: Uint8Array | string | readonly Value[], pump: string | null): void {
    // With the 'arrival' clock, a record that fails before any row went in is stamped with its own arrival time.
    const now = this.arrivalClock && !Number.isFinite(this.time) && dataRowtime !== null ? dataRowtime : this.clock();
    const row = errorRow(e, now, dataRowtime, data, pump);
    for (const l of this.errorListeners) l(row);
  }

  insert(inputStream: string, row: Value[], rowtime: number, approximateArrivalTime?: number): void {
    const s = this.streams.get(inputStream);
    if (!s || s.info.kind !== 'input') throw new ConfigError('inputStream', `'${inputStream}' is not an input stream of this application`);
    if (row.length !== s.info.columns.length) throw new ConfigError('row', `input stream ${inputStream} has ${s.info.columns.length} columns, the row has ${row.length}`);
    if (rowtime < this.time) {
      this.error(new ExecutionError('ROWTIME_OUT_OF_ORDER', `input row time ${new Date(rowtime).toISOString()} is before the current time ${new Date(this.time).toISOString()}`), rowtime, row, null);
      return;
    }
    if (rowtime > this.time) this.advanceTo(rowtime);
    if (this.queryStart === null) this.startTime();
    // The engine takes ownership of `row` (callers hand over a fresh array): the system column is appended in place.
    if (this.needsArrival) row.push(approximateArrivalTime ?? rowtime);
    this.insertInto(s, row, rowtime);
  }

  advanceTo(time: number): void {
    if (time <= this.time) return;
    this.time = time;
    if (this.queryStart === null) this.startTime();
    const ops = this.operators;
    const timed = this.timedOperators;
    const bounds = this.inputBounds;
    // Step through every window end before `time` in order, so that emissions of different operators that
    // meet in one pump (UNION ALL) leave it in ROWTIME order. An operator steps only as far as its input's
    // bound allows (a window after a T-sort closes on the sorted ROWTIME, not on arrival).
    if (timed.length > 1) {
      for (;;) {
        let next = Infinity;
        for (let i = 0; i < timed.length; i++) {
          const d = ops[timed[i]].nextDeadline!();
          if (d < next && d < time && d <= bounds[timed[i]]()) next = d;
        }
        if (next === Infinity) break;
        this.advanceAll(next);
      }
    }
    this.advanceAll(time);
  }

  /** Advances each operator to `time` or its input's bound, whichever is lower, upstream first. */
  private advanceAll(time: number): void {
    const ops = this.operators;
    const bounds = this.inputBounds;
    const pumps = this.pumps;
    for (let p = 0; p < pumps.length; p++) {
      const pump = pumps[p];
      const end = pump.firstOperator + pump.operatorCount;
      for (let i = pump.firstOperator; i < end; i++) {
        const b = bounds[i]();
        ops[i].advance(b < time ? b : time);
      }
      if (pump.target.merging) this.drain(pump.target);
    }
  }

  finish(): void {
    this.inputEnded = true;
    // Close the timed windows in the order of their ends first (see advanceTo), then flush the rest, pump by
    // pump in dependency order: a finished pump no longer holds back the streams it merges into.
    const ops = this.operators;
    const timed = this.timedOperators;
    const bounds = this.inputBounds;
    for (;;) {
      let next = Infinity;
      for (let i = 0; i < timed.length; i++) {
        const d = ops[timed[i]].nextDeadline!();
        if (d < next && d <= bounds[timed[i]]()) next = d;
      }
      if (next === Infinity) break;
      if (next > this.time) this.time = next;
      this.advanceAll(next);
    }
    for (const pump of this.pumps) {
      for (const s of this.mergingStreams) this.drain(s);
      const end = pump.firstOperator + pump.operatorCount;
      for (let i = pump.firstOperator; i < end; i++) ops[i].flush();
      pump.finished = true;
      if (pump.target.merging) this.drain(pump.target);
    }
    for (const s of this.mergingStreams) this.drain(s);
  }

  onRow(listener: (stream: string, row: Value[], rowtime: number) => void): void {
    this.rowListeners.push(listener);
  }

  onError(listener: (error: ErrorRow) => void): void {
    this.errorListeners.push(listener);
  }

  reportError(error: ExecutionError, data: Uint8Array | string, dataRowtime: number | null): void {
    this.error(error, dataRowtime, data, null);
  }

  reloadReference(name: string, rows: readonly (readonly Value[])[]): void {
    const t = this.tables.get(name);
    if (!t) throw new ConfigError('name', `'${name}' is not a reference table of this application (tables: ${[...this.tables.keys()].join(', ') || 'none'})`);
    t.load(rows);
  }

  snapshot(): unknown {
    return {
      version: 1,
      time: Number.isFinite(this.time) ? this.time : null,
      queryStart: this.queryStart,
      streams: [...this.streams.values()].map((s) => [s.info.name, Number.isFinite(s.lastRowtime) ? s.lastRowtime : null]),
      pumps: this.pumps.map((p) => ({
        name: p.name,
        lastInserted: Number.isFinite(p.lastInserted) ? p.lastInserted : null,
        held: p.queue.slice(p.head).map((h) => ({ row: encodeRow(h.row), rowtime: h.rowtime })),
      })),
      operators: this.operators.map((o) => ({ name: o.name, state: o.snapshot() })),
    };
  }

  restore(state: unknown): void {
    const s = state as {
      version: number;
      time: number | null;
      /** Absent in older snapshots: the query start is then taken again. */
      queryStart?: number | null;
      streams: [string, number | null][];
      /** Absent in snapshots taken before several inserters were merged: nothing was held then. */
      pumps?: { name: string; lastInserted: number | null; held: { row: EncodedValue[]; rowtime: number }[] }[];
      operators: { name: string; state: unknown }[];
    };
    if (s.version !== 1 || s.operators.length !== this.operators.length) {
      throw new ConfigError('state', 'the snapshot does not belong to this application (operator count differs)');
    }
    this.time = s.time ?? -Infinity;
    this.queryStart = s.queryStart ?? null;
    for (const [name, t] of s.streams) {
      const st = this.streams.get(name);
      if (st) st.lastRowtime = t ?? -Infinity;
    }
    for (const saved of s.pumps ?? []) {
      const p = this.pumps.find((x) => x.name === saved.name);
      if (!p) throw new ConfigError('state', `the snapshot has pump ${saved.name}, which this application does not`);
      p.lastInserted = saved.lastInserted ?? -Infinity;
      p.queue = saved.held.map((h) => ({ row: decodeRow(h.row), rowtime: h.rowtime, seq: this.seq++ }));
      p.head = 0;
    }
    s.operators.forEach((o, i) => {
      if (o.name !== this.operators[i].name) throw new ConfigError('state', `operator ${i} is ${this.operators[i].name}, the snapshot has ${o.name}`);
      this.operators[i].restore(o.state);
    });
  }
}

/** Pumps in dependency order: a pump reading stream S comes after every pump writing S. */
function orderPumps(plan: ApplicationPlan): ApplicationPlan['pumps'] {
  const pumps = [...plan.pumps];
  const done = new Set<string>();
  const out: ApplicationPlan['pumps'][number][] = [];
  const writers = (stream: string) => pumps.filter((p) => p.target === stream);
  while (out.length < pumps.length) {
    const next = pumps.find((p) => !done.has(p.name) && scannedStreams(p.query).every((s) => writers(s).every((w) => done.has(w.name) || w === p)));
    if (!next) {
      // A cycle between streams: keep declaration order for the rest.
      for (const p of pumps) if (!done.has(p.name)) {
        done.add(p.name);
        out.push(p);
      }
      break;
    }
    done.add(next.name);
    out.push(next);
  }
  return out;
}

export { formatSqlType };
