import { readFileSync } from 'node:fs';
import { ConfigError, ExecutionError } from '../../../errors.js';
import { createInputDecoder, type InputFormatConfig } from '../../../input/index.js';
import type { ReadResult, ShardCheckpoint, StreamSource } from '../../../kinesis/index.js';
import { buildApplication, type LoadedReference } from '../../../runtime/application-runtime.js';
import { ReplayClock } from '../../../runtime/clock.js';
import { createPreprocessStage } from '../../../runtime/preprocess/preprocess-stage.js';
import { RunMetrics } from '../../../runtime/run-metrics.js';
import { ShardLoop, type DeliveryTarget, type LoopRecord } from '../../../runtime/shard-loop.js';
import type { OutputRow } from '../../../sinks/index.js';
import { DEFAULT_NAME_PREFIX } from '../../../spec/app-definition.js';
import type { Value } from '../../../types/sql-type.js';

/**
 * A conformance case: the application (SQL, input schema, reference tables inline), its records with their ROWTIME
 * (`at`) and arrival time, and when the clock ends. Only the fields replay needs; a case file may hold more (its
 * expected rows, for the conformance suite).
 */
export interface ReplayCase {
  input: InputFormatConfig & { namePrefix?: string };
  reference?: ReplayReference[];
  sql: string;
  records: { at: string; arrival?: string; data: unknown }[];
  endAt?: string;
}

/** A case's reference table: the input schema model plus the table name and its content inline. */
export type ReplayReference = InputFormatConfig & { tableName: string; data: unknown };

/**
 * Decodes an inline reference table with the same input decoder as the stream (CSV or JSON mapping, types,
 * truncation), as the pipeline's loader does for a file or S3 object. A row that does not decode is not loaded:
 * it is collected in `rejected` and reported on error_stream once the engine runs.
 */
function loadInlineReference(
  r: ReplayReference,
  i: number,
  rejected: { error: ExecutionError; raw: Uint8Array | string }[],
): LoadedReference {
  if (typeof r.tableName !== 'string' || r.tableName === '') throw new ConfigError(`reference[${i}].tableName`, 'a reference table needs a tableName');
  const decoder = createInputDecoder(r);
  const rows: Value[][] = [];
  const payload = typeof r.data === 'string' ? r.data : JSON.stringify(r.data ?? '');
  decoder.decode(
    payload,
    (row) => rows.push(row),
    (e, raw) => rejected.push({ error: new ExecutionError(e.errorName, `reference table ${r.tableName}: ${e.message}`), raw }),
  );
  const { data: _data, ...format } = r;
  return { ...format, tableName: r.tableName, rows };
}

function instant(text: string, field: string): number {
  const t = Date.parse(text);
  if (Number.isNaN(t)) throw new ConfigError(field, `'${text}' is not an ISO-8601 time`);
  return t;
}

/**
 * Runs a case through the same runtime and shard loop as `run`: its records become an in-memory source (arrival
 * times as the case gives them), its rows go to a collecting target that keeps every CREATE STREAM stream and
 * error_stream, in production order. The application is built first (SQL errors are thrown before any record is
 * read); the clock is the replay's (the time of the record being taken in; the query starts at the first
 * record's time); at the end the clock moves to `endAt`, or every open window closes. Calls `out` with one JSON
 * line per row.
 */
export async function replayCase(c: ReplayCase, out: (line: string) => void): Promise<void> {
  const rejected: { error: ExecutionError; raw: Uint8Array | string }[] = [];
  const references = (c.reference ?? []).map((r, i) => loadInlineReference(r, i, rejected));
  const records = c.records.map((r, i): LoopRecord => {
    const at = instant(r.at, `records[${i}].at`);
    const payload = typeof r.data === 'string' ? r.data : JSON.stringify(r.data);
    return {
      shardId: 'shardId-000000000000',
      sequenceNumber: String(i + 1),
      partitionKey: 'replay',
      data: Buffer.from(payload, 'utf8'),
      approximateArrivalTimestamp: r.arrival === undefined ? at : instant(r.arrival, `records[${i}].arrival`),
      enteredAt: at,
    };
  });
  const endAt = c.endAt === undefined ? undefined : instant(c.endAt, 'endAt');
  const clock = new ReplayClock(records.length > 0 ? records[0].enteredAt : 0);
  const compiled = buildApplication(
    { sql: c.sql, input: { ...c.input, namePrefix: c.input.namePrefix ?? DEFAULT_NAME_PREFIX }, references },
    { clock: clock.now },
  );
  const loop = new ShardLoop(compiled, new InMemorySource(records), await createPreprocessStage({ type: 'none' }), new CollectingTarget(out), new RunMetrics(0), {
    application: 'replay',
    startingPosition: 'TRIM_HORIZON',
    commitIntervalMs: Number.POSITIVE_INFINITY,
    commitBytes: Number.POSITIVE_INFINITY,
    clock: clock.now,
    replayClock: clock,
    endOfInput: endAt === undefined ? 'finish' : { advanceTo: endAt },
    // Reference rows that did not decode are reported once the application runs, before any record.
    onStart: (runtime) => rejected.forEach((r) => runtime.recordError(r.error, r.raw, null)),
  });
  await loop.run();
}

/** A case's records as one finite shard: everything in one batch, then the end of input. */
class InMemorySource implements StreamSource {
  private read_ = false;
  constructor(private readonly records: LoopRecord[]) {}
  async start(): Promise<void> {}
  async read(): Promise<ReadResult> {
    const records = this.read_ ? [] : this.records;
    this.read_ = true;
    return { records, done: true, millisBehindLatest: 0 };
  }
  checkpoints(): ShardCheckpoint[] {
    const last = this.records[this.records.length - 1];
    return last ? [{ shardId: last.shardId, sequenceNumber: last.sequenceNumber }] : [];
  }
  async close(): Promise<void> {}
}

/** Every row of every stream, printed as `{"stream", "row"}` lines when its epoch is delivered. */
class CollectingTarget implements DeliveryTarget {
  constructor(private readonly out: (line: string) => void) {}
  accepts(): boolean {
    return true;
  }
  async deliver(rows: readonly OutputRow[]): Promise<void> {
    for (const r of rows) this.out(JSON.stringify({ stream: r.stream, row: r.row }));
  }
  async close(): Promise<void> {}
}

export function readCase(file: string): ReplayCase {
  const text = readFileSync(file, 'utf8');
  try {
    return JSON.parse(text) as ReplayCase;
  } catch (e) {
    throw new ConfigError(file, `not valid JSON: ${(e as Error).message}`);
  }
}
