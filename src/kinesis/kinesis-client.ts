/** A Kinesis client of AWS SDK v3 for any endpoint: AWS itself or a local emulator. */
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';

export interface KinesisClientOptions {
  /** e.g. `http://127.0.0.1:4567` for an emulator. @default the AWS endpoint of the region */
  endpoint?: string;
  /** @default process.env.AWS_REGION, else 'us-east-1' */
  region?: string;
  /** @default the SDK's default credential chain; for an emulator any non-empty pair */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Attempts per call inside the SDK (its own retries). @default 3 */
  maxAttempts?: number;
}

/**
 * Creates a client that speaks HTTP/1.1 through NodeHttpHandler: the Kinesis client's HTTP/2 default fails
 * against kinesalite and kinesis-local, and the polling API (GetRecords) gains nothing from HTTP/2 on AWS.
 * @example
 * const client = createKinesisClient({ endpoint: 'http://127.0.0.1:4567', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
 */
export function createKinesisClient(options: KinesisClientOptions = {}): KinesisClient {
  return new KinesisClient({
    region: options.region ?? process.env.AWS_REGION ?? 'us-east-1',
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    maxAttempts: options.maxAttempts ?? 3,
    requestHandler: new NodeHttpHandler({ connectionTimeout: 5000, requestTimeout: 30_000 }),
  });
}

const retryableNames = new Set([
  'ProvisionedThroughputExceededException', 'LimitExceededException', 'ThrottlingException', 'KMSThrottlingException',
  'InternalFailure', 'InternalFailureException', 'ServiceUnavailable', 'ServiceUnavailableException', 'TimeoutError',
  'RequestTimeout', 'RequestTimeoutException',
]);
const retryableCodes = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND', 'ECONNABORTED']);

/** Throttling, a server-side failure or a dropped connection: worth another try after a pause. */
export function isRetryableKinesisError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { name?: string; code?: string; $retryable?: unknown; $metadata?: { httpStatusCode?: number } };
  if (e.name && retryableNames.has(e.name)) return true;
  if (e.code && retryableCodes.has(e.code)) return true;
  if (e.$retryable) return true;
  const status = e.$metadata?.httpStatusCode;
  return status !== undefined && status >= 500;
}
