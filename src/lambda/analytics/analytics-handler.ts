/**
 * The analytics function: the project's KDA SQL engine behind a Kinesis event source mapping. Each invocation
 * brings one shard's batch; the shard's engine state lives in DynamoDB between invocations (ShardStateStore);
 * rows go to Firehose (RowDelivery). A scheduled clock tick advances idle shards so that their windows close.
 *
 * Each shard's batch, and each shard a tick advances, is one pass of the runtime's ShardLoop over this host's
 * ports (EventBatchSource, EventPreprocessStage, ShardPassStore, FirehoseDeliveryTarget). The loop's commit order,
 * as it plays out here (see README.md for the guarantees it gives):
 *   1. load the shard's state (engine snapshot, position, rows not yet known delivered);
 *   2. take in the batch's records after the position; collect the rows they produce;
 *   3. commit: conditional write of snapshot + position + (carried and new) rows, version + 1;
 *   4. deliver those rows; 5. mark the version delivered (or commit again with the rows that failed).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, KinesisStreamBatchItemFailure, KinesisStreamBatchResponse, KinesisStreamRecord } from 'aws-lambda';
import { buildApplication, type CompiledRuntime } from '../../runtime/application-runtime.js';
import { RunMetrics } from '../../runtime/run-metrics.js';
import { ShardLoop, type StopReason } from '../../runtime/shard-loop.js';
import { ExecutionError } from '../../errors.js';
import { createLogger, createMetrics, logStartupError } from '../lambda-telemetry.js';
import { type AnalyticsConfig, CLOCK_TICK } from './analytics-config.js';
import { EventBatchSource } from './event-batch-source.js';
import { EventPreprocessStage } from './event-preprocess-stage.js';
import { FirehoseDeliveryTarget } from './firehose-delivery-target.js';
import type { PreprocessorInvoker } from './preprocessor-invoker.js';
import type { RowDelivery } from './row-delivery.js';
import { ShardPassStore } from './shard-pass-store.js';
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
  // Built once per cold start (an invalid application fails it); each shard pass starts an instance of it.
  let application: CompiledRuntime;
  try {
    application = buildApplication(config.spec, { clock });
  } catch (error) {
    logStartupError(logger, error);
    throw error;
  }

  /** One pass of the runtime's shard loop over a shard: its state in DynamoDB, its rows to Firehose. */
  const pass = (shardKey: string, state: ShardState | undefined, records: readonly KinesisStreamRecord[], context: Context | undefined, lastRecordsAt: () => number | null, endOfInput: 'keep' | { advanceTo: number }) => {
    const source = new EventBatchSource(shardKey, records);
    const stage = new EventPreprocessStage(records, {
      deaggregation: config.deaggregation,
      corruptAggregates: config.corruptAggregates,
      preprocessor: options.preprocessor,
      functionArn: context?.invokedFunctionArn,
      requestBytes: options.preprocessorRequestBytes,
    });
    const target = new FirehoseDeliveryTarget(delivery, config.outputDeliveryStreams, config.errorDeliveryStream, logger, shardKey, config.includeRowtime);
    const passStore = new ShardPassStore(store, shardKey, state, {
      fingerprint: config.fingerprint,
      lastRecordsAt,
      route: (row) => target.route(row),
      logger,
      now: clock,
      warnOnChangedApplication: records.length > 0,
    });
    const loop = new ShardLoop(application, source, stage, target, new RunMetrics(clock()), {
      application: config.applicationName,
      startingPosition: 'TRIM_HORIZON',
      // One commit per pass, when it stops: at the end of the batch, or when time runs short.
      commitIntervalMs: Number.POSITIVE_INFINITY,
      commitBytes: Number.POSITIVE_INFINITY,
      firstCommitAfterMs: Number.POSITIVE_INFINITY,
      clock,
      endOfInput,
      // Only the invocation whose conditional commit succeeds delivers the rows the state still holds.
      restoredRows: 'carry',
      commitWhenUnchanged: false,
      log: (line) => logger.info(line, { shardKey }),
      warn: (line) => logger.error(line, { shardKey }),
    }, passStore);
    return { source, stage, target, passStore, loop };
  };

  /** Adds what a delivery target counted to the invocation's counts (the rows it produced only when they were committed). */
  const addDelivery = (counts: Counts, from: FirehoseDeliveryTarget['counts'], produced: boolean) => {
    if (produced) {
      counts.RowsOut += from.RowsOut;
      counts.ErrorRows += from.ErrorRows;
    }
    counts.RowsDelivered += from.RowsDelivered;
    counts.DeliveryFailures += from.DeliveryFailures;
    counts.RowsDropped += from.RowsDropped;
  };

  const processShard = async (shardKey: string, records: KinesisStreamRecord[], context: Context | undefined, counts: Counts): Promise<PassResult> => {
    for (let attempt = 1; ; attempt++) {
      const state = await store.load(shardKey);
      const p = pass(shardKey, state, records, context, () => clock(), 'keep');
      await p.loop.recover();
      let reason: StopReason;
      try {
        reason = await p.loop.run({ deadline: context ? () => context.getRemainingTimeInMillis() < reserve : undefined });
      } catch (error) {
        addDelivery(counts, p.target.counts, false);
        if (error instanceof StateConflictError && attempt < attempts) {
          counts.CommitConflicts++;
          logger.warn('another invocation committed this shard first; loading its state and taking the batch in again', { shardKey, attempt });
          continue;
        }
        throw error;
      }
      const committed = p.loop.committedEpoch > (state?.version ?? 0);
      addDelivery(counts, p.target.counts, committed);
      counts.RecordsSkipped += p.source.skipped;
      if (committed) {
        counts.UserRecords += p.stage.userRecords;
        counts.PoisonRecords += p.stage.failures;
      }
      const stopAt = p.source.firstNotTakenIn();
      if (reason === 'preprocessor') logger.error('the preprocessor could not be invoked; the batch resumes from the first record not taken in', { shardKey, ...p.stage.stoppedAt });
      if (reason === 'deadline' && stopAt !== undefined) logger.warn('little time left: committing what is done; the rest of the batch comes again', { shardKey, index: stopAt });
      const failure = stopAt !== undefined ? { itemIdentifier: records[stopAt].kinesis.sequenceNumber } : undefined;
      // Records are waiting that could not be taken in: ticks must not take this shard for idle.
      if (failure && !committed) await store.touch(shardKey, clock());
      return { failure, stateBytes: p.passStore.stateBytes || undefined };
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
      // Only an idle shard of this application moves on; any shard's rows left undelivered go out.
      const advance = idle && current && target > (state.runtime.lastRowtime ?? Number.NEGATIVE_INFINITY);
      if (!advance && !hasRows(state.pending)) continue;
      const p = pass(shardKey, state, [], undefined, () => state.lastRecordsAt, advance ? { advanceTo: target } : 'keep');
      await p.loop.recover();
      try {
        await p.loop.run();
      } catch (error) {
        addDelivery(counts, p.target.counts, false);
        if (!(error instanceof StateConflictError)) throw error;
        // The shard's own invocation committed meanwhile: it moved the clock itself.
        conflicts++;
        counts.CommitConflicts++;
        continue;
      }
      const committed = p.loop.committedEpoch > state.version && p.target.counts.RowsOut + p.target.counts.ErrorRows > 0;
      addDelivery(counts, p.target.counts, committed);
      if (committed) advanced++;
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
