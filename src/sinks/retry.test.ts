import { describe, expect, it } from 'vitest';
import { backoffDelay, isRetryableError, retryPolicy, withRetries } from './retry.js';
import { SinkDeliveryError } from './sink-delivery-error.js';

function sdkError(name: string, status?: number): Error {
  return Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode: status } });
}

describe('which failures are retried', () => {
  it.each([
    ['HTTP 503', sdkError('ServiceUnavailable', 503), true],
    ['HTTP 500', sdkError('Unknown', 500), true],
    ['HTTP 429', sdkError('Unknown', 429), true],
    ['S3 SlowDown', sdkError('SlowDown', 503), true],
    ['Kinesis throughput exceeded', sdkError('ProvisionedThroughputExceededException', 400), true],
    ['connection refused', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }), true],
    ['socket hang up', new Error('socket hang up'), true],
    ['timeout', sdkError('TimeoutError'), true],
    ['access denied', sdkError('AccessDenied', 403), false],
    ['missing bucket', sdkError('NoSuchBucket', 404), false],
    ['validation', sdkError('ValidationException', 400), false],
    ['not an error', 'boom', false],
  ])('%s -> %s', (_what, error, expected) => {
    expect(isRetryableError(error)).toBe(expected);
  });
});

describe('backoff', () => {
  it('grows exponentially up to the cap, scaled by the jitter draw', () => {
    const policy = { baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.999999 };
    expect([1, 2, 3, 4, 5, 6].map((r) => backoffDelay(policy, r))).toEqual([99, 199, 399, 799, 999, 999]);
    expect(backoffDelay({ ...policy, random: () => 0 }, 3)).toBe(0);
  });
  it('stays within [0, ceiling) for any jitter draw', () => {
    for (let i = 0; i < 200; i++) {
      const d = backoffDelay({ baseDelayMs: 50, maxDelayMs: 10_000, random: Math.random }, 4);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThan(400);
    }
  });
});

describe('withRetries', () => {
  const noSleep = { sleep: async () => undefined };
  it('returns the first success', async () => {
    let calls = 0;
    const result = await withRetries('dest', retryPolicy(noSleep, isRetryableError), async () => {
      calls++;
      if (calls < 3) throw sdkError('SlowDown', 503);
      return 'ok';
    });
    expect([result, calls]).toEqual(['ok', 3]);
  });
  it('stops at the first non-retryable error', async () => {
    let calls = 0;
    const error = await withRetries('s3://b/k', retryPolicy(noSleep, isRetryableError), async () => {
      calls++;
      throw sdkError('AccessDenied', 403);
    }).catch((e: unknown) => e as SinkDeliveryError);
    expect(calls).toBe(1);
    expect(error).toBeInstanceOf(SinkDeliveryError);
    expect(error.message).toBe('s3://b/k: AccessDenied: HTTP 403: AccessDenied happened (after 1 attempt)');
    expect(error.retryable).toBe(false);
    expect((error.cause as Error).name).toBe('AccessDenied');
  });
  it('gives up after maxAttempts, sleeping between attempts only', async () => {
    const waits: number[] = [];
    let calls = 0;
    const error = await withRetries('d', retryPolicy({ maxAttempts: 3, sleep: async (ms) => { waits.push(ms); }, random: () => 0.5 }, isRetryableError), async () => {
      calls++;
      throw sdkError('InternalError', 500);
    }).catch((e: unknown) => e as SinkDeliveryError);
    expect(calls).toBe(3);
    expect(waits).toEqual([50, 100]);
    expect(error.attempts).toBe(3);
    expect(error.retryable).toBe(true);
  });
});
