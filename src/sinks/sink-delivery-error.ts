import { StreamingAnalyticsError } from '../errors.js';

/**
 * A sink could not deliver: the destination refused the data, or kept failing until the last retry.
 * `destination` names where (e.g. `s3://bucket/key`, `kinesis://stream`), `attempts` how often it was tried;
 * `cause` is the last underlying error.
 */
export class SinkDeliveryError extends StreamingAnalyticsError {
  readonly destination: string;
  readonly attempts: number;
  /** True when the last failure was of a kind worth retrying (5xx, throttling, network), i.e. retries ran out. */
  readonly retryable: boolean;
  constructor(destination: string, attempts: number, retryable: boolean, message: string, options?: ErrorOptions) {
    super(`${destination}: ${message} (after ${attempts} attempt${attempts === 1 ? '' : 's'})`, options);
    this.destination = destination;
    this.attempts = attempts;
    this.retryable = retryable;
  }
}
