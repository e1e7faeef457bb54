import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { describeError, StreamingAnalyticsError } from '../errors.js';

/** The metrics namespace unless POWERTOOLS_METRICS_NAMESPACE says otherwise. */
export const DEFAULT_METRICS_NAMESPACE = 'StreamingAnalytics';

/**
 * Structured JSON logs (Powertools Logger). POWERTOOLS_SERVICE_NAME and POWERTOOLS_LOG_LEVEL, when set, win
 * over the defaults given here.
 */
export function createLogger(serviceName: string): Logger {
  return new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? serviceName });
}

/**
 * Counts as CloudWatch embedded-metric-format lines on stdout (Powertools Metrics): no network call, in Lambda
 * or in a test. POWERTOOLS_METRICS_NAMESPACE and POWERTOOLS_METRICS_DISABLED are honoured.
 */
export function createMetrics(serviceName: string): Metrics {
  return new Metrics({
    namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? DEFAULT_METRICS_NAMESPACE,
    serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? serviceName,
  });
}

/**
 * Logs why a function cannot start (its cold start fails with `error`), as the CLI prints it: the error's name and
 * `describeError`'s text, which puts the position first when the error has one (`APPLICATION_SQL:3:12: ...`).
 * Lambda's own report of the thrown error shows only its message: the position is a field of the error.
 */
export function logStartupError(logger: Logger, error: unknown): void {
  if (error instanceof StreamingAnalyticsError) logger.error('the function cannot start', { error: `${error.name}: ${describeError(error)}`, location: error.location });
  else logger.error('the function cannot start', { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
}

/** Adds one Count metric per entry and publishes them (one EMF line). */
export function publishCounts(metrics: Metrics, counts: Record<string, number>): void {
  for (const [name, value] of Object.entries(counts)) metrics.addMetric(name, MetricUnit.Count, value);
  metrics.publishStoredMetrics();
}

/** Failures logged one by one per invocation; beyond this a single line gives the rest's count. */
export const MAX_FAILURES_LOGGED = 50;
