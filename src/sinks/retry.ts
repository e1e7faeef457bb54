/**
 * Retries with exponential backoff and full jitter: before attempt k+1 wait a random time in
 * [0, min(maxDelayMs, baseDelayMs * 2^(k-1))]. Jitter spreads the retries of many writers hitting the same
 * throttled endpoint instead of having them retry in lockstep.
 */
import { SinkDeliveryError } from './sink-delivery-error.js';

export interface RetryOptions {
  /** Total attempts including the first. Default 6. */
  maxAttempts?: number;
  /** Default 100 ms. */
  baseDelayMs?: number;
  /** Default 10 000 ms. */
  maxDelayMs?: number;
  /** Injected for tests. Default: a real timer. */
  sleep?: (ms: number) => Promise<void>;
  /** Injected for tests. Default Math.random. */
  random?: () => number;
}

export interface RetryPolicy extends Required<RetryOptions> {
  /** Whether an error is worth another attempt. */
  isRetryable: (error: unknown) => boolean;
}

export const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function retryPolicy(options: RetryOptions | undefined, isRetryable: (error: unknown) => boolean): RetryPolicy {
  return {
    maxAttempts: Math.max(1, options?.maxAttempts ?? 6),
    baseDelayMs: options?.baseDelayMs ?? 100,
    maxDelayMs: options?.maxDelayMs ?? 10_000,
    sleep: options?.sleep ?? defaultSleep,
    random: options?.random ?? Math.random,
    isRetryable,
  };
}

/** The wait before retry number `retry` (1 = the first retry). */
export function backoffDelay(policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs' | 'random'>, retry: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.floor(policy.random() * ceiling);
}

/**
 * Runs `attempt` until it succeeds, a non-retryable error occurs, or attempts run out; then throws a
 * SinkDeliveryError naming `destination`, with the last error as cause.
 * @example
 * await withRetries('s3://bucket/key', retryPolicy({}, isRetryableS3Error), () => client.send(put));
 */
export async function withRetries<T>(destination: string, policy: RetryPolicy, attempt: (attemptNumber: number) => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      const retryable = policy.isRetryable(error);
      if (!retryable || n >= policy.maxAttempts) {
        throw new SinkDeliveryError(destination, n, retryable, describeError(error), { cause: error });
      }
      await policy.sleep(backoffDelay(policy, n));
    }
  }
}

/** A one-line description of an SDK or network error: name, HTTP status when there is one, message. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const code = (error as { code?: string }).code;
  const parts = [
    error.name === 'Error' ? undefined : error.name,
    status ? `HTTP ${status}` : undefined,
    code && code !== error.name && !error.message.startsWith(code) ? code : undefined,
    error.message,
  ];
  return parts.filter((s) => s !== undefined && s !== '').join(': ');
}

const RETRYABLE_CODES = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'ENETUNREACH', 'EHOSTUNREACH',
  'ECONNABORTED', 'UND_ERR_SOCKET',
]);
const RETRYABLE_NAMES = new Set([
  'TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'SlowDown', 'Throttling', 'ThrottlingException',
  'ThrottledException', 'TooManyRequestsException', 'RequestLimitExceeded', 'ProvisionedThroughputExceededException',
  'LimitExceededException', 'ServiceUnavailable', 'InternalError', 'InternalFailure', 'KMSThrottlingException',
]);

/**
 * True for failures that another attempt may cure: HTTP 5xx and 429, throttling and timeouts by error name,
 * and network errors (connection refused or reset, socket hang-up, DNS). False for the rest (403, 404, a bad
 * request), which no retry can fix.
 */
export function isRetryableError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { name?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown; cause?: unknown };
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && (status >= 500 || status === 429)) return true;
  if (e.$retryable) return true;
  if (e.name && RETRYABLE_NAMES.has(e.name)) return true;
  if (e.code && RETRYABLE_CODES.has(e.code)) return true;
  if (typeof e.message === 'string' && /socket hang up|ECONNRESET|ECONNREFUSED/i.test(e.message)) return true;
  if (status === undefined && e.cause !== undefined && e.cause !== error) return isRetryableError(e.cause);
  return false;
}
