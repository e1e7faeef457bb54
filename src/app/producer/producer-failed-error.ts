import { StreamingAnalyticsError } from '../../errors.js';

/**
 * The in-process producer of a run failed. The run stopped gracefully (what was read is committed and delivered)
 * and ends with this error; `cause` is the producer's error.
 */
export class ProducerFailedError extends StreamingAnalyticsError {
  constructor(cause: unknown) {
    super(`the in-process producer failed (${cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)}); the run committed what it had read and stopped`, { cause });
  }
}
