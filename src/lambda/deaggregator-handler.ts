// A Kinesis event-source-mapping Lambda that de-aggregates KPL records and reports partial batch failures.
// The deployed instance is in entry/deaggregator.ts.
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context, KinesisStreamBatchResponse, KinesisStreamRecord } from 'aws-lambda';
import { type DeaggregateKinesisEventOptions, type KinesisEventUserRecord, deaggregateKinesisStreamRecord } from './deaggregate-kinesis-event.js';
import { MAX_FAILURES_LOGGED, createLogger, createMetrics, publishCounts } from './lambda-telemetry.js';

/** What the function does with the user records of one Kinesis record; throwing fails that Kinesis record. */
export type UserRecordsProcessor = (records: KinesisEventUserRecord[], source: KinesisStreamRecord) => Promise<void> | void;

export interface DeaggregatorHandlerOptions {
  logger?: Logger;
  metrics?: Metrics;
  deaggregate?: Omit<DeaggregateKinesisEventOptions, 'stopAtFirstFailure'>;
  /** @default - nothing: the records are counted and logged at DEBUG level */
  processUserRecords?: UserRecordsProcessor;
}

export type DeaggregatorHandler = (event: unknown, context?: Context) => Promise<KinesisStreamBatchResponse>;

/**
 * Builds the event-source-mapping handler. Kinesis records are taken in order (a shard is ordered); each is
 * de-aggregated and its user records handed to `processUserRecords`. The first record that fails (invalid
 * base64, a corrupt aggregate, a malformed record, or a processor that throws) ends the invocation: it is
 * reported in `batchItemFailures`, and Lambda retries from it, so the records after it are not processed now
 * (they would be processed twice). Each user record carries (sequenceNumber, subSequenceNumber) for idempotency.
 *
 * Counts: KinesisRecordsIn, KplAggregates, UserRecordsOut, FailedRecords, NotProcessed.
 *
 * @example
 * export const handler = createDeaggregatorHandler({
 *   processUserRecords: async (records) => { for (const r of records) await store(r); },
 * });
 */
export function createDeaggregatorHandler(options: DeaggregatorHandlerOptions = {}): DeaggregatorHandler {
  const logger = options.logger ?? createLogger('kpl-deaggregator');
  const metrics = options.metrics ?? createMetrics('kpl-deaggregator');
  const processUserRecords = options.processUserRecords ?? ((records: KinesisEventUserRecord[]) => logger.debug('user records', { count: records.length, sequenceNumber: records[0]?.sequenceNumber }));
  return async (event, context) => {
    if (context) logger.addContext(context);
    const input = (event as { Records?: unknown } | null)?.Records;
    const counts = { KinesisRecordsIn: 0, KplAggregates: 0, UserRecordsOut: 0, FailedRecords: 0, NotProcessed: 0 };
    const batchItemFailures: { itemIdentifier: string }[] = [];
    if (!Array.isArray(input)) {
      logger.error('malformed Kinesis event: expected a Records array', { received: input === null ? 'null' : typeof input });
      publishCounts(metrics, counts);
      return { batchItemFailures };
    }
    const records = input as KinesisStreamRecord[];
    counts.KinesisRecordsIn = records.length;
    let failuresLogged = 0;
    for (let i = 0; i < records.length; i++) {
      let failure: { sequenceNumber: string; reason: string; detail: string } | undefined;
      const result = deaggregateKinesisStreamRecord(records[i], options.deaggregate);
      if (!result.ok) {
        failure = result;
      } else {
        try {
          await processUserRecords(result.records, records[i]);
          counts.UserRecordsOut += result.records.length;
          if (result.aggregated) counts.KplAggregates++;
        } catch (error) {
          failure = { sequenceNumber: records[i].kinesis.sequenceNumber, reason: 'processing-failed', detail: (error as Error)?.message ?? String(error) };
        }
      }
      if (failure !== undefined) {
        counts.FailedRecords++;
        counts.NotProcessed = records.length - i - 1;
        if (failuresLogged++ < MAX_FAILURES_LOGGED) logger.warn('Kinesis record failed; Lambda retries from it', { index: i, ...failure });
        // An empty identifier (a record without a sequence number) makes Lambda retry the whole batch: the
        // only safe answer when the failed record cannot be named.
        batchItemFailures.push({ itemIdentifier: failure.sequenceNumber });
        break;
      }
    }
    logger.info('de-aggregated', { ...counts });
    publishCounts(metrics, counts);
    return { batchItemFailures };
  };
}
