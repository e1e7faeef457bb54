// The KDA input-preprocessing Lambda with KPL de-aggregation (the successor of AWS's Python 2.7
// kinesis-analytics-process-kpl-record blueprint). The deployed instance is in entry/preprocessor.ts.
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { MAX_FAILURES_LOGGED, createLogger, createMetrics, publishCounts } from './lambda-telemetry.js';
import { type KdaPreprocessingResponse, type PreprocessOptions, type PreprocessOutcome, preprocessKdaEvent } from './preprocess-kda-event.js';

export interface PreprocessorHandlerOptions {
  logger?: Logger;
  metrics?: Metrics;
  preprocess?: PreprocessOptions;
}

export type PreprocessorHandler = (event: unknown, context?: Context) => Promise<KdaPreprocessingResponse>;

/**
 * Builds the preprocessing handler: `preprocessKdaEvent` plus a log line per failed record (with its reason),
 * one summary line and the counts as metrics (KinesisRecordsIn, KplAggregates, UserRecordsOut,
 * ProcessingFailed and one count per failure reason).
 *
 * It never throws: should de-aggregation itself fail (a bug), every record is answered ProcessingFailed with
 * its original data, so KDA keeps the data and the invocation still answers every recordId.
 *
 * @example export const handler = createPreprocessorHandler({ preprocess: { userRecordSeparator: '\n' } });
 */
export function createPreprocessorHandler(options: PreprocessorHandlerOptions = {}): PreprocessorHandler {
  const logger = options.logger ?? createLogger('kpl-preprocessor');
  const metrics = options.metrics ?? createMetrics('kpl-preprocessor');
  return async (event, context) => {
    if (context) logger.addContext(context);
    let outcome: PreprocessOutcome;
    try {
      outcome = preprocessKdaEvent(event, options.preprocess);
    } catch (error) {
      logger.error('preprocessing failed unexpectedly; every record is answered ProcessingFailed', error as Error);
      outcome = failEverything(event);
    }
    if (outcome.eventProblem !== undefined) logger.error('malformed preprocessing event', { problem: outcome.eventProblem });
    outcome.failures.slice(0, MAX_FAILURES_LOGGED).forEach((f) => logger.warn('record answered ProcessingFailed', { ...f }));
    if (outcome.failures.length > MAX_FAILURES_LOGGED) {
      logger.warn('more records answered ProcessingFailed than logged one by one', { notLogged: outcome.failures.length - MAX_FAILURES_LOGGED });
    }
    const byReason = (reason: string) => outcome.failures.filter((f) => f.reason === reason).length;
    logger.info('preprocessed', { invocationId: (event as { invocationId?: unknown } | null)?.invocationId, ...outcome.counts });
    publishCounts(metrics, {
      KinesisRecordsIn: outcome.counts.records,
      KplAggregates: outcome.counts.aggregates,
      UserRecordsOut: outcome.counts.userRecords,
      ProcessingFailed: outcome.counts.failed,
      FailedInvalidBase64: byReason('invalid-base64'),
      FailedCorruptAggregate: byReason('corrupt-aggregate'),
      FailedMalformedRecord: byReason('malformed-record'),
      FailedResponseTooLarge: byReason('response-too-large'),
    });
    return outcome.response;
  };
}

/** The answer of last resort: every record ProcessingFailed with its original data. */
function failEverything(event: unknown): PreprocessOutcome {
  const input = (event as { records?: unknown } | null)?.records;
  const records = Array.isArray(input) ? (input as { recordId?: unknown; data?: unknown }[]) : [];
  return {
    response: {
      records: records.map((r) => ({
        recordId: typeof r?.recordId === 'string' ? r.recordId : '',
        result: 'ProcessingFailed' as const,
        data: typeof r?.data === 'string' ? r.data : '',
      })),
    },
    counts: { records: records.length, aggregates: 0, userRecords: 0, failed: records.length },
    failures: [],
  };
}
