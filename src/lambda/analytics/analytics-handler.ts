/**
 * The analytics function: the project's KDA SQL engine behind a Kinesis event source mapping. Each invocation
 * brings one shard's batch; the shard's engine state lives in DynamoDB between invocations (ShardStateStore);
 * rows go to Firehose (RowDelivery). A scheduled clock tick advances idle shards so that their windows close.
 *
 * Commit order, per invocation (see README.md for the guarantees it gives):
 *   1. load the shard's state (engine snapshot, position, rows not yet known delivered);
 *   2. take in the batch's records after the position; collect the rows they produce;
 *   3. commit: conditional write of snapshot + position + (carried and new) rows, version + 1;
 *   4. deliver those rows; 5. mark the version delivered (or commit again with the rows that failed).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, KinesisStreamBatchItemFailure, KinesisStreamBatchResponse, KinesisStreamRecord } from 'aws-lambda';
import { ApplicationRuntime, ERROR_STREAM } from '../../runtime/application-runtime.js';
import { ExecutionError } from '../../errors.js';
import { createLogger, createMetrics } from '../lambda-telemetry.js';
import { type AnalyticsConfig, CLOCK_TICK } from './analytics-config.js';
import { decodeBatch } from './decode-batch.js';
import type { PreprocessorInvoker } from './preprocessor-invoker.js';
import type { RowDelivery } from './row-delivery.js';
import type { ShardPosition } from './shard-position.js';
import { type PendingRows, type ShardState, type ShardStateStore, StateConflictError } from './shard-state-store.js';

export interface AnalyticsHandlerOptions {
  readonly config: AnalyticsConfig;
  readonly store: ShardStateStore;
  readonly delivery: RowDelivery;
  /** Required when config.deaggregation is 'preprocessor'. */
  readonly preprocessor?: PreprocessorInvoker;
  readonly logger?: Logger;
  readonly metrics?: Metrics;
  /** Wall clock (ms): tick times, idle checks, and the engine's ERROR_TIME. @default Date.now */
  readonly clock?: () => number;
  /** Load-process-commit attempts when another invocation commits the shard first. @default 3 */
  readonly commitAttempts?: number;
  /** Stop taking records in when less time than this is left (commit and delivery need it). @default 20000 */
  readonly timeReserveMs?: number;
  /** Largest preprocessor request (bytes of JSON); bigger batches take several invocations. @default 5 MiB */
  readonly preprocessorRequestBytes?: number;
}

/** What a clock tick did. */
export interface TickResult {
  readonly shards: number;
  /** Shards whose clock moved and produced rows (committed). */
  readonly advanced: number;
  readonly rowsOut: number;
  /** Shards skipped because another invocation committed them meanwhile. */
  readonly conflicts: number;
}

export type AnalyticsHandler = (event: unknown, context?: Context) => Promise<KinesisStreamBatchResponse | TickResult>;

interface Counts {
  KinesisRecordsIn: number;
  RecordsSkipped: number;
  UserRecords: number;
  RowsOut: number;
  ErrorRows: number;
  PoisonRecords: number;
  CommitConflicts: number;
  RowsDelivered: number;
  DeliveryFailures: number;
  RowsDropped: number;
}

/** The outcome of one load-process-commit pass over a shard. */
interface PassResult {
  readonly failure?: KinesisStreamBatchItemFailure;
  readonly stateBytes?: number;
}

/**
 * Builds the handler. The application is compiled here, so an invalid SQL fails the cold start with the error.
 *
 * @example
 * export const handler = createAnalyticsHandler({ config, store: new ShardStateStore(dynamo, config.stateTableName),
 *   delivery: new FirehoseRowDelivery(new FirehoseClient({})) });
 */
export function createAnalyticsHandler(options: AnalyticsHandlerOptions): AnalyticsHandler {
  const { config, store, delivery } = options;
  const logger = options.logger ?? createLogger(config.applicationName);
  const metrics = options.metrics ?? createMetrics(config.applicationName);
  const clock = options.clock ?? Date.now;
  const attempts = options.commitAttempts ?? 3;
  const reserve = options.timeReserveMs ?? 20_000;
  if (config.deaggregation === 'preprocessor' && !options.preprocessor) throw new ExecutionError('CONFIG', 'DEAGGREGATION=preprocessor needs a preprocessor invoker');
  const compile = () => ApplicationRuntime.compile(config.spec, { clock });
  compile();

  /** A runtime at the state's snapshot (fresh when there is none, or when the application changed). */
  const runtimeFor = (state: ShardState | undefined, shardKey: string): ApplicationRuntime => {
    const runtime = compile();
    if (state && state.fingerprint === config.fingerprint) runtime.restore(state.runtime);
    else if (state) logger.warn('the application changed since this shard was committed: its windows start afresh', { shardKey, committedBy: state.fingerprint, now: config.fingerprint });
    return runtime;
  };

  /** Collects the runtime's rows as NDJSON lines per delivery stream. */
  const collect = (runtime: ApplicationRuntime, counts: Counts): PendingRows => {
    const rows: PendingRows = {};
    runtime.onOutput((stream, row) => {
      const target = stream === ERROR_STREAM ? config.errorDeliveryStream : config.outputDeliveryStreams.get(stream);
      if (stream === ERROR_STREAM) counts.ErrorRows++;
      else if (target !== undefined) counts.RowsOut++;
      if (target === undefined) return;
      (rows[target] ??= []).push(`${JSON.stringify(row)}\n`);
    });
    return rows;
  };

  /** Delivers committed rows, then marks them delivered, or commits again with the rows that failed. */
  const deliverCommitted = async (shardKey: string, version: number, pending: PendingRows, counts: Counts, recommit: (left: PendingRows) => Promise<void>) => {
    const left: PendingRows = {};
    for (const [stream, lines] of Object.entries(pending)) {
      if (lines.length === 0) continue;
      const outcome = await delivery.deliver(stream, lines);
      const dropped = outcome.undeliverable ?? [];
      counts.RowsDelivered += lines.length - outcome.failed.length - dropped.length;
      if (dropped.length > 0) {
        // No retry can deliver these: keeping them pending would retry them forever.
        counts.RowsDropped += dropped.length;
        logger.error('rows too big for a Firehose record were dropped', { shardKey, deliveryStream: stream, rows: dropped.length, bytes: dropped.map((i) => lines[i].length), start: dropped.map((i) => lines[i].slice(0, 200)) });
      }
      if (outcome.failed.length > 0) {
        counts.DeliveryFailures += outcome.failed.length;
        left[stream] = outcome.failed.map((i) => lines[i]);
        logger.error('rows not delivered; they stay in the shard state and are delivered by the next invocation', { shardKey, deliveryStream: stream, rows: outcome.failed.length, lastError: outcome.lastError });
      }
    }
    if (Object.keys(left).length === 0) {
      if (!(await store.markDelivered(shardKey, version))) logger.warn('shard moved on before its delivered rows were marked; they may be delivered again', { shardKey, version });
    } else {
      await recommit(left);
    }
  };

  const processShard = async (shardKey: string, records: KinesisStreamRecord[], context: Context | undefined, counts: Counts): Promise<PassResult> => {
    for (let attempt = 1; ; attempt++) {
      const state = await store.load(shardKey);
      const runtime = runtimeFor(state, shardKey);
      const rows = collect(runtime, counts);
      const passCounts = { user: 0, poison: 0 };
      const decoded = await decodeBatch(records, state?.position ?? null, {
        deaggregation: config.deaggregation,
        corruptAggregates: config.corruptAggregates,
        preprocessor: options.preprocessor,
        functionArn: context?.invokedFunctionArn,
        requestBytes: options.preprocessorRequestBytes,
      });
      let position: ShardPosition | null = state?.position ?? null;
      let stopAt: number | undefined = decoded.stoppedAt?.index;
      if (decoded.stoppedAt) logger.error('the preprocessor could not be invoked; the batch resumes from the first record not taken in', { shardKey, ...decoded.stoppedAt });
      for (const r of decoded.records) {
        if (context && context.getRemainingTimeInMillis() < reserve) {
          stopAt = r.index;
          logger.warn('little time left: committing what is done; the rest of the batch comes again', { shardKey, index: r.index });
          break;
        }
        if (r.failure) {
          passCounts.poison++;
          runtime.recordError(new ExecutionError(r.failure.errorName, r.failure.message), r.failure.raw, r.arrival);
        }
        for (const p of r.payloads) {
          passCounts.user++;
          // ROWTIME: the arrival time, never less than the row before's (ApplicationRuntime keeps it monotonic).
          runtime.ingest(p.data, r.arrival, r.arrival);
        }
        position = r.position;
      }
      const failure = stopAt !== undefined ? { itemIdentifier: records[stopAt].kinesis.sequenceNumber } : undefined;
      const carried = state?.pending ?? {};
      const takenIn = position !== (state?.position ?? null);
      if (!takenIn) {
        // Nothing new (a retried batch that was committed already): only rows not yet delivered remain to do.
        counts.RecordsSkipped += decoded.skipped;
        // Records are waiting that could not be taken in: ticks must not take this shard for idle.
        if (failure) await store.touch(shardKey, clock());
        if (state && hasRows(carried)) await deliverCommitted(shardKey, state.version, carried, counts, (left) => recommitRows(shardKey, state, left));
        return { failure, stateBytes: state?.stateBytes };
      }
      const pending = mergeRows(carried, rows);
      const snapshot = runtime.snapshot();
      let committed: { version: number; stateBytes: number; chunked: boolean };
      // Registered before the first commit, so that no committed shard is ever out of the ticks' reach.
      if (!state) await store.registerShard(shardKey, clock());
      try {
        committed = await store.commit(shardKey, state?.version ?? 0, {
          fingerprint: config.fingerprint,
          position,
          lastRecordsAt: clock(),
          runtime: snapshot,
          pending,
        }, state?.chunked);
      } catch (error) {
        if (error instanceof StateConflictError && attempt < attempts) {
          counts.CommitConflicts++;
          logger.warn('another invocation committed this shard first; loading its state and taking the batch in again', { shardKey, attempt });
          // Rows of the lost pass were never delivered: drop their counts with them.
          counts.RowsOut = counts.RowsOut - countRows(rows, config.errorDeliveryStream, false);
          counts.ErrorRows = counts.ErrorRows - countRows(rows, config.errorDeliveryStream, true);
          continue;
        }
        throw error;
      }
      counts.RecordsSkipped += decoded.skipped;
      counts.UserRecords += passCounts.user;
      counts.PoisonRecords += passCounts.poison;
      const next: ShardState = { version: committed.version, fingerprint: config.fingerprint, position, lastRecordsAt: clock(), runtime: snapshot, pending, stateBytes: committed.stateBytes, chunked: committed.chunked };
      await deliverCommitted(shardKey, committed.version, pending, counts, (left) => recommitRows(shardKey, next, left));
      return { failure, stateBytes: committed.stateBytes };
    }
  };

  /** Commits the same snapshot again with fewer rows pending (after a partial delivery failure). */
  const recommitRows = async (shardKey: string, state: ShardState, left: PendingRows): Promise<void> => {
    try {
      await store.commit(shardKey, state.version, { ...state, pending: left }, state.chunked);
    } catch (error) {
      // The rows stay pending in the version that was committed; only the delivered ones may come again.
      logger.error('could not record which rows were delivered; all rows of this commit will be delivered again', { shardKey, error: (error as Error).message });
    }
  };

  const tick = async (counts: Counts): Promise<TickResult> => {
    const shards = await store.listShards();
    const now = clock();
    const target = now - config.tickGraceMs;
    let advanced = 0;
    let conflicts = 0;
    for (const shardKey of shards) {
      const state = await store.load(shardKey);
      if (!state) continue;
      const idle = state.lastRecordsAt === null || now - state.lastRecordsAt >= config.tickGraceMs;
      const current = state.fingerprint === config.fingerprint;
      let rows: PendingRows = {};
      let runtime: ApplicationRuntime | undefined;
      if (idle && current && target > (state.runtime.lastRowtime ?? Number.NEGATIVE_INFINITY)) {
        runtime = runtimeFor(state, shardKey);
        rows = collect(runtime, counts);
        runtime.advanceTo(target);
      }
      if (!hasRows(rows)) {
        // Nothing closed: no commit (the clock moves again next tick). Rows left undelivered go out now.
        if (hasRows(state.pending)) await deliverCommitted(shardKey, state.version, state.pending, counts, (left) => recommitRows(shardKey, state, left));
        continue;
      }
      const pending = mergeRows(state.pending, rows);
      const snapshot = runtime!.snapshot();
      try {
        const committed = await store.commit(shardKey, state.version, { fingerprint: config.fingerprint, position: state.position, lastRecordsAt: state.lastRecordsAt, runtime: snapshot, pending }, state.chunked);
        advanced++;
        const next: ShardState = { ...state, version: committed.version, runtime: snapshot, pending, stateBytes: committed.stateBytes, chunked: committed.chunked };
        await deliverCommitted(shardKey, committed.version, pending, counts, (left) => recommitRows(shardKey, next, left));
      } catch (error) {
        if (!(error instanceof StateConflictError)) throw error;
        // The shard's own invocation committed meanwhile: it moved the clock itself.
        conflicts++;
        counts.CommitConflicts++;
        counts.RowsOut -= countRows(rows, config.errorDeliveryStream, false);
        counts.ErrorRows -= countRows(rows, config.errorDeliveryStream, true);
      }
    }
    return { shards: shards.length, advanced, rowsOut: counts.RowsOut, conflicts };
  };

  return async (event, context) => {
    if (context) logger.addContext(context);
    const counts: Counts = { KinesisRecordsIn: 0, RecordsSkipped: 0, UserRecords: 0, RowsOut: 0, ErrorRows: 0, PoisonRecords: 0, CommitConflicts: 0, RowsDelivered: 0, DeliveryFailures: 0, RowsDropped: 0 };
    let stateBytes = 0;
    try {
      const input = (event as { Records?: unknown } | null)?.Records;
      if (Array.isArray(input)) {
        const records = input as KinesisStreamRecord[];
        counts.KinesisRecordsIn = records.length;
        const batchItemFailures: KinesisStreamBatchItemFailure[] = [];
        for (const [shardKey, shardRecords] of byShard(records)) {
          let result: PassResult;
          try {
            result = await processShard(shardKey, shardRecords, context, counts);
          } catch (error) {
            // Lambda retries the batch: until then its records wait, so ticks must not take the shard for idle.
            await store.touch(shardKey, clock()).catch(() => undefined);
            throw error;
          }
          if (result.failure) batchItemFailures.push(result.failure);
          stateBytes += result.stateBytes ?? 0;
        }
        logger.info('batch processed', { ...counts, stateBytes, batchItemFailures: batchItemFailures.length });
        return { batchItemFailures };
      }
      if (isClockTick(event)) {
        const result = await tick(counts);
        logger.info('clock tick', { ...result, ...counts });
        return result;
      }
      logger.error('unexpected event: neither a Kinesis batch (Records) nor a clock tick', { keys: event && typeof event === 'object' ? Object.keys(event) : typeof event });
      throw new ExecutionError('UNEXPECTED_EVENT', 'the analytics function takes Kinesis event-source-mapping batches and clock ticks only');
    } finally {
      for (const [name, value] of Object.entries(counts)) metrics.addMetric(name, MetricUnit.Count, value);
      metrics.addMetric('StateBytes', MetricUnit.Bytes, stateBytes);
      metrics.publishStoredMetrics();
    }
  };
}

function isClockTick(event: unknown): boolean {
  const e = event as { source?: unknown; action?: unknown } | null;
  return e !== null && typeof e === 'object' && e.source === CLOCK_TICK.source && e.action === CLOCK_TICK.action;
}

/**
 * The records grouped by shard, in order. The mapping sends one shard per batch; grouping keeps state per shard
 * even if it did not. The key is `<stream name>/<shard id>`.
 */
function byShard(records: readonly KinesisStreamRecord[]): Map<string, KinesisStreamRecord[]> {
  const groups = new Map<string, KinesisStreamRecord[]>();
  for (const r of records) {
    const eventID = typeof r?.eventID === 'string' ? r.eventID : '';
    const colon = eventID.lastIndexOf(':');
    if (colon <= 0 || typeof r.kinesis?.sequenceNumber !== 'string') {
      // Without a shard the state cannot be found: fail the invocation (Lambda retries, then the on-failure queue).
      throw new ExecutionError('MALFORMED_EVENT', `a record has no shard in its eventID (${JSON.stringify(eventID)}) or no sequence number`);
    }
    const arn = typeof r.eventSourceARN === 'string' ? r.eventSourceARN : '';
    const stream = arn.slice(arn.lastIndexOf('/') + 1);
    const key = `${stream}/${eventID.slice(0, colon)}`;
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(r);
  }
  return groups;
}

function hasRows(rows: PendingRows): boolean {
  return Object.values(rows).some((lines) => lines.length > 0);
}

function mergeRows(a: PendingRows, b: PendingRows): PendingRows {
  const out: PendingRows = {};
  for (const [stream, lines] of [...Object.entries(a), ...Object.entries(b)]) (out[stream] ??= []).push(...lines);
  return out;
}

function countRows(rows: PendingRows, errorStream: string, errors: boolean): number {
  return Object.entries(rows).reduce((n, [stream, lines]) => n + ((stream === errorStream) === errors ? lines.length : 0), 0);
}
